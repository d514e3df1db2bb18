import { ACTION } from '../src/views/ids.js';
import { createCard } from './support/flows.js';
import { collectionsOf, findButton, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness({ now: '2026-11-23T10:00:00+08:00' });

const { sales, ledgers } = collectionsOf(h);

async function cardOf(name: string, actor: Actor = TEAM_A) {
  return h.command(name, actor);
}

async function openSale(name: string, actor: Actor = TEAM_A) {
  const card = await cardOf(name, actor);
  return h.openModal(actor, findButton(card.args.blocks, ACTION.recordSale), { responseUrl: card.responseUrl });
}

async function openPayment(name: string, actor: Actor = TEAM_A) {
  const card = await cardOf(name, actor);
  return h.openModal(actor, findButton(card.args.blocks, ACTION.recordPayment), { responseUrl: card.responseUrl });
}

describe('recording a sale', () => {
  beforeAll(async () => {
    await createCard(h, TEAM_A, { name: '钱老板', paymentTerms: '月结45天' });
  });

  it('stores amounts typed as people write them in fen, and a receivable for the unpaid part', async () => {
    const { view, responseUrl } = await openSale('钱老板');
    expect(view.blocks.find((b: Record<string, any>) => b.block_id === 'date').element.initial_date).toBe('2026-11-23');
    const before = h.fake.mark();
    const res = await h.submitView(TEAM_A, view, {
      product: '空调',
      model: 'KF-35',
      quantity: 2,
      amountFen: '1.28万',
      profitFen: '¥1,500.50',
    });
    expect(res.body).toBe('');

    const sale = await sales().findOne({ product: '空调' });
    expect(sale).toMatchObject({
      amountFen: 1_280_000,
      profitFen: 150_050,
      quantity: 2,
      dueDate: '2027-01-07',
      paidInFull: false,
      createdBy: 'U1SELLER',
    });
    expect(await ledgers().findOne({ _id: sale!.customerId })).toMatchObject({ outstandingFen: 1_280_000 });
    const shown = visibleText((await h.fake.waitForResponse(responseUrl, before)).args.blocks);
    expect(shown).toContain('¥12,800.00');
    expect(shown).toContain('最近一次：空调 ×2（2026-11-23）');
    expect(await h.db.collection('history').findOne({ customerId: sale!.customerId, action: 'sale' })).toMatchObject({
      userId: 'U1SELLER',
    });
  });

  it.each([
    ['12.345', '金额最多两位小数（到分）。'],
    ['0', '金额必须大于 0。'],
    ['1,2345', '请输入金额（元），例如 12800、12,800.50、¥12800 或 1.28万。'],
    ['200000000', '金额不能超过 ¥100,000,000。'],
  ])('refuses the amount %p with a clear message and stores nothing', async (amount, message) => {
    const { view } = await openSale('钱老板');
    const res = await h.submitView(TEAM_A, view, { product: '冰箱', quantity: 1, amountFen: amount });
    expect(res.json()).toEqual({ response_action: 'errors', errors: { amountFen: message } });
    expect(await sales().countDocuments({ product: '冰箱' })).toBe(0);
  });

  it('records a sale paid in full without a receivable', async () => {
    const { view } = await openSale('钱老板');
    expect(
      (await h.submitView(TEAM_A, view, { product: '风扇', quantity: 1, amountFen: '300', paidInFull: true })).body,
    ).toBe('');
    const sale = await sales().findOne({ product: '风扇' });
    expect(sale).toMatchObject({ paidInFull: true });
    expect(sale).not.toHaveProperty('dueDate');
    expect(await ledgers().findOne({ _id: sale!.customerId })).toMatchObject({ outstandingFen: 1_280_000 });
  });

  it('the same submission delivered twice at once records one sale', async () => {
    const { view } = await openSale('钱老板');
    const answers = await Promise.all([
      h.submitView(TEAM_A, view, { product: '电视', quantity: 1, amountFen: '5000' }),
      h.submitView(TEAM_A, view, { product: '电视', quantity: 1, amountFen: '5000' }),
    ]);
    expect(answers.map((a) => a.body)).toEqual(['', '']);
    expect(await sales().countDocuments({ product: '电视' })).toBe(1);
    const sale = await sales().findOne({ product: '电视' });
    expect(await ledgers().findOne({ _id: sale!.customerId })).toMatchObject({ outstandingFen: 1_780_000 });
  });
});

describe('returns and discounts', () => {
  it('reduce what is owed on the sale, never beyond the sale, and show on it', async () => {
    const card = await cardOf('钱老板');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.recordAdjustment), {
      responseUrl: card.responseUrl,
    });
    const aircon = (await sales().findOne({ product: '空调' }))!;
    const before = (await ledgers().findOne({ _id: aircon.customerId }))!.outstandingFen;

    const saved = await h.submitView(TEAM_A, view, {
      saleId: aircon._id.toHexString(),
      kind: 'return',
      amountFen: '800',
      reason: '坏了一台',
      responsibleId: 'U2COLLEAGUE',
    });
    expect(saved.body).toBe('');
    expect((await ledgers().findOne({ _id: aircon.customerId }))!.outstandingFen).toBe(before - 80_000);
    expect(await h.db.collection('adjustments').findOne({ saleId: aircon._id })).toMatchObject({
      kind: 'return',
      amountFen: 80_000,
      owedReducedFen: 80_000,
      responsibleId: 'U2COLLEAGUE',
    });

    const again = (await h.openModal(TEAM_A, findButton((await cardOf('钱老板')).args.blocks, ACTION.recordAdjustment)))
      .view;
    const refused = await h.submitView(TEAM_A, again, {
      saleId: aircon._id.toHexString(),
      kind: 'discount',
      amountFen: '12,000.01',
      reason: '再打折',
    });
    expect(refused.json().errors).toEqual({ amountFen: '超过这笔交易还可退赔/折价的 ¥12,000.00，没有保存。' });

    const fan = (await sales().findOne({ product: '风扇' }))!;
    expect(
      (
        await h.submitView(TEAM_A, again, {
          saleId: fan._id.toHexString(),
          kind: 'discount',
          amountFen: '100',
          reason: '老客户优惠',
        })
      ).body,
    ).toBe('');
    expect(await h.db.collection('adjustments').findOne({ saleId: fan._id })).toMatchObject({ owedReducedFen: 0 });

    const account = await h.openModal(TEAM_A, findButton((await cardOf('钱老板')).args.blocks, ACTION.money));
    const text = visibleText(account.view.blocks);
    expect(text).toContain('↳ 退货/退赔 ¥800.00：坏了一台 · <@U2COLLEAGUE>');
    expect(text).toContain('↳ 折价 ¥100.00：老客户优惠 · <@U1SELLER>');
  });
});

