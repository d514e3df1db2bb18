import { ObjectId } from 'mongodb';
import { ACTION } from '../src/views/ids.js';
import { createCard, type CreatedCard } from './support/flows.js';
import { collectionsOf, findButton, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';
import { cardWithVisit } from './support/visits.js';

const h = useHarness({ instances: 2, now: '2026-11-23T10:00:00+08:00' });

/** The owner's DM: promise nudges go to the card's owner, whatever the team's nudge channel. */
const OWNER_DM = TEAM_A.userId;

const { promises, nudges, history } = collectionsOf(h);

/** Promise nudges posted so far about `text`. */
const promiseNudges = (text: string) =>
  h.fake
    .accepted('chat.postMessage')
    .filter((c) => visibleText(c.args.blocks).includes('承诺到期') && visibleText(c.args.blocks).includes(text));

/** A card with a visit logged today that promised each `[text, dueDate]`. */
function cardWithPromises(name: string, ...made: [string, string][]): Promise<CreatedCard> {
  const fields = Object.fromEntries(
    made.flatMap(([text, due], i) => [
      [`promise${i + 1}`, text],
      [`promise${i + 1}Due`, due],
    ]),
  );
  return cardWithVisit(h, TEAM_A, name, { notes: '拜访', ...fields });
}

describe('promise nudges', () => {
  it('reach the owner once, at the nudge hour of the due day, with the promise, the customer and Kept / Reschedule', async () => {
    const card = await cardWithPromises('诺一', ['周四送样品到店', '2026-11-26']);
    expect(await nudges().findOne({ kind: 'promise', plan: '周四送样品到店' })).toMatchObject({
      status: 'pending',
      dueDate: '2026-11-26',
      ownerId: 'U1SELLER',
    });

    for (const at of ['2026-11-23T10:00:00+08:00', '2026-11-25T09:00:00+08:00', '2026-11-26T08:59:59+08:00']) {
      h.clock.set(at);
      await h.scanOnEveryInstance();
    }
    expect(promiseNudges('周四送样品到店')).toHaveLength(0);

    h.clock.set('2026-11-26T09:00:00+08:00');
    await h.scanOnEveryInstance();
    await h.scanOnEveryInstance();
    const posted = promiseNudges('周四送样品到店');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.args.channel).toBe(OWNER_DM);
    const text = visibleText(posted[0]!.args.blocks);
    expect(text).toContain('*诺一*');
    expect(text).toContain(card.number);
    expect(text).toContain('2026-11-26');
    findButton(posted[0]!.args.blocks, ACTION.promiseKept);
    findButton(posted[0]!.args.blocks, ACTION.promiseReschedule);
  });

  it('Kept closes the promise once: who and when, its history, its nudge, and the message; a second press is told', async () => {
    const [nudge] = promiseNudges('周四送样品到店');
    h.clock.set('2026-11-26T09:30:00+08:00');
    const before = h.fake.mark();
    const presses = await Promise.all(
      [TEAM_A, TEAM_A_COLLEAGUE].map((actor) =>
        h.clickButton(actor, findButton(nudge!.args.blocks, ACTION.promiseKept), {
          channel: OWNER_DM,
          messageTs: '1700000000.000101',
        }),
      ),
    );
    const answers = await Promise.all(presses.map((p) => h.fake.waitForResponse(p.responseUrl, before)));

    const kept = await promises().findOne({ text: '周四送样品到店' });
    expect(kept).toMatchObject({ status: 'kept', version: 2 });
    expect(kept!.keptAt.toISOString()).toBe('2026-11-26T01:30:00.000Z');
    const winner = answers.find((a) => a.args.replace_original === true)!;
    const loser = answers.find((a) => a !== winner)!;
    expect(visibleText(winner.args.blocks)).toContain(`✅ <@${kept!.keptBy}> 已于 2026-11-26 09:30 兑现。`);
    expect(visibleText(winner.args.blocks)).toContain('周四送样品到店');
    expect(JSON.stringify(winner.args.blocks)).not.toContain(ACTION.promiseKept);
    expect(JSON.stringify(winner.args.blocks)).not.toContain(ACTION.promiseReschedule);
    expect(loser.args.replace_original).toBe(false);
    expect(visibleText(loser.args.blocks)).toContain('这条承诺已经兑现了。');

    expect(await history().find({ action: 'promiseKept', customerId: kept!.customerId }).toArray()).toEqual([
      expect.objectContaining({ userId: kept!.keptBy, changes: [{ field: 'promise', to: '周四送样品到店' }] }),
    ]);
    expect(await nudges().findOne({ kind: 'promise', plan: '周四送样品到店' })).toMatchObject({
      status: 'done',
      closedBy: kept!.keptBy,
    });
  });

  it('several promises on one card, due the same day, are each posted once with two instances scanning', async () => {
    await cardWithPromises('诺二', ['寄合同', '2026-11-28'], ['报新价', '2026-11-28'], ['请吃饭', '2026-11-28']);
    h.clock.set('2026-11-28T09:00:00+08:00');
    const reports = await h.scanOnEveryInstance();
    await h.scanOnEveryInstance();
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBeGreaterThanOrEqual(3);
    for (const text of ['寄合同', '报新价', '请吃饭']) expect(promiseNudges(text)).toHaveLength(1);
  });

  it('Reschedule refuses a past date inline, then moves the promise and its nudge to the new day', async () => {
    const [nudge] = promiseNudges('寄合同');
    const messageTs = '1700000000.000201';
    const { view } = await h.openModal(TEAM_A, findButton(nudge!.args.blocks, ACTION.promiseReschedule), {
      channel: OWNER_DM,
      messageTs,
    });
    expect(visibleText(view.blocks)).toContain('寄合同');

    const past = await h.submitView(TEAM_A, view, { dueDate: '2026-11-27' });
    expect(past.json()).toEqual({ response_action: 'errors', errors: { dueDate: '兑现日期不能早于今天。' } });
    expect(await promises().findOne({ text: '寄合同' })).toMatchObject({ dueDate: '2026-11-28', version: 1 });

    expect((await h.submitView(TEAM_A, view, { dueDate: '2026-12-02' })).body).toBe('');
    const moved = await promises().findOne({ text: '寄合同' });
    expect(moved).toMatchObject({ status: 'open', dueDate: '2026-12-02', version: 2 });
    expect(await history().findOne({ action: 'promiseRescheduled', customerId: moved!.customerId })).toMatchObject({
      userId: 'U1SELLER',
      changes: [
        { field: 'promise', to: '寄合同' },
        { field: 'promiseDue', from: '2026-11-28', to: '2026-12-02' },
      ],
    });
    const updated = await h.fake.waitFor('chat.update', (c) => c.args.ts === messageTs);
    expect(updated.args.channel).toBe(OWNER_DM);
    expect(visibleText(updated.args.blocks)).toContain('<@U1SELLER> 已将兑现日期改为 2026-12-02');
    expect(JSON.stringify(updated.args.blocks)).not.toContain(ACTION.promiseKept);
    const ofPromise = await nudges().find({ kind: 'promise', sourceId: moved!._id }).sort({ dueDate: 1 }).toArray();
    expect(ofPromise.map((n) => [n.dueDate, n.status])).toEqual([
      ['2026-11-28', 'superseded'],
      ['2026-12-02', 'pending'],
    ]);
    // The other promises of the card keep their own nudges.
    expect(
      await nudges().countDocuments({ kind: 'promise', plan: { $in: ['报新价', '请吃饭'] }, status: 'sent' }),
    ).toBe(2);
  });

  it('a nudge replaced by a later reschedule is never posted; the latest one is, once', async () => {
    const [nudge] = promiseNudges('寄合同');
    const { view } = await h.openModal(TEAM_A, findButton(nudge!.args.blocks, ACTION.promiseReschedule), {
      channel: OWNER_DM,
      messageTs: '1700000000.000202',
    });
    expect((await h.submitView(TEAM_A, view, { dueDate: '2026-12-05' })).body).toBe('');

    h.clock.set('2026-12-02T09:00:00+08:00');
    await h.scanOnEveryInstance();
    expect(promiseNudges('寄合同')).toHaveLength(1);
    h.clock.set('2026-12-05T09:00:00+08:00');
    await h.scanOnEveryInstance();
    await h.scanOnEveryInstance();
    const posted = promiseNudges('寄合同');
    expect(posted).toHaveLength(2);
    expect(visibleText(posted[1]!.args.blocks)).toContain('2026-12-05');
  });
});

