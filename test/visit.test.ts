import { ACTION } from '../src/views/ids.js';
import { createCard, type CreatedCard } from './support/flows.js';
import { findButton, TEAM_A, TEAM_B, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

// 01:30 on 24 Nov in Shanghai is still 23 Nov in UTC: "today" must be the team's.
const h = useHarness({ now: '2026-11-23T17:30:00Z' });
let card: CreatedCard;

beforeAll(async () => {
  card = await createCard(h, TEAM_A, { name: '钱七', company: '钱记茶庄' });
});

async function openVisit(actor = TEAM_A) {
  const shown = await h.command('钱七', actor);
  return h.openModal(actor, findButton(shown.args.blocks, ACTION.logVisit), { responseUrl: shown.responseUrl });
}

const field = (view: Record<string, any>, id: string) =>
  view.blocks.find((b: Record<string, any>) => b.block_id === id).element;

describe('the visit modal', () => {
  it("defaults to today in the team's time zone", async () => {
    const { view } = await openVisit();
    expect(view.title.text).toBe('拜访记录');
    expect(field(view, 'date').initial_date).toBe('2026-11-24');
    expect(field(view, 'kind').initial_option.value).toBe('visit');
    expect(visibleText(view.blocks)).toContain('钱七');
  });

  it('stores the visit, its promises and follow-up, and refreshes the card', async () => {
    const { view, responseUrl } = await openVisit();
    const before = h.fake.mark();
    const res = await h.submitView(TEAM_A, view, {
      kind: 'phone',
      notes: '聊了春节备货',
      needs: '要 200 箱乌龙',
      attitude: 'positive',
      visitWelcome: 'yes',
      lastPurchaseDate: '2026-10-01',
      purchaseQuantity: '120',
      purchaseKinds: '乌龙、普洱',
      stockOnHand: '30',
      nextFollowUpDate: '2026-11-26',
      nextFollowUpPlan: '送样品',
      promise1: '10号上门送货',
      promise1Due: '2026-12-10',
    });
    expect(res.body).toBe('');

    const visit = await h.db.collection('visits').findOne({ teamId: 'T1' });
    expect(visit).toMatchObject({
      date: '2026-11-24',
      kind: 'phone',
      needs: '要 200 箱乌龙',
      attitude: 'positive',
      visitWelcome: 'yes',
      lastPurchaseDate: '2026-10-01',
      purchaseQuantity: 120,
      stockOnHand: 30,
      createdBy: 'U1SELLER',
    });
    expect(await h.db.collection('promises').findOne({ visitId: visit!._id })).toMatchObject({
      text: '10号上门送货',
      dueDate: '2026-12-10',
      status: 'open',
    });
    const followUp = await h.db.collection('nudges').findOne({ customerId: visit!.customerId, kind: 'followUp' });
    expect(followUp).toMatchObject({ status: 'pending', dueDate: '2026-11-26', plan: '送样品', ownerId: 'U1SELLER' });
    expect(followUp!.nextAttemptAt.toISOString()).toBe('2026-11-26T01:00:00.000Z');
    expect(await h.db.collection('customers').findOne({ _id: visit!.customerId })).toMatchObject({
      lastContactDate: '2026-11-24',
    });
    expect(await h.db.collection('history').findOne({ action: 'visit', visitId: visit!._id })).toMatchObject({
      userId: 'U1SELLER',
    });

    const shown = visibleText((await h.fake.waitForResponse(responseUrl, before)).args.blocks);
    expect(shown).toContain('2026-11-24 · 电话 · <@U1SELLER>');
    expect(shown).toContain('聊了春节备货');
    expect(shown).toContain('2026-11-26 · 送样品');
    expect(shown).toContain('2026-12-10 10号上门送货');
  });

  it('a new follow-up date replaces the earlier one without deleting it', async () => {
    const { view } = await openVisit();
    await h.submitView(TEAM_A, view, { notes: '改期', nextFollowUpDate: '2026-12-01' });
    const followUps = await h.db
      .collection('nudges')
      .find({ teamId: 'T1', kind: 'followUp' })
      .sort({ createdAt: 1 })
      .toArray();
    expect(followUps.map((f) => [f.dueDate, f.status])).toEqual([
      ['2026-11-26', 'superseded'],
      ['2026-12-01', 'pending'],
    ]);
    expect(visibleText((await h.command('钱七')).args.blocks)).toContain('2026-12-01');
  });

  it.each([
    [{ date: '2026-11-25' }, { date: '日期不能晚于今天。' }],
    [{ nextFollowUpDate: '2026-11-23' }, { nextFollowUpDate: '跟进日期不能早于今天。' }],
    [{ nextFollowUpPlan: '再打电话' }, { nextFollowUpDate: '填写了跟进内容，请同时选择跟进日期。' }],
    [{ promise2: '寄资料' }, { promise2Due: '请为这条承诺选择兑现日期。' }],
    [{ promise3Due: '2026-12-01' }, { promise3: '请填写承诺内容。' }],
    [{ purchaseQuantity: '-3' }, { purchaseQuantity: '请输入不小于 0 的整数。' }],
    [{ kind: null }, { kind: '必填。' }],
  ])('refuses %p inline and stores nothing', async (changes, errors) => {
    const visitsBefore = await h.db.collection('visits').countDocuments();
    const { view } = await openVisit();
    const res = await h.submitView(TEAM_A, view, changes);
    expect(res.json()).toEqual({ response_action: 'errors', errors });
    expect(await h.db.collection('visits').countDocuments()).toBe(visitsBefore);
  });

  it("cannot log a visit on another workspace's card", async () => {
    const { view } = await openVisit();
    const res = await h.submitView(TEAM_B, view, { notes: 'intruder' });
    expect(res.json().errors).toEqual({ date: '这张客户卡不存在或不属于本工作区。' });
    expect(await h.db.collection('visits').countDocuments({ notes: 'intruder' })).toBe(0);
    expect(card.id).toMatch(/^[0-9a-f]{24}$/);
  });
});