describe('the credit check before the deal', () => {
  beforeAll(async () => {
    await createCard(h, TEAM_A, { name: '孙掌柜', creditLimitFen: '10000', creditRating: 'low' });
  });

  it('warns with outstanding now, after the sale and the limit, and saves only when told to', async () => {
    const first = await openSale('孙掌柜');
    expect((await h.submitView(TEAM_A, first.view, { product: '货架', quantity: 1, amountFen: '6000' })).body).toBe('');

    const second = await openSale('孙掌柜', TEAM_A_COLLEAGUE);
    const refused = await h.submitView(TEAM_A_COLLEAGUE, second.view, {
      product: '柜台',
      quantity: 1,
      amountFen: '5000',
    });
    expect(refused.json().errors.amountFen).toBe(
      '超出信用额度：现在欠款 ¥6,000.00，这笔交易后 ¥11,000.00，额度 ¥10,000.00。如确需成交，请勾选“仍然保存”。',
    );
    expect(await sales().countDocuments({ product: '柜台' })).toBe(0);

    const saved = await h.submitView(TEAM_A_COLLEAGUE, second.view, {
      product: '柜台',
      quantity: 1,
      amountFen: '5000',
      overrideCredit: true,
    });
    expect(saved.body).toBe('');
    expect(await sales().findOne({ product: '柜台' })).toMatchObject({ creditOverriddenBy: 'U2COLLEAGUE' });
    const card = visibleText((await cardOf('孙掌柜')).args.blocks);
    expect(card).toContain('信用等级低');
    // Past the limit it says by how much, with a warning, never a negative "left".
    expect(card).toContain('⚠️ 信用额度 ¥10,000.00，超出额度 ¥1,000.00');
    expect(card).not.toContain('¥-');
  });
});