describe('promises on the card', () => {
  it('lists open promises soonest first, flags the overdue ones, and Kept there shows the card again', async () => {
    h.clock.set('2026-12-06T10:00:00+08:00');
    await cardWithPromises('诺三', ['年底对账', '2026-12-20'], ['补发发票', '2026-12-05'], ['退换破损', '2026-12-06']);
    const card = await h.command('诺三');
    const text = visibleText(card.args.blocks);
    const order = ['补发发票', '退换破损', '年底对账'].map((p) => text.indexOf(p));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(text).toContain('• 2026-12-05 补发发票 · ⚠️ 已逾期');
    expect(text).toContain('• 2026-12-06 退换破损\n');
    expect(text).not.toContain('年底对账 · ⚠️');

    const keptButton = card.args.blocks.find((b: Record<string, any>) =>
      visibleText([b]).includes('补发发票'),
    ).accessory;
    expect(keptButton.action_id).toBe(ACTION.promiseKept);
    const before = h.fake.mark();
    await h.clickButton(TEAM_A_COLLEAGUE, keptButton, { responseUrl: card.responseUrl });
    const after = await h.fake.waitForResponse(card.responseUrl, before);
    expect(after.args.replace_original).toBe(true);
    expect(visibleText(after.args.blocks)).toContain('诺三');
    expect(visibleText(after.args.blocks)).not.toContain('补发发票');
    expect(visibleText(after.args.blocks)).toContain('退换破损');
    expect(await promises().findOne({ text: '补发发票' })).toMatchObject({ status: 'kept', keptBy: 'U2COLLEAGUE' });

    const { view } = await h.openModal(TEAM_A, findButton(after.args.blocks, ACTION.history));
    expect(visibleText(view.blocks)).toContain('<@U2COLLEAGUE> 兑现了承诺');
    expect(visibleText(view.blocks)).toContain('• 承诺：（空） → 补发发票');
  });

  it('a promise kept before its due day is never posted', async () => {
    await cardWithPromises('诺四', ['月中回访', '2026-12-15']);
    const card = await h.command('诺四');
    const keptButton = card.args.blocks.find((b: Record<string, any>) =>
      visibleText([b]).includes('月中回访'),
    ).accessory;
    const before = h.fake.mark();
    await h.clickButton(TEAM_A, keptButton, { responseUrl: card.responseUrl });
    expect(visibleText((await h.fake.waitForResponse(card.responseUrl, before)).args.blocks)).not.toContain('月中回访');

    h.clock.set('2026-12-15T09:00:00+08:00');
    await h.scanOnEveryInstance();
    expect(promiseNudges('月中回访')).toHaveLength(0);
    expect(await nudges().findOne({ kind: 'promise', plan: '月中回访' })).toMatchObject({ status: 'done' });
  });
});

