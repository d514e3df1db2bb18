import { ACTION } from '../src/views/ids.js';
import {
  collectionsOf,
  findButton,
  NUDGE_CHANNEL,
  TEAM_A,
  TEAM_A_COLLEAGUE,
  TEAM_B,
  visibleText,
} from './support/harness.js';
import { payloadBody, postToSlackEndpoint, signatureHeaders, slashCommandBody } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';
import { cardWithFollowUp } from './support/visits.js';

const h = useHarness();

const { customers, history } = collectionsOf(h);

/** The exact body Slack would deliver for a submission, to be delivered more than once. */
async function captureSubmission(submit: () => Promise<unknown>): Promise<string> {
  const realPost = h.post.bind(h);
  let captured = '';
  h.post = async (body: string) => {
    captured = body;
    return { status: 0, body: '', json: () => ({}) };
  };
  try {
    await submit();
  } finally {
    h.post = realPost;
  }
  return captured;
}

describe('the same delivery processed twice has one effect', () => {
  it('a create submission delivered three times, twice at once, makes one card', async () => {
    const { view, responseUrl } = await h.openModal(TEAM_A, {
      action_id: ACTION.newCard,
      value: JSON.stringify({ name: '重放客户' }),
    });
    const body = await captureSubmission(() => h.submitView(TEAM_A, view, { phone: '139 0000 1111' }));

    const answers = [...(await Promise.all([h.post(body), h.post(body)])), await h.post(body)];
    expect(answers.map((a) => `${a.status} ${a.body}`)).toEqual(['200 ', '200 ', '200 ']);
    const cards = await customers().find({ teamId: 'T1', name: '重放客户' }).toArray();
    expect(cards).toHaveLength(1);
    expect(await history().countDocuments({ customerId: cards[0]!._id, action: 'created' })).toBe(1);
    await h.fake.waitForResponse(responseUrl);
  });

  it('an edit submission delivered twice changes the card once and answers both as saved', async () => {
    const card = await h.command('重放客户');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.editCard));
    const body = await captureSubmission(() => h.submitView(TEAM_A, view, { preferences: '喜欢绿茶' }));
    const before = (await customers().findOne({ name: '重放客户' }))!;

    const answers = await Promise.all([h.post(body), h.post(body)]);
    expect(answers.map((a) => `${a.status} ${a.body}`)).toEqual(['200 ', '200 ']);
    const after = (await customers().findOne({ _id: before._id }))!;
    expect(after).toMatchObject({ preferences: '喜欢绿茶', version: before.version + 1 });
    expect(await history().countDocuments({ customerId: before._id, action: 'updated' })).toBe(1);
  });

  it('a visit submission delivered twice logs one visit and one follow-up', async () => {
    const card = await h.command('重放客户');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.logVisit));
    const body = await captureSubmission(() =>
      h.submitView(TEAM_A, view, {
        notes: '谈了新品',
        nextFollowUpDate: '2026-12-01',
        nextFollowUpPlan: '送样品',
        promise1: '下周寄样品',
        promise1Due: '2026-11-30',
      }),
    );
    const answers = await Promise.all([h.post(body), h.post(body)]);
    expect(answers.map((a) => `${a.status} ${a.body}`)).toEqual(['200 ', '200 ']);
    await h.post(body);

    const customerId = (await customers().findOne({ name: '重放客户' }))!._id;
    expect(await h.db.collection('visits').countDocuments({ customerId })).toBe(1);
    expect(await h.db.collection('nudges').countDocuments({ customerId, kind: 'followUp', status: 'pending' })).toBe(1);
    expect(await h.db.collection('nudges').countDocuments({ customerId, kind: 'promise', status: 'pending' })).toBe(1);
    expect(await history().countDocuments({ customerId, action: 'visit' })).toBe(1);
    expect(await h.db.collection('promises').countDocuments({ customerId })).toBe(1);
  });

  it('a snooze button pressed twice at once moves the follow-up by one day, once', async () => {
    await cardWithFollowUp(h, '双击客户', '2026-11-25', '双击测试');
    h.clock.set('2026-11-25T09:00:00+08:00');
    await h.instances[0]!.app.scanNudges();
    const nudge = h.fake.accepted('chat.postMessage').find((c) => visibleText(c.args.blocks).includes('双击客户'))!;
    const where = { channel: NUDGE_CHANNEL, messageTs: '1700000000.000009' };
    const button = findButton(nudge.args.blocks, ACTION.snoozeDay);

    const clicks = await Promise.all([
      h.clickButton(TEAM_A, button, where),
      h.clickButton(TEAM_A_COLLEAGUE, button, where),
    ]);
    const answers = await Promise.all(clicks.map((c) => h.fake.waitForResponse(c.responseUrl)));

    const followUp = await h.db.collection('nudges').findOne({ plan: '双击测试' });
    expect(followUp).toMatchObject({ status: 'pending', dueDate: '2026-11-26' });
    const snoozes = await history().find({ customerId: followUp!.customerId, action: 'followUpSnoozed' }).toArray();
    expect(snoozes).toHaveLength(1);
    expect(snoozes[0]!.changes).toEqual([{ field: 'nextFollowUpDate', from: '2026-11-25', to: '2026-11-26' }]);
    const texts = answers.map((a) => visibleText(a.args.blocks));
    expect(texts.filter((t) => t.includes('已将提醒推迟到 2026-11-26'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('这条提醒已经处理过了'))).toHaveLength(1);
  });
});