describe('recording a payment', () => {
  beforeAll(async () => {
    await createCard(h, TEAM_A, { name: '周会计' });
    for (const [product, amount, due] of [
      ['旧单', '1000', '2026-11-01'],
      ['新单', '2000', '2026-12-31'],
    ] as const) {
      const { view } = await openSale('周会计');
      h.clock.set('2026-10-01T10:00:00+08:00');
      await h.submitView(TEAM_A, view, { product, quantity: 1, amountFen: amount, date: '2026-10-01', dueDate: due });
      h.clock.set('2026-11-23T10:00:00+08:00');
    }
  });

  it('shows what is overdue and settles the oldest due first', async () => {
    expect(visibleText((await cardOf('周会计')).args.blocks)).toContain('逾期 ¥1,000.00（最久 22 天）');
    const { view } = await openPayment('周会计');
    expect((await h.submitView(TEAM_A, view, { amountFen: '1,500' })).body).toBe('');

    const customerId = (await sales().findOne({ product: '旧单' }))!.customerId;
    const ledger = await ledgers().findOne({ _id: customerId });
    expect(ledger).toMatchObject({ outstandingFen: 150_000 });
    expect(ledger!.receivables).toHaveLength(1);
    expect(ledger!.receivables[0]).toMatchObject({ dueDate: '2026-12-31', amountFen: 200_000, settledFen: 50_000 });
    const payment = await h.db.collection('payments').findOne({ customerId });
    expect(payment).toMatchObject({ amountFen: 150_000, date: '2026-11-23' });
    expect(payment!.allocations.map((a: { fen: number }) => a.fen)).toEqual([100_000, 50_000]);
    expect(visibleText((await cardOf('周会计')).args.blocks)).toContain('没有逾期');
  });

  it('refuses an over-payment and a payment dated in the future, storing nothing', async () => {
    const { view } = await openPayment('周会计');
    expect((await h.submitView(TEAM_A, view, { amountFen: '1500.01' })).json().errors).toEqual({
      amountFen: '收款金额超过未收款 ¥1,500.00，没有保存。',
    });
    expect((await h.submitView(TEAM_A, view, { amountFen: '100', date: '2026-11-24' })).json().errors).toEqual({
      date: '日期不能晚于今天。',
    });
    expect(await h.db.collection('payments').countDocuments()).toBe(1);
  });

  it('ten people recording the whole balance at once settle it once', async () => {
    const views = await Promise.all(Array.from({ length: 10 }, async () => (await openPayment('周会计')).view));
    const answers = await Promise.all(views.map((view) => h.submitView(TEAM_A, view, { amountFen: '1500' })));
    expect(answers.filter((a) => a.body === '')).toHaveLength(1);
    expect(answers.filter((a) => a.body !== '' && a.json().errors.amountFen.includes('超过未收款'))).toHaveLength(9);
    const customerId = (await sales().findOne({ product: '旧单' }))!.customerId;
    expect(await ledgers().findOne({ _id: customerId })).toMatchObject({ outstandingFen: 0, receivables: [] });
    const paid = await h.db.collection('payments').find({ customerId }).toArray();
    expect(paid.reduce((sum, p) => sum + p.amountFen, 0)).toBe(300_000);
  });

  it('the Money button lists sales, open receivables and payments, newest first, with who recorded them', async () => {
    const card = await cardOf('周会计');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.money));
    const text = visibleText(view.blocks);
    expect(text.indexOf('2026-10-01 新单 ×1 · ¥2,000.00 · <@U1SELLER>')).toBeGreaterThan(-1);
    expect(text.indexOf('2026-11-23 收款 ¥1,500.00 · <@U1SELLER>')).toBeGreaterThan(-1);
    expect(
      view.blocks.find((b: Record<string, any>) => b.type === 'header' && b.text.text === '未结清的应收款'),
    ).toBeDefined();
    expect(text).toContain('没有。');
  });

  it("another workspace cannot record money on this workspace's card", async () => {
    const { view } = await openSale('周会计');
    const res = await h.submitView(TEAM_B, view, { product: '越权', quantity: 1, amountFen: '100' });
    expect(res.json().errors.amountFen).toContain('不存在或不属于本工作区');
    expect(await sales().countDocuments({ product: '越权' })).toBe(0);
  });
});

describe('the post-sale check-in', () => {
  it('nudges the owner a week after the sale, once, and can be snoozed', async () => {
    await createCard(h, TEAM_A, { name: '吴店长' });
    h.clock.set('2026-11-23T10:00:00+08:00');
    const { view } = await openSale('吴店长');
    await Promise.all(
      [1, 2].map(() =>
        h.submitView(TEAM_A, view, { product: '净水器', quantity: 1, amountFen: '2999', paidInFull: true }),
      ),
    );
    expect(await h.db.collection('nudges').countDocuments({ kind: 'checkIn', plan: '净水器' })).toBe(1);

    h.clock.set('2026-11-30T08:59:00+08:00');
    await h.instances[0]!.app.scanNudges();
    const checkIns = () =>
      h.fake.accepted('chat.postMessage').filter((c) => visibleText(c.args.blocks).includes('净水器'));
    expect(checkIns()).toHaveLength(0);

    h.clock.set('2026-11-30T09:00:00+08:00');
    await h.instances[0]!.app.scanNudges();
    await h.instances[0]!.app.scanNudges();
    expect(checkIns()).toHaveLength(1);
    const [posted] = checkIns();
    expect(posted!.args.channel).toBe('U1SELLER');
    expect(posted!.args.text).toContain('售后回访');
    expect(visibleText(posted!.args.blocks)).toContain('一周前卖给 *吴店长*');

    const click = await h.clickButton(TEAM_A, findButton(posted!.args.blocks, ACTION.snoozeWeek), {
      channel: 'U1SELLER',
      messageTs: '1700000000.000099',
    });
    expect(visibleText((await h.fake.waitForResponse(click.responseUrl)).args.blocks)).toContain(
      '已将提醒推迟到 2026-12-07',
    );
    const snoozed = await h.db.collection('history').findOne({ action: 'checkInSnoozed' });
    expect(snoozed!.changes).toEqual([{ field: 'checkInDate', from: '2026-11-30', to: '2026-12-07' }]);
  });
});