describe('a promise changed by a writer that died before closing its nudge', () => {
  it('kept: the nudge is cancelled on its day, not posted', async () => {
    await cardWithPromises('诺五', ['送货上门', '2026-12-17']);
    await promises().updateOne(
      { text: '送货上门' },
      { $set: { status: 'kept', keptBy: 'U1SELLER', keptAt: new Date(), version: 2 } },
    );
    h.clock.set('2026-12-17T09:00:00+08:00');
    await h.scanOnEveryInstance();
    expect(promiseNudges('送货上门')).toHaveLength(0);
    expect(await nudges().findOne({ kind: 'promise', plan: '送货上门' })).toMatchObject({ status: 'cancelled' });
  });

  it('moved: the old day’s nudge is cancelled, not posted', async () => {
    await cardWithPromises('诺七', ['验收装修', '2026-12-19']);
    await promises().updateOne({ text: '验收装修' }, { $set: { dueDate: '2026-12-24', version: 2 } });
    h.clock.set('2026-12-19T09:00:00+08:00');
    await h.scanOnEveryInstance();
    expect(promiseNudges('验收装修')).toHaveLength(0);
    expect(await nudges().findOne({ kind: 'promise', plan: '验收装修' })).toMatchObject({ status: 'cancelled' });
  });
});

