import { ACTION } from '../src/views/ids.js';
import { createCard, recordSale } from './support/flows.js';
import { findButton, NUDGE_CHANNEL, TEAM_A, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness({
  instances: 2,
  now: '2026-11-23T10:00:00+08:00',
  env: { FINANCE_USER_ID: 'UFINANCE', MANAGER_USER_ID: 'UMANAGER' },
});

/** A card with one sale whose unpaid `amount` was due on `dueDate`, recorded today. */
async function cardOwing(name: string, amount: string, dueDate: string, date = '2026-10-01') {
  await createCard(h, TEAM_A, { name });
  await recordSale(h, TEAM_A, name, { product: '货款', amountFen: amount, date, dueDate, paidInFull: false });
}

const collectionNudges = (name: string) =>
  h.fake
    .accepted('chat.postMessage')
    .filter((c) => c.args.text.includes(name) && visibleText(c.args.blocks).includes('逾期催款'));

describe('overdue-payment nudges by the collection matrix', () => {
  beforeAll(async () => {
    await cardOwing('小额客户', '500', '2026-11-25', '2026-11-20');
    await cardOwing('整万客户', '10000', '2026-10-24');
    await cardOwing('差一分客户', '9999.99', '2026-10-25');
    await cardOwing('付清客户', '2000', '2026-11-24', '2026-11-20');
    await cardOwing('跨象限客户', '800', '2026-10-30');
  });

  it('nudges receivables that were already overdue when recorded at the next scan, by their quadrant', async () => {
    await h.scanOnEveryInstance();
    const [boundary] = collectionNudges('整万客户');
    expect(boundary!.args.channel).toBe(NUDGE_CHANNEL);
    const text = visibleText(boundary!.args.blocks);
    expect(text).toContain('未收 ¥10,000.00 · 逾期 30 天 · 到期日 2026-10-24');
    expect(text).toContain('请与公司商定特别处理办法');
    expect(boundary!.args.text).toContain('<@U1SELLER> <@UMANAGER>');
    findButton(boundary!.args.blocks, ACTION.recordPayment);

    const [justUnder] = collectionNudges('差一分客户');
    expect(visibleText(justUnder!.args.blocks)).toContain('逾期 29 天');
    expect(visibleText(justUnder!.args.blocks)).toContain('财务：按常规发送催款提醒。');
    expect(justUnder!.args.text).toContain('<@UFINANCE>');

    expect(collectionNudges('小额客户')).toHaveLength(0);
    await h.scanOnEveryInstance();
    expect(collectionNudges('整万客户')).toHaveLength(1);
  });

  it('nudges the day a receivable becomes overdue, once across instances, and not one paid meanwhile', async () => {
    const card = await h.command('付清客户');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.recordPayment));
    expect((await h.submitView(TEAM_A, view, { amountFen: '2000' })).body).toBe('');

    h.clock.set('2026-11-26T08:59:00+08:00');
    await h.scanOnEveryInstance();
    expect(collectionNudges('小额客户')).toHaveLength(0);
    h.clock.set('2026-11-26T09:00:00+08:00');
    await h.scanOnEveryInstance();
    await h.scanOnEveryInstance();
    const small = collectionNudges('小额客户');
    expect(small).toHaveLength(1);
    expect(visibleText(small[0]!.args.blocks)).toContain('逾期 1 天');
    expect(collectionNudges('付清客户')).toHaveLength(0);
    expect(await h.db.collection('nudges').findOne({ kind: 'overdue', status: 'cancelled' })).not.toBeNull();
  });

  it('repeats every 7 days while unpaid, in the quadrant it has moved into', async () => {
    h.clock.set('2026-11-30T09:00:00+08:00');
    await h.scanOnEveryInstance();
    const crossed = collectionNudges('跨象限客户');
    expect(crossed).toHaveLength(2);
    expect(visibleText(crossed[0]!.args.blocks)).toContain('逾期 24 天');
    expect(visibleText(crossed[1]!.args.blocks)).toContain('逾期 31 天');
    expect(visibleText(crossed[1]!.args.blocks)).toContain('财务：发出第 1 级催款函。');
    expect(collectionNudges('整万客户')).toHaveLength(2);

    h.clock.set('2026-12-03T09:00:00+08:00');
    await h.scanOnEveryInstance();
    expect(collectionNudges('小额客户')).toHaveLength(2);
  });

  it('/card overdue lists the overdue receivables oldest due first, with amount, days and quadrant', async () => {
    const reply = await h.command('逾期');
    const text = visibleText(reply.args.blocks);
    const order = ['整万客户', '差一分客户', '跨象限客户', '小额客户'].map((name) => text.indexOf(name));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('未收 ¥10,000.00 · 逾期 40 天 · 到期日 2026-10-24 · 长期大额');
    expect(text).toContain('未收 ¥500.00 · 逾期 8 天 · 到期日 2026-11-25 · 短期小额');
    expect(text).not.toContain('付清客户');
    findButton(reply.args.blocks, ACTION.openCard);
    expect(visibleText((await h.command('overdue', { teamId: 'T9', userId: 'U9' })).args.blocks)).toContain(
      '没有逾期的应收款',
    );
  });

  it('is answered by its button, which replaces the message with who did what', async () => {
    const [, second] = collectionNudges('小额客户');
    const where = { channel: NUDGE_CHANNEL, messageTs: '1700000000.000123' };
    const click = await h.clickButton(TEAM_A, findButton(second!.args.blocks, ACTION.nudgeDone), where);
    const replaced = await h.fake.waitForResponse(click.responseUrl);
    expect(replaced.args.replace_original).toBe(true);
    expect(visibleText(replaced.args.blocks)).toContain('✅ <@U1SELLER>：已发送催款提醒');
    const recorded = await h.db.collection('history').findOne({ action: 'nudgeAnswered' });
    expect(recorded).toMatchObject({ userId: 'U1SELLER', changes: [{ field: 'overdue', to: '已发送催款提醒' }] });

    const again = await h.clickButton(TEAM_A, findButton(second!.args.blocks, ACTION.nudgeDone), where);
    expect(visibleText((await h.fake.waitForResponse(again.responseUrl)).args.blocks)).toContain(
      '这条提醒已经处理过了',
    );
  });

  it('a large, long-overdue debt is answered with the plan agreed, recorded on the card', async () => {
    const [, latest] = collectionNudges('整万客户');
    const where = { channel: NUDGE_CHANNEL, messageTs: '1700000000.000321' };
    const { view } = await h.openModal(TEAM_A, findButton(latest!.args.blocks, ACTION.specialHandling), where);
    expect(view.title.text).toBe('特别处理办法');
    expect((await h.submitView(TEAM_A, view, { plan: '分三期付清，经理同意' })).body).toBe('');
    const updated = await h.fake.waitFor('chat.update', (c) => c.args.ts === where.messageTs);
    expect(updated.args.channel).toBe(NUDGE_CHANNEL);
    expect(visibleText(updated.args.blocks)).toContain('✅ <@U1SELLER>：特别处理：分三期付清，经理同意');
    expect(
      await h.db
        .collection('history')
        .findOne({ action: 'nudgeAnswered', 'changes.to': '特别处理：分三期付清，经理同意' }),
    ).not.toBeNull();
  });

  it('does not post a nudge whose invoice was paid after it was claimed, while Slack was refusing it', async () => {
    await cardOwing('重试客户', '3000', '2026-12-04', '2026-12-03');
    h.fake.failNext('chat.postMessage', { error: 'internal_error' }, 2);
    h.clock.set('2026-12-05T09:00:00+08:00');
    await h.scanOnEveryInstance();
    const claimed = await h.db
      .collection('nudges')
      .findOne({ kind: 'overdue', status: 'pending', lastError: 'internal_error' });
    expect(claimed).toMatchObject({ attempts: 1 });

    const card = await h.command('重试客户');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.recordPayment));
    expect((await h.submitView(TEAM_A, view, { amountFen: '3000' })).body).toBe('');

    h.clock.set('2026-12-05T10:00:00+08:00');
    await h.scanOnEveryInstance();
    expect(collectionNudges('重试客户')).toHaveLength(0);
    expect(await h.db.collection('nudges').findOne({ _id: claimed!._id })).toMatchObject({ status: 'cancelled' });
  });
});
