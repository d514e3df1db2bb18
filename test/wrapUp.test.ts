import { ObjectId } from 'mongodb';
import { domain } from '../src/config/domain.js';
import { messagesFor } from '../src/i18n/index.js';
import { ACTION } from '../src/views/ids.js';
import { renderWrapUp } from '../src/views/wrapUp.js';
import { validateMessage } from './support/blockKit.js';
import { createCard, logContact, recordSale } from './support/flows.js';
import { findButton, NUDGE_CHANNEL, TEAM_A, TEAM_A_COLLEAGUE, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

// 2026-11-23 10:00 in Shanghai; the wrap-up hour is the default, 18:00.
const h = useHarness({ instances: 2, now: '2026-11-23T10:00:00+08:00', env: { ADMIN_USER_IDS: TEAM_A.userId } });

const ids: Record<string, ObjectId> = {};

async function card(name: string, actor: Actor = TEAM_A) {
  ids[name] = new ObjectId((await createCard(h, actor, { name })).id);
}

const logVisit = (name: string, fields: Record<string, unknown>, actor: Actor = TEAM_A) =>
  logContact(h, actor, name, fields);

const sell = (name: string, product: string, amountFen: string, date: string, actor: Actor = TEAM_A) =>
  recordSale(h, actor, name, { product, amountFen, date });

/** Wrap-ups Slack accepted, to one person's DM. */
const wrapUps = (userId: string) =>
  h.fake
    .accepted('chat.postMessage')
    .filter((c) => c.args.channel === userId && visibleText(c.args.blocks).includes('日终小结'));

const wrapUpNudges = (userId: string, dueDate: string) =>
  h.db.collection('nudges').find({ kind: 'wrapUp', ownerId: userId, dueDate }).toArray();

describe('the visit modal’s 索要资料 checkbox', () => {
  it('is stored on the visit when ticked, and shows in the card’s history', async () => {
    await card('资料客户');
    await logVisit('资料客户', { notes: '看了样册', needs: '要春季目录', materialRequested: true });
    await logVisit('资料客户', { notes: '再聊一次' });

    const visits = await h.db
      .collection('visits')
      .find({ customerId: ids['资料客户'] })
      .sort({ createdAt: 1 })
      .toArray();
    expect(visits.map((v) => [v.notes, v.materialRequested])).toEqual([
      ['看了样册', true],
      ['再聊一次', false],
    ]);
    const shown = await h.command('资料客户');
    const { view } = await h.openModal(TEAM_A, findButton(shown.args.blocks, ACTION.history));
    const text = visibleText(view.blocks);
    expect(text.match(/索要资料/g)).toHaveLength(1);
    expect(text.indexOf('索要资料')).toBeGreaterThan(text.indexOf('看了样册'));
  });
});

describe('the daily wrap-up', () => {
  beforeAll(async () => {
    // A key customer: the biggest buyer of the year, ranked 顶级 by the segmentation.
    await card('普通跟进');
    await card('大客户');
    await sell('大客户', '整柜茶叶', '50000', '2026-10-01');
    await card('感谢甲');
    await card('感谢乙');
    await sell('感谢甲', '乌龙茶', '1000', '2026-11-23');
    await sell('感谢乙', '普洱茶', '800', '2026-11-23');
    expect(visibleText((await h.command('segments refresh')).args.blocks)).toContain('客户分层已刷新');
    await logVisit('普通跟进', { notes: '初访', nextFollowUpDate: '2026-11-24', nextFollowUpPlan: '报价' });
    await logVisit('大客户', { notes: '年度回顾', nextFollowUpDate: '2026-11-24', nextFollowUpPlan: '谈明年合同' });

    // A colleague whose only contact moved away from the day after tomorrow: nothing left for tomorrow's wrap-up.
    await card('同事客户', TEAM_A_COLLEAGUE);
    await logVisit('同事客户', { notes: '电话', nextFollowUpDate: '2026-11-25' }, TEAM_A_COLLEAGUE);
    await logVisit('同事客户', { notes: '改期', nextFollowUpDate: '2026-11-28' }, TEAM_A_COLLEAGUE);
  });

  it('is scheduled once per person and day, whatever asked for it', async () => {
    expect(await wrapUpNudges('U1SELLER', '2026-11-23')).toEqual([
      expect.objectContaining({ status: 'pending', nextAttemptAt: new Date('2026-11-23T10:00:00Z') }),
    ]);
    expect(await wrapUpNudges('U2COLLEAGUE', '2026-11-23')).toEqual([]);
    expect(await wrapUpNudges('U2COLLEAGUE', '2026-11-24')).toHaveLength(1);
    // The old sale's day is long past: nothing to wrap up.
    expect(await wrapUpNudges('U1SELLER', '2026-10-01')).toEqual([]);
  });

  it('posts nothing before the wrap-up hour', async () => {
    await h.scanAt('2026-11-23T17:59:59+08:00');
    expect(wrapUps('U1SELLER')).toHaveLength(0);
  });

  it('posts ONE message at 18:00, once across two instances, to the DM: sales to thank, tomorrow to book (key first), material to send', async () => {
    await h.scanAt('2026-11-23T18:00:00+08:00');
    await h.scanOnEveryInstance();
    expect(wrapUps('U1SELLER')).toHaveLength(1);
    expect(wrapUps('U2COLLEAGUE')).toHaveLength(0);

    const [posted] = wrapUps('U1SELLER');
    expect(posted!.args.text).toContain('致谢成交客户 2 位 · 预约明天 2 位 · 寄送资料 1 位');
    const text = visibleText(posted!.args.blocks);
    const lines = [
      '*🌙 日终小结 · 2026-11-23*',
      '*🙏 今天成交，记得致谢*',
      '*感谢甲*',
      '买了：乌龙茶',
      '*感谢乙*',
      '买了：普洱茶',
      // The 顶级 customer first, though its card is newer.
      '*📅 明天要联系，今天先预约（重点客户在前）*',
      '*大客户*',
      '· 顶级客户\n跟进：谈明年合同',
      '*普通跟进*',
      '跟进：报价',
      '*📎 索要资料的潜在客户，记得寄送*',
      '*资料客户*',
      '需求：要春季目录',
    ];
    for (const line of lines) expect(text).toContain(line);
    const places = lines.map((line) => text.indexOf(line));
    expect(places).toEqual([...places].sort((a, b) => a - b));
    expect(text.match(/\*大客户\*/g)).toHaveLength(1);

    const opens = posted!.args.blocks.flatMap((b: Record<string, any>) =>
      b.accessory?.action_id === ACTION.openCard ? [b.accessory.value] : [],
    );
    expect(opens).toEqual(['感谢甲', '感谢乙', '大客户', '普通跟进', '资料客户'].map((n) => ids[n]!.toHexString()));
    expect(await wrapUpNudges('U1SELLER', '2026-11-23')).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 1, claims: 1 }),
    ]);
  });

  it('a sale after the wrap-up hour schedules none for that day', async () => {
    h.clock.set('2026-11-23T19:00:00+08:00');
    await sell('同事客户', '白茶', '300', '2026-11-23', TEAM_A_COLLEAGUE);
    await sell('感谢甲', '红茶', '200', '2026-11-23');
    expect(await wrapUpNudges('U2COLLEAGUE', '2026-11-23')).toEqual([]);
    await h.scanOnEveryInstance();
    expect(wrapUps('U1SELLER')).toHaveLength(1);
  });

  it('someone with nothing to do gets no message: a wrap-up whose day emptied is cancelled', async () => {
    await h.scanAt('2026-11-24T18:00:00+08:00');
    expect(wrapUps('U2COLLEAGUE')).toHaveLength(0);
    expect(await wrapUpNudges('U2COLLEAGUE', '2026-11-24')).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    expect(wrapUps('U1SELLER')).toHaveLength(1);
  });

  it('a contact snoozed to tomorrow is booked in today’s wrap-up', async () => {
    const posted = h.fake
      .accepted('chat.postMessage')
      .find((c) => c.args.channel === NUDGE_CHANNEL && visibleText(c.args.blocks).includes('普通跟进'))!;
    h.clock.set('2026-11-26T10:00:00+08:00');
    const click = await h.clickButton(TEAM_A, findButton(posted.args.blocks, ACTION.snoozeDay), {
      channel: posted.args.channel,
      messageTs: '1700000000.000901',
    });
    expect(visibleText((await h.fake.waitForResponse(click.responseUrl)).args.blocks)).toContain('2026-11-27');

    await h.scanAt('2026-11-26T18:00:00+08:00');
    expect(wrapUps('U1SELLER')).toHaveLength(2);
    const text = visibleText(wrapUps('U1SELLER')[1]!.args.blocks);
    expect(text).toContain('*普通跟进*');
    expect(text).toContain('跟进：报价');
    expect(text).not.toContain('今天成交');
  });

  it('contacts an earlier release scheduled are booked in the day-before wrap-up at boot, once', async () => {
    // As an earlier release left it: a pending follow-up, no wrap-up, and the boot step not yet run.
    const followUp = {
      _id: new ObjectId(),
      teamId: 'T1',
      kind: 'followUp',
      customerId: ids['普通跟进'],
      ownerId: 'U1SELLER',
      dueDate: '2026-12-10',
      status: 'pending',
      version: 1,
      nextAttemptAt: new Date('2026-12-10T01:00:00Z'),
      attempts: 0,
      claims: 0,
      createdBy: 'U1SELLER',
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await h.db.collection('nudges').insertOne(followUp);
    await h.db.collection('bootSteps').deleteOne({ _id: 'wrapUp' } as never);
    expect(await wrapUpNudges('U1SELLER', '2026-12-09')).toEqual([]);

    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));
    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));
    expect(await wrapUpNudges('U1SELLER', '2026-12-09')).toEqual([
      expect.objectContaining({ status: 'pending', nextAttemptAt: new Date('2026-12-09T10:00:00Z') }),
    ]);
  });

  // Last: it moves the clock on to the next day.
  it('Slack refusing it: retried with backoff through its evening, and dropped, never posted late, once its day is over', async () => {
    h.clock.set('2026-11-25T10:00:00+08:00');
    await sell('感谢乙', '茶具', '500', '2026-11-25');
    h.fake.failNext('chat.postMessage', { error: 'internal_error' }, 100);
    await h.scanAt('2026-11-25T18:00:00+08:00');
    const [waiting] = await wrapUpNudges('U1SELLER', '2026-11-25');
    expect(waiting).toMatchObject({ status: 'pending', lastError: 'internal_error', attempts: 1 });
    expect(waiting!.nextAttemptAt.toISOString()).toBe('2026-11-25T10:05:00.000Z');

    let tries = 1;
    for (
      let [nudge] = await wrapUpNudges('U1SELLER', '2026-11-25');
      nudge!.status === 'pending';
      [nudge] = await wrapUpNudges('U1SELLER', '2026-11-25')
    ) {
      await h.scanAt(nudge!.nextAttemptAt.toISOString());
      if (h.clock.now() < new Date('2026-11-26T00:00:00+08:00')) tries += 1;
    }
    // +5, +10, +20, +40, +80, +120 minutes… until midnight: then the wrap-up of a day gone by is cancelled.
    expect(await wrapUpNudges('U1SELLER', '2026-11-25')).toEqual([
      expect.objectContaining({ status: 'cancelled', lastError: 'internal_error' }),
    ]);
    expect(tries).toBe(7);
    const refused = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.error === 'internal_error');
    expect(refused).toHaveLength(tries);
    expect(
      refused.every((c) => c.args.channel === 'U1SELLER' && visibleText(c.args.blocks).includes('买了：茶具')),
    ).toBe(true);
    h.fake.clearFailures('chat.postMessage');
    expect(wrapUps('U1SELLER').filter((c) => visibleText(c.args.blocks).includes('2026-11-25'))).toEqual([]);
  });
});

