import { ObjectId } from 'mongodb';
import { ACTION, FUNCTION } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard, type CreatedCard } from './support/flows.js';
import { collectionsOf, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/**
 * The Workflow Builder steps, run as Slack runs them: a signed
 * function_executed event carrying the inputs and a token for that one
 * execution; the step ends with functions.completeSuccess or completeError.
 */
const h = useHarness({ now: '2026-11-23T10:00:00+08:00' }, { checkLogs: true });
const { customers, nudges, referrals } = collectionsOf(h);
const visits = () => h.db.collection('visits');
const SELLER = TEAM_A;
let referrer: CreatedCard;

/** Runs a step in the workspace and resolves with how it ended, and the calls it made. */
async function run(callbackId: string, inputs: Record<string, unknown>, teamId = SELLER.teamId, executionId?: string) {
  const before = h.fake.mark();
  const started = await h.executeStep(teamId, callbackId, inputs, executionId ? { executionId } : {});
  expect(started.status).toBe(200);
  const end = await h.stepEnd(started.executionId);
  return { ...end, calls: h.fake.calls.slice(before), token: started.token, executionId: started.executionId };
}

beforeAll(async () => {
  referrer = await createCard(h, SELLER, { name: '老客户', phone: '138 0000 1111' });
});

describe('create_customer_card', () => {
  it('creates the card, sends it to its owner, and outputs its number and the link to that message', async () => {
    const end = await run(FUNCTION.createCard, {
      name: '展会客户',
      phone: '139-1234-5678',
      company: '华南电器',
      region: '广州',
      owner: TEAM_A_COLLEAGUE.userId,
    });
    expect(end.outcome).toBe('success');
    const card = await customers().findOne({ teamId: SELLER.teamId, name: '展会客户' });
    expect(card).toMatchObject({
      company: '华南电器',
      region: '广州',
      phoneKey: '13912345678',
      ownerId: TEAM_A_COLLEAGUE.userId,
    });
    const posted = end.calls.find((c) => c.method === 'chat.postMessage')!;
    expect(posted.args.channel).toBe(TEAM_A_COLLEAGUE.userId);
    expect(visibleText(posted.args.blocks)).toContain('展会客户');
    expect(JSON.stringify(posted.args.blocks)).toContain(ACTION.editCard);
    expect(end.outputs).toEqual({
      card_number: card!.number,
      card_link: `https://example.slack.com/archives/D${TEAM_A_COLLEAGUE.userId}/p${String(posted.result!.ts).replace('.', '')}`,
    });
    // Everything the step did in Slack, it did with the token Slack gave that execution.
    expect(end.calls.every((c) => c.method === 'response_url' || c.token === end.token)).toBe(true);
  });

  it('links the referrer named by phone, and the owner is nudged to contact the prospect at once', async () => {
    const end = await run(FUNCTION.createCard, { name: '转介绍客户', referrer: '13800001111', owner: SELLER.userId });
    expect(end.outcome).toBe('success');
    const prospect = await customers().findOne({ name: '转介绍客户' });
    expect(prospect).toMatchObject({ referrerId: referrer.id });
    expect(await referrals().findOne({ referredId: prospect!._id })).toMatchObject({ status: 'open' });
    // The step ends first; the card's reminders are set going right after, as for a card saved in a modal.
    await eventually(async () =>
      expect(await nudges().findOne({ customerId: prospect!._id, kind: 'referral' })).toMatchObject({
        status: 'pending',
      }),
    );
    await h.scanOnEveryInstance();
    const nudge = h.fake
      .accepted('chat.postMessage')
      .find((c) => c.args.channel === SELLER.userId && visibleText(c.args.blocks).includes('转介绍：请马上联系'));
    expect(visibleText(nudge!.args.blocks)).toContain('转介绍客户');
  });

  it('reads a birthday as the create modal does: the card keeps the date and its owner is set to greet it', async () => {
    const end = await run(FUNCTION.createCard, {
      name: '寿星客户',
      birthday: '1988-12-01',
      owner: TEAM_A_COLLEAGUE.userId,
    });
    expect(end.outcome).toBe('success');
    const card = await customers().findOne({ teamId: SELLER.teamId, name: '寿星客户' });
    expect(card).toMatchObject({
      birthday: { calendar: 'solar', year: 1988, month: 12, day: 1 },
      nextOccasionOn: '2026-12-01',
    });
    // The greeting is set going after the step ends, as for a card saved in a modal.
    await eventually(async () =>
      expect(await nudges().findOne({ customerId: card!._id, kind: 'greeting' })).toMatchObject({
        status: 'pending',
        ownerId: TEAM_A_COLLEAGUE.userId,
        occursOn: '2026-12-01',
        dueDate: '2026-11-28',
      }),
    );
  });

  it('creates one card when Slack delivers the same execution twice', async () => {
    const inputs = { name: '重复客户', owner: SELLER.userId };
    await run(FUNCTION.createCard, inputs, SELLER.teamId, 'FxTWICE');
    await run(FUNCTION.createCard, inputs, SELLER.teamId, 'FxTWICE');
    expect(await customers().countDocuments({ name: '重复客户' })).toBe(1);
  });

  it.each([
    [{ owner: SELLER.userId }, '「姓名 / 名称」（`name`）：必填。'],
    [{ name: '某', phone: 'call me', owner: SELLER.userId }, '「电话」（`phone`）：电话号码只能包含数字'],
    [{ name: '某', company: '公'.repeat(201), owner: SELLER.userId }, '「公司」（`company`）：太长了：最多'],
    [{ name: '某', owner: 'CNOTAPERSON' }, '「负责人」（`owner`）：请从列表中选择一位同事。'],
    [{ name: '某', birthday: '2月30日', owner: SELLER.userId }, '「生日」（`birthday`）：这个月没有这一天。'],
    [{ name: '某', birthday: '2030-01-01', owner: SELLER.userId }, '「生日」（`birthday`）：出生日期不能晚于今天。'],
    [{ name: '某' }, '「负责人」（`owner`）：必填。'],
    [
      { name: '某', referrer: 'KH-2026-9999', owner: SELLER.userId },
      '「推荐人」（`referrer`）：没有卡号或电话是「KH-2026-9999」的客户卡。',
    ],
    [{ name: '某', referrer: '老客户', owner: SELLER.userId }, '「推荐人」（`referrer`）：请填客户卡号'],
  ])('ends with fail, naming the input and why, and creates nothing (case %#)', async (inputs, why) => {
    const count = await customers().countDocuments();
    const end = await run(FUNCTION.createCard, inputs);
    expect(end.outcome).toBe('error');
    expect(end.error).toContain(why);
    expect(await customers().countDocuments()).toBe(count);
  });

  it('still ends well when the card cannot be sent to its owner: the link opens the app instead', async () => {
    h.fake.failNext('chat.postMessage', { error: 'internal_error' });
    const end = await run(FUNCTION.createCard, { name: '发送失败', owner: SELLER.userId });
    const card = await customers().findOne({ name: '发送失败' });
    expect(end).toMatchObject({
      outcome: 'success',
      outputs: { card_number: card!.number, card_link: 'https://slack.com/app_redirect?app=A1&team=T1' },
    });
    expect(h.logs.splice(0)).toEqual([
      expect.stringMatching(/^WARN team T1 user \? create_customer_card: card KH-2026-\d+ not sent to its owner/),
    ]);
  });

  it('a failure of its own ends the step with fail and a reason, and is logged', async () => {
    h.fake.failNext('functions.completeSuccess', { error: 'invalid_outputs' });
    const end = await run(FUNCTION.createCard, { name: '完成被拒', owner: SELLER.userId });
    expect(end).toMatchObject({
      outcome: 'error',
      error: '出错了，没能完成。请稍后再试；如果一直出错，请联系管理员。',
    });
    expect(h.logs.splice(0)).toEqual([
      expect.stringMatching(/^ERROR team T1 user \? create_customer_card failed: .*invalid_outputs/),
    ]);
  });
});

describe('log_customer_visit', () => {
  it('logs a visit on the card named by number, with the follow-up it sets going; outputs the card number', async () => {
    const end = await run(FUNCTION.logVisit, {
      customer: referrer.number,
      note: '展会上聊了新款',
      next_follow_up_date: '2026-11-27',
      kind: '电话',
      logged_by: TEAM_A_COLLEAGUE.userId,
    });
    expect(end).toMatchObject({ outcome: 'success', outputs: { card_number: referrer.number } });
    expect(await visits().findOne({ customerId: new ObjectId(referrer.id) })).toMatchObject({
      date: '2026-11-23',
      kind: 'phone',
      notes: '展会上聊了新款',
      nextFollowUpDate: '2026-11-27',
      createdBy: TEAM_A_COLLEAGUE.userId,
    });
    expect(await customers().findOne({ _id: new ObjectId(referrer.id) })).toMatchObject({
      lastContactDate: '2026-11-23',
    });
    expect(await nudges().findOne({ customerId: new ObjectId(referrer.id), kind: 'followUp' })).toMatchObject({
      dueDate: '2026-11-27',
      status: 'pending',
    });
  });

  it('finds the customer by phone, and logs once when the same execution comes twice', async () => {
    const inputs = { customer: '138 0000 1111', note: '回访', logged_by: SELLER.userId };
    await run(FUNCTION.logVisit, inputs, SELLER.teamId, 'FxVISIT');
    await run(FUNCTION.logVisit, inputs, SELLER.teamId, 'FxVISIT');
    expect(await visits().countDocuments({ notes: '回访' })).toBe(1);
  });

  it.each([
    [
      { customer: 'KH-2026-9999', logged_by: SELLER.userId },
      '「客户」（`customer`）：没有卡号或电话是「KH-2026-9999」的客户卡。',
    ],
    [{ customer: '老客户', logged_by: SELLER.userId }, '「客户」（`customer`）：请填客户卡号'],
    [{ customer: '13800001111' }, '「记录人」（`logged_by`）：必填。'],
    [{ customer: '13800001111', logged_by: 'nobody' }, '「记录人」（`logged_by`）：请从列表中选择一位同事。'],
    [
      { customer: '13800001111', logged_by: SELLER.userId, kind: 'fax' },
      '「方式」（`kind`）：请填拜访、电话、会面或消息。',
    ],
    [
      { customer: '13800001111', logged_by: SELLER.userId, next_follow_up_date: '2026-11-01' },
      '「下次跟进日期」（`next_follow_up_date`）：跟进日期不能早于今天。',
    ],
    [
      { customer: '13800001111', logged_by: SELLER.userId, next_follow_up_date: '下周' },
      '「下次跟进日期」（`next_follow_up_date`）：日期无效。',
    ],
    [
      { customer: '13800001111', logged_by: SELLER.userId, note: '话'.repeat(3001) },
      '「谈了什么」（`note`）：太长了：最多 3000 个字符。',
    ],
  ])('ends with fail, naming the input and why, and logs nothing (case %#)', async (inputs, why) => {
    const count = await visits().countDocuments();
    const end = await run(FUNCTION.logVisit, inputs);
    expect(end.outcome).toBe('error');
    expect(end.error).toContain(why);
    expect(await visits().countDocuments()).toBe(count);
  });

  it('never reaches a card of another workspace', async () => {
    const other = await createCard(h, TEAM_B, { name: '乙队客户', phone: '137 0000 3333' });
    // By phone: card numbers restart in each workspace, so 乙队's KH-2026-0001 is another card in 甲队.
    const end = await run(FUNCTION.logVisit, { customer: '13700003333', note: '越界', logged_by: SELLER.userId });
    expect(end).toMatchObject({
      outcome: 'error',
      error: '「客户」（`customer`）：没有卡号或电话是「13700003333」的客户卡。',
    });
    expect(await visits().countDocuments({ customerId: new ObjectId(other.id) })).toBe(0);
    const own = await run(
      FUNCTION.logVisit,
      { customer: other.number, note: '本队', logged_by: TEAM_B.userId },
      TEAM_B.teamId,
    );
    expect(own.outcome).toBe('success');
  });
});