describe('request timestamps', () => {
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it('refuses a request signed more than 5 minutes in the future, like one 5 minutes old', async () => {
    const body = slashCommandBody(TEAM_B, '未来客户', h.nextResponseUrl());
    const res = await postToSlackEndpoint(
      h.instances[0]!.url,
      body,
      signatureHeaders(body, undefined, nowSeconds() + 60 * 60),
    );
    expect(res.status).toBe(401);
    const justOver = await postToSlackEndpoint(
      h.instances[0]!.url,
      body,
      signatureHeaders(body, undefined, nowSeconds() + 5 * 60 + 30),
    );
    expect(justOver.status).toBe(401);
    expect(await h.db.collection('teams').countDocuments({ _id: 'T2' as never })).toBe(0);
  });

  it('accepts a clock a little ahead of ours', async () => {
    const responseUrl = h.nextResponseUrl();
    const body = slashCommandBody(TEAM_B, 'help', responseUrl);
    const res = await postToSlackEndpoint(
      h.instances[0]!.url,
      body,
      signatureHeaders(body, undefined, nowSeconds() + 60),
    );
    expect(res.status).toBe(200);
    await h.fake.waitForResponse(responseUrl);
  });
});

describe('a signed submission whose view is not the usual shape', () => {
  const submission = (view: unknown) =>
    payloadBody({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: 'U1SELLER', team_id: 'T1' },
      api_app_id: 'A1',
      view,
    });
  const cardView = (state: unknown, privateMetadata = '{}') => ({
    id: 'VODD',
    hash: 'h',
    callback_id: 'card_modal',
    private_metadata: privateMetadata,
    state,
  });

  it.each([
    ['state null', cardView(null)],
    ['state {}', cardView({})],
    ['values null', cardView({ values: null })],
    ['a null block', cardView({ values: { name: null } })],
    ['a null action', cardView({ values: { name: { value: null } } })],
    ['a number for a value', cardView({ values: { name: { value: { type: 'plain_text_input', value: 42 } } } })],
    [
      'metadata that is not JSON',
      cardView({ values: { name: { value: { type: 'plain_text_input', value: '某人' } } } }, '{not json'),
    ],
    [
      'metadata naming another card',
      cardView({ values: { name: { value: { type: 'plain_text_input', value: '某人' } } } }, '{"customerId":"zzz"}'),
    ],
  ])('%s: answers at once with an error on the form, writes nothing', async (_, view) => {
    const started = performance.now();
    const res = await h.post(submission(view));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ response_action: 'errors', errors: { name: expect.any(String) } });
    expect(await customers().countDocuments({ name: '某人' })).toBe(0);
  });

  it('a visit submission with no card behind it is told so on the form', async () => {
    const res = await h.post(
      submission({ id: 'VV', hash: 'h', callback_id: 'visit_modal', private_metadata: '', state: { values: null } }),
    );
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ response_action: 'errors', errors: { date: expect.any(String) } });
  });
});