describe('the wrap-up view', () => {
  it('stays inside Block Kit with three full lists, long and hostile text, and counts the rest', () => {
    const long = (i: number) => `<!channel> *${'长'.repeat(400)}${i}`;
    const customer = (i: number) => ({
      _id: new ObjectId(),
      name: long(i),
      number: `KH-2026-${i}`,
      tier: 'top' as const,
    });
    const full = <Row>(row: (i: number) => Row) => ({
      rows: Array.from({ length: domain.wrapUp.listed }, (_, i) => row(i)),
      more: 7,
    });
    const facts = {
      day: '2026-11-23',
      bought: full((i) => ({ customer: customer(i), products: [long(i), long(i + 1)] })),
      book: full((i) => ({
        customer: customer(i),
        contacts: [{ kind: 'followUp' as const, plan: long(i) }, { kind: 'ambassador' as const }],
      })),
      material: full((i) => ({ customer: customer(i), needs: long(i) })),
    };
    for (const locale of ['zh', 'en'] as const) {
      const shown = renderWrapUp(messagesFor(locale), facts);
      expect(validateMessage(shown)).toEqual([]);
      expect(shown.blocks.length).toBeLessThanOrEqual(50);
      const text = visibleText(shown.blocks as Record<string, any>[]);
      expect(text).not.toContain('<!channel>');
      // Each list counts what it left out: the 7 beyond its 10 rows, and those of its rows past one message's total
      // text.
      const listed = JSON.stringify(shown.blocks).split(ACTION.openCard).length - 1;
      const left = [...text.matchAll(locale === 'zh' ? /还有 (\d+) 位未列出/g : /(\d+) more not listed/g)].map((m) =>
        Number(m[1]),
      );
      expect(left).toHaveLength(3);
      expect(left.every((n) => n >= 7)).toBe(true);
      expect(listed + left.reduce((a, b) => a + b, 0)).toBe(3 * 17);
      expect(shown.text).toContain(
        locale === 'zh'
          ? '致谢成交客户 17 位 · 预约明天 17 位 · 寄送资料 17 位'
          : 'thank 17 · book 17 for tomorrow · send material to 17',
      );
    }
  });
});
