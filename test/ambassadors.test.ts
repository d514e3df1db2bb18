import { ObjectId } from 'mongodb';
import { domain } from '../src/config/domain.js';
import { messagesFor } from '../src/i18n/index.js';
import { ACTION } from '../src/views/ids.js';
import { renderAmbassadorList } from '../src/views/ambassadorList.js';
import { validateMessage } from './support/blockKit.js';
import { createCard, editCard, logContact as logContactFrom } from './support/flows.js';
import { findButton, NUDGE_CHANNEL, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness({ instances: 2, now: '2026-11-23T10:00:00+08:00' });

const ids: Record<string, ObjectId> = {};

/** The contact nudges Slack accepted for a card, oldest first. */
const contactNudges = (name: string) =>
  h.fake
    .accepted('chat.postMessage')
    .filter((c) => c.args.text.includes(name) && visibleText(c.args.blocks).includes('宣传大使联络'));

const openAmbassadorNudges = (name: string) =>
  h.db
    .collection('nudges')
    .find({ customerId: ids[name], kind: 'ambassador', status: { $in: ['pending', 'sending', 'sent', 'failed'] } })
    .toArray();

const logContact = (name: string, fields: { date: string; kind: string; notes?: string }, actor: Actor = TEAM_A) =>
  logContactFrom(h, actor, name, fields);

const setAmbassador = (name: string, ambassador: boolean, actor: Actor = TEAM_A) =>
  editCard(h, actor, name, { ambassador });

async function cardWithContact(name: string, contact?: { date: string; kind: string; notes?: string }) {
  ids[name] = new ObjectId((await createCard(h, TEAM_A, { name })).id);
  if (contact) await logContact(name, contact);
}

describe('ambassador contact nudges', () => {
  beforeAll(async () => {
    // 2026-11-23 10:00, after today's 09:00 nudge hour.
    await cardWithContact('大使甲', { date: '2026-11-20', kind: 'visit', notes: '聊了春季新品，答应介绍两位同行' });
    await cardWithContact('大使乙', { date: '2026-11-21', kind: 'phone', notes: '问候' });
    await cardWithContact('大使丙');
    await cardWithContact('大使丁', { date: '2026-11-22', kind: 'message' });
    await cardWithContact('普通客户', { date: '2026-11-22', kind: 'visit' });
    for (const name of ['大使甲', '大使乙', '大使丙', '大使丁']) await setAmbassador(name, true);
  });

  it('schedules the nudge a cadence after the last contact; one never contacted, at the next nudge hour', async () => {
    expect(await openAmbassadorNudges('大使甲')).toEqual([
      expect.objectContaining({ dueDate: '2026-12-20', status: 'pending', ownerId: 'U1SELLER' }),
    ]);
    const [due] = await openAmbassadorNudges('大使甲');
    expect(due!.nextAttemptAt.toISOString()).toBe('2026-12-20T01:00:00.000Z');
    expect(await openAmbassadorNudges('大使乙')).toEqual([expect.objectContaining({ dueDate: '2026-12-21' })]);
    expect(await openAmbassadorNudges('大使丙')).toEqual([expect.objectContaining({ dueDate: '2026-11-24' })]);
    expect(await openAmbassadorNudges('普通客户')).toEqual([]);

    await h.scanOnEveryInstance();
    await h.scanAt('2026-11-24T08:59:59+08:00');
    expect(contactNudges('大使丙')).toHaveLength(0);
    await h.scanAt('2026-11-24T09:00:00+08:00');
    const [never] = contactNudges('大使丙');
    expect(never!.args.channel).toBe('U1SELLER');
    expect(visibleText(never!.args.blocks)).toContain('上次联络：还没有记录');
    expect(visibleText(never!.args.blocks)).toContain('谈了：（未记录）');
  });

  it('unmarking stops the nudges; marking again starts from the last contact', async () => {
    await setAmbassador('大使丁', false);
    expect(await openAmbassadorNudges('大使丁')).toEqual([]);
    expect(await h.db.collection('nudges').findOne({ customerId: ids['大使丁'], kind: 'ambassador' })).toMatchObject({
      status: 'cancelled',
      dueDate: '2026-12-22',
    });

    h.clock.set('2026-12-01T10:00:00+08:00');
    await setAmbassador('大使丁', true);
    // The same day as the cancelled one: a new nudge, not the closed one found again.
    expect(await openAmbassadorNudges('大使丁')).toEqual([
      expect.objectContaining({ dueDate: '2026-12-22', status: 'pending' }),
    ]);
  });

  it('/card ambassadors lists them, next contact due first, with last contact and next due', async () => {
    const list = await h.command('ambassadors');
    const text = visibleText(list.args.blocks);
    expect(text).toContain('*宣传大使*（4 位');
    expect(text).not.toContain('普通客户');
    const rows = ['大使甲', '大使乙', '大使丁', '大使丙'].map((name) => text.indexOf(name));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(text).toContain('上次联络 2026-11-20 · 下次联络 2026-12-20');
    expect(text).toContain('上次联络 2026-11-22 · 下次联络 2026-12-22');
    // 丙 was nudged on 11-24 and nobody answered: the next one a cadence after it.
    expect(text).toContain('上次联络 未联络 · 下次联络 2026-12-24');
    expect(findButton(list.args.blocks, ACTION.openCard).value).toBe(ids['大使甲']!.toHexString());

    expect(visibleText((await h.command('宣传大使')).args.blocks)).toContain('*宣传大使*（4 位');
    expect(visibleText((await h.command('大使', TEAM_B)).args.blocks)).toContain('还没有宣传大使');
  });

  it('a contact logged by someone else 10 days before the nudge was due restarts the month', async () => {
    h.clock.set('2026-12-11T15:00:00+08:00');
    await logContact('大使乙', { date: '2026-12-11', kind: 'phone', notes: '电话聊了转介绍的事' }, TEAM_A_COLLEAGUE);
    expect(await openAmbassadorNudges('大使乙')).toEqual([
      expect.objectContaining({ dueDate: '2027-01-10', status: 'pending' }),
    ]);
  });

  it('posts on the due day at the nudge hour, once across two instances, to the owner, with when and what', async () => {
    await h.scanAt('2026-12-20T08:59:59+08:00');
    expect(contactNudges('大使甲')).toHaveLength(0);
    h.clock.set('2026-12-20T09:00:00+08:00');
    const reports = await h.scanOnEveryInstance();
    expect(reports[0]!.sent + reports[1]!.sent).toBe(1);
    await h.scanOnEveryInstance();

    const [nudge] = contactNudges('大使甲');
    expect(contactNudges('大使甲')).toHaveLength(1);
    expect(nudge!.args.channel).toBe('U1SELLER');
    const text = visibleText(nudge!.args.blocks);
    expect(text).toContain('宣传大使 *大使甲*');
    expect(text).toContain('上次联络：2026-11-20（30 天前）');
    expect(text).toContain('谈了：聊了春季新品，答应介绍两位同行');
    findButton(nudge!.args.blocks, ACTION.nudgeLogVisit);
    findButton(nudge!.args.blocks, ACTION.snoozeWeek);
    expect(JSON.stringify(nudge!.args.blocks)).not.toContain(ACTION.snoozeDay);

    // The next one is already waiting, a cadence later.
    expect((await openAmbassadorNudges('大使甲')).map((n) => [n.dueDate, n.status])).toEqual(
      expect.arrayContaining([
        ['2026-12-20', 'sent'],
        ['2027-01-19', 'pending'],
      ]),
    );
  });

  it('snoozes a week from the posted nudge', async () => {
    const [nudge] = contactNudges('大使甲');
    const click = await h.clickButton(TEAM_A, findButton(nudge!.args.blocks, ACTION.snoozeWeek), {
      channel: 'U1SELLER',
      messageTs: '1700000000.000101',
    });
    const replaced = await h.fake.waitForResponse(click.responseUrl);
    expect(visibleText(replaced.args.blocks)).toContain('<@U1SELLER> 已将提醒推迟到 2026-12-27');
    expect(visibleText(replaced.args.blocks)).toContain('宣传大使 *大使甲*');
    expect(
      await h.db.collection('history').findOne({ customerId: ids['大使甲'], action: 'ambassadorSnoozed' }),
    ).toMatchObject({
      changes: [{ field: 'ambassadorContactDate', from: '2026-12-20', to: '2026-12-27' }],
    });
  });

  it('sends nothing on the day the month was restarted away from', async () => {
    await h.scanAt('2026-12-21T09:00:00+08:00');
    await h.scanAt('2026-12-22T09:00:00+08:00');
    expect(contactNudges('大使乙')).toHaveLength(0);
    expect(contactNudges('大使丁')).toHaveLength(1);
    expect(visibleText(contactNudges('大使丁')[0]!.args.blocks)).toContain('上次联络：2026-11-22（30 天前）');
  });

  it('posts the snoozed nudge a week later, and the next one a cadence after that replaces the one before', async () => {
    await h.scanAt('2026-12-27T09:00:00+08:00');
    expect(contactNudges('大使甲')).toHaveLength(2);
    expect(visibleText(contactNudges('大使甲')[1]!.args.blocks)).toContain('上次联络：2026-11-20（37 天前）');
    expect((await openAmbassadorNudges('大使甲')).filter((n) => n.status === 'pending').map((n) => n.dueDate)).toEqual([
      '2027-01-26',
    ]);
    expect(await h.db.collection('nudges').findOne({ customerId: ids['大使甲'], dueDate: '2027-01-19' })).toMatchObject(
      { status: 'superseded' },
    );
  });

  it('posts the restarted month to the owner, and logging the contact from it answers it', async () => {
    await h.scanAt('2027-01-10T09:00:00+08:00');
    const [nudge] = contactNudges('大使乙');
    expect(contactNudges('大使乙')).toHaveLength(1);
    expect(nudge!.args.channel).toBe('U1SELLER');
    expect(visibleText(nudge!.args.blocks)).toContain('上次联络：2026-12-11（30 天前）');
    expect(visibleText(nudge!.args.blocks)).toContain('谈了：电话聊了转介绍的事');

    const messageTs = '1700000000.000201';
    const { view } = await h.openModal(TEAM_A, findButton(nudge!.args.blocks, ACTION.nudgeLogVisit), {
      channel: 'U1SELLER',
      messageTs,
    });
    expect((await h.submitView(TEAM_A, view, { kind: 'meeting', notes: '一起吃饭' })).body).toBe('');
    const updated = await h.fake.waitFor('chat.update', (c) => c.args.ts === messageTs);
    expect(visibleText(updated.args.blocks)).toContain('✅ <@U1SELLER> 已记录拜访');
    expect(
      await h.db.collection('nudges').findOne({ customerId: ids['大使乙'], dueDate: '2027-01-10', kind: 'ambassador' }),
    ).toMatchObject({ status: 'done' });
    expect(await openAmbassadorNudges('大使乙')).toEqual([
      expect.objectContaining({ dueDate: '2027-02-09', status: 'pending' }),
    ]);
  });

  it('re-checks as it posts: cancels one unmarked behind its back, restarts one contacted since; posts the rest', async () => {
    // Changed straight in the database, as a path that bypassed the card save and logVisit would leave them.
    await h.db.collection('customers').updateOne({ _id: ids['大使丙'] }, { $set: { ambassador: false } });
    await h.db.collection('customers').updateOne({ _id: ids['大使丁'] }, { $set: { lastContactDate: '2027-01-15' } });
    const before = { 丙: contactNudges('大使丙').length, 丁: contactNudges('大使丁').length };
    await h.scanAt('2027-01-26T09:00:00+08:00');
    expect(contactNudges('大使丙')).toHaveLength(before.丙);
    // Nothing left to post (the message posted on 12-27 keeps its buttons).
    expect((await openAmbassadorNudges('大使丙')).map((n) => n.status)).toEqual(['sent']);
    expect(await h.db.collection('nudges').findOne({ customerId: ids['大使丙'], dueDate: '2027-01-26' })).toMatchObject(
      { status: 'cancelled' },
    );

    expect(contactNudges('大使丁')).toHaveLength(before.丁);
    expect(await h.db.collection('nudges').findOne({ customerId: ids['大使丁'], dueDate: '2027-01-21' })).toMatchObject(
      { status: 'cancelled' },
    );
    expect((await openAmbassadorNudges('大使丁')).filter((n) => n.status === 'pending').map((n) => n.dueDate)).toEqual([
      '2027-02-14',
    ]);

    // 甲's next month counted from the snoozed nudge: nothing on 01-19, one on 01-26.
    expect(contactNudges('大使甲')).toHaveLength(3);
  });

  it('Slack refusing the DM: the nudge is retried, and the month after it is waiting already, once', async () => {
    await cardWithContact('大使戊', { date: '2027-01-26', kind: 'message' });
    await setAmbassador('大使戊', true);
    await h.scanAt('2027-02-20T08:00:00+08:00');
    h.fake.failMatching('chat.postMessage', (args) => String(args.text).includes('大使戊'), {
      error: 'channel_not_found',
    });
    await h.scanAt('2027-02-25T09:00:00+08:00');
    expect(contactNudges('大使戊')).toHaveLength(0);
    const state = async () =>
      (await openAmbassadorNudges('大使戊')).map((n) => [n.dueDate, n.status, n.attempts]).sort();
    expect(await state()).toEqual([
      ['2027-02-25', 'pending', 1],
      ['2027-03-27', 'pending', 0],
    ]);

    await h.scanAt('2027-02-25T10:00:00+08:00');
    expect(contactNudges('大使戊')).toHaveLength(1);
    expect(await state()).toEqual([
      ['2027-02-25', 'sent', 2],
      ['2027-03-27', 'pending', 0],
    ]);
  });

  it('never posts to the nudge channel', () => {
    expect(
      h.fake
        .accepted('chat.postMessage')
        .filter((c) => c.args.channel === NUDGE_CHANNEL && c.args.text.includes('宣传大使')),
    ).toEqual([]);
  });
});

describe('the ambassador list view', () => {
  it('stays inside Block Kit with the most rows it lists, long names and referral counts, and says there are more', () => {
    const rows = Array.from({ length: domain.ambassador.listed }, (_, i) => ({
      customer: {
        _id: new ObjectId(),
        name: `<!channel> ${'长'.repeat(200)}${i}`,
        number: `KH-2026-${i}`,
        ownerId: 'U1SELLER',
        lastContactDate: '2026-11-20',
      },
      nextDue: '2026-12-20',
    }));
    const counts = new Map([[rows[0]!.customer._id.toHexString(), { count: 3, deals: 2 }]]);
    for (const locale of ['zh', 'en'] as const) {
      const shown = renderAmbassadorList(messagesFor(locale), { rows, more: true, total: 1000 }, counts);
      expect(validateMessage(shown)).toEqual([]);
      expect(shown.blocks.length).toBeLessThanOrEqual(50);
      const text = visibleText(shown.blocks as Record<string, any>[]);
      expect(text).not.toContain('<!channel>');
      // Forty rows this long pass one message's total text: as many as fit are listed, and the line says how many.
      const listed = JSON.stringify(shown.blocks).split(ACTION.openCard).length - 1;
      expect(listed).toBeGreaterThan(0);
      expect(listed).toBeLessThan(domain.ambassador.listed);
      expect(text).toContain(
        locale === 'zh' ? `只显示下次联络最早的 ${listed} 位` : `Showing the ${listed} due soonest`,
      );
      expect(text).toContain(locale === 'zh' ? '推荐 3 位（成交 2）' : '3 referred (2 bought)');
      expect(text).toContain(locale === 'zh' ? '推荐 0 位（成交 0）' : '0 referred (0 bought)');
    }
  });
});