describe('a promise button naming no promise of this workspace', () => {
  let value: string;
  let promiseId: ObjectId;

  beforeAll(async () => {
    await cardWithPromises('诺六', ['寄样册', '2026-12-30']);
    const card = await h.command('诺六');
    value = card.args.blocks.find((b: Record<string, any>) => visibleText([b]).includes('寄样册')).accessory.value;
    promiseId = (await promises().findOne({ text: '寄样册' }))!._id;
  });

  const unchanged = async () => {
    expect(await promises().findOne({ _id: promiseId })).toMatchObject({
      status: 'open',
      version: 1,
      dueDate: '2026-12-30',
    });
    expect(
      await history().countDocuments({ action: { $in: ['promiseKept', 'promiseRescheduled'] }, userId: 'U9OTHER' }),
    ).toBe(0);
  };

  it.each([
    ['another workspace’s promise', TEAM_B, () => value],
    ['a promise id that does not exist', TEAM_A, () => `card:${new ObjectId().toHexString()}`],
    ['a forged value', TEAM_A, () => 'card:{"$ne":null}'],
  ])('Kept on %s answers "not found" and writes nothing', async (_what, actor, valueOf) => {
    const click = await h.clickButton(actor, { action_id: ACTION.promiseKept, value: valueOf() });
    const answer = await h.fake.waitForResponse(click.responseUrl);
    expect(answer.args.replace_original).toBe(false);
    expect(visibleText(answer.args.blocks)).toContain('这条承诺不存在或不属于本工作区。');
    await unchanged();
  });

  it('Reschedule from another workspace opens nothing, and its submitted modal is refused', async () => {
    const opened = h.fake.mark();
    const click = await h.clickButton(TEAM_B, {
      action_id: ACTION.promiseReschedule,
      value: value.replace('card:', 'nudge:'),
    });
    expect(visibleText((await h.fake.waitForResponse(click.responseUrl)).args.blocks)).toContain(
      '这条承诺不存在或不属于本工作区。',
    );
    expect(h.fake.calls.slice(opened).filter((c) => c.method === 'views.open')).toHaveLength(0);

    const { view } = await h.openModal(TEAM_A, {
      action_id: ACTION.promiseReschedule,
      value: value.replace('card:', 'nudge:'),
    });
    const res = await h.submitView(TEAM_B, view, { dueDate: '2026-12-31' });
    expect(res.json()).toEqual({ response_action: 'errors', errors: { dueDate: '这条承诺不存在或不属于本工作区。' } });
    await unchanged();
  });
});

describe('promises saved by an earlier release, before they had a version', () => {
  it('get version 1 and their reminder at boot, and can then be kept from the card', async () => {
    const card = await createCard(h, TEAM_A, { name: '诺八' });
    const old = {
      _id: new ObjectId(),
      teamId: 'T1',
      customerId: new ObjectId(card.id),
      visitId: new ObjectId(),
      text: '旧版承诺',
      dueDate: '2027-01-05',
      status: 'open',
      createdBy: 'U1SELLER',
      createdAt: new Date(),
    };
    await promises().insertOne(old);
    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));
    expect(await promises().findOne({ _id: old._id })).toMatchObject({ version: 1 });
    expect(
      await h.db
        .collection('nudges')
        .countDocuments({ kind: 'promise', sourceId: old._id, status: 'pending', dueDate: '2027-01-05' }),
    ).toBe(1);

    const shown = await h.command('诺八');
    const keptButton = shown.args.blocks.find((b: Record<string, any>) =>
      visibleText([b]).includes('旧版承诺'),
    ).accessory;
    const before = h.fake.mark();
    await h.clickButton(TEAM_A, keptButton, { responseUrl: shown.responseUrl });
    expect(visibleText((await h.fake.waitForResponse(shown.responseUrl, before)).args.blocks)).not.toContain(
      '旧版承诺',
    );
    expect(await promises().findOne({ _id: old._id })).toMatchObject({
      status: 'kept',
      keptBy: 'U1SELLER',
      version: 2,
    });
  });
});
