import { ACTION } from '../src/views/ids.js';
import { findButton, Harness, TEAM_A, visibleText } from './support/harness.js';
import { createCard } from './support/flows.js';
import { payloadBody, postToSlackEndpoint, signatureHeaders, slashCommandBody } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness({}, { checkPayloads: false });

const newCardSubmission = () =>
  payloadBody({
    type: 'view_submission',
    team: { id: 'T1' },
    user: { id: 'U1SELLER', team_id: 'T1' },
    api_app_id: 'A1',
    view: {
      id: 'V1',
      callback_id: 'card_modal',
      private_metadata: '{}',
      state: { values: { name: { value: { type: 'plain_text_input', value: '伪造' } } } },
    },
  });

describe('request verification', () => {
  it.each([
    ['a wrong signature', (body: string) => signatureHeaders(body, 'not-the-secret')],
    ['a stale timestamp', (body: string) => signatureHeaders(body, undefined, Math.floor(Date.now() / 1000) - 10 * 60)],
    ['no signature', () => ({})],
  ])('answers 401 to %s and writes nothing', async (_, headers) => {
    const body = newCardSubmission();
    const res = await postToSlackEndpoint(h.instances[0]!.url, body, headers(body));
    expect(res.status).toBe(401);
    expect(await h.db.collection('customers').countDocuments()).toBe(0);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('still accepts a correctly signed request', async () => {
    const body = slashCommandBody(TEAM_A, 'help', h.nextResponseUrl());
    expect((await postToSlackEndpoint(h.instances[0]!.url, body)).status).toBe(200);
  });

  it('signed body tampered after signing is refused', async () => {
    const body = slashCommandBody(TEAM_A, 'help', h.nextResponseUrl());
    const headers = signatureHeaders(body);
    const res = await postToSlackEndpoint(h.instances[0]!.url, body.replace('help', 'KH-2026-0001'), headers);
    expect(res.status).toBe(401);
  });
});

describe('GET /healthz', () => {
  it('answers 200 while MongoDB is reachable and 503 once it is not', async () => {
    const spare = await Harness.start();
    const url = `${spare.instances[0]!.url}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await spare.instances[0]!.app.connection.close();
    const res = await fetch(url);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('database unreachable');
    await spare.stop();
  });
});

describe('a request that fails after its acknowledgement', () => {
  it('is logged with who and what, never a token, and the user is told', async () => {
    h.fake.failNext('views.open', { error: 'internal_error' });
    const click = await h.clickButton(TEAM_A, { action_id: ACTION.newCard, value: '{}' });
    const notice = await h.fake.waitForResponse(click.responseUrl);
    expect(visibleText(notice.args.blocks)).toContain('出错了');
    expect(notice.args.replace_original).toBe(false);
    expect(h.logs.join('\n')).toContain('team T1 user U1SELLER card_new failed');
    expect(h.logs.join('\n')).not.toMatch(/xox[bpa]-/);
  });
});

describe('a signed request no listener takes', () => {
  const from = { team: { id: 'T1', domain: 'example' }, user: { id: 'U1SELLER', team_id: 'T1' }, api_app_id: 'A1' };
  it.each([
    [
      'a button the app no longer has',
      {
        type: 'block_actions',
        ...from,
        trigger_id: 't',
        actions: [{ action_id: 'retired_button', block_id: 'b', type: 'button', value: 'x' }],
      },
    ],
    [
      'a modal closed',
      { type: 'view_closed', ...from, view: { id: 'V1', callback_id: 'card_modal', private_metadata: '{}' } },
    ],
    [
      'a read-only modal submitted',
      {
        type: 'view_submission',
        ...from,
        view: { id: 'V1', callback_id: 'history_modal', private_metadata: '{}', state: { values: {} } },
      },
    ],
    ['a global shortcut', { type: 'shortcut', ...from, callback_id: 'not_ours', trigger_id: 't' }],
    [
      'a message shortcut',
      {
        type: 'message_action',
        ...from,
        callback_id: 'not_ours',
        trigger_id: 't',
        channel: { id: 'C1' },
        message: { ts: '1.1', text: 'x' },
      },
    ],
  ])('is answered 200 at once: %s', async (_, payload) => {
    const started = performance.now();
    const res = await h.post(payloadBody(payload));
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('a crafted owner id', () => {
  it.each([['CLEAKY01'], ['<!channel>'], ['U1SELLER|x'], ['G0PRIVATE']])(
    '%s is refused inline on the card and referral modals, nothing saved',
    async (owner) => {
      const before = await h.db.collection('customers').countDocuments();
      const { view } = await h.openModal(TEAM_A, {
        action_id: ACTION.newCard,
        value: JSON.stringify({ name: '所有者伪造' }),
      });
      const res = await h.submitView(TEAM_A, view, { name: '所有者伪造', ownerId: owner });
      expect(res.json()).toEqual({ response_action: 'errors', errors: { ownerId: '请从列表中选择一位同事。' } });

      const referrer = await createCard(h, TEAM_A, { name: `推荐人${before}` });
      const card = await h.command(`推荐人${before}`);
      const { view: referral } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.recordReferral), {
        responseUrl: card.responseUrl,
      });
      const refused = await h.submitView(TEAM_A, referral, { name: '被推荐伪造', ownerId: owner });
      expect(refused.json()).toEqual({ response_action: 'errors', errors: { ownerId: '请从列表中选择一位同事。' } });
      expect(await h.db.collection('customers').countDocuments()).toBe(before + 1);
      expect(referrer.id).toBeTruthy();
    },
  );
});

describe('a button pressed where Slack gives no response_url (App Home, a modal)', () => {
  const GONE = '0123456789abcdef01234567';
  it.each([
    [ACTION.editCard, GONE],
    [ACTION.recordSale, GONE],
    [ACTION.recordPayment, GONE],
    [ACTION.reassign, GONE],
    [ACTION.markAmbassador, GONE],
    [ACTION.snoozeDay, `${GONE}:2`],
    [ACTION.nudgeDone, `${GONE}:2`],
    [ACTION.promiseKept, GONE],
    [ACTION.thankReferrer, GONE],
  ])('%s answers in the DM instead of failing', async (actionId, value) => {
    const after = h.fake.mark();
    const logged = h.logs.length;
    expect((await h.homeAction(TEAM_A, { action_id: actionId, type: 'button', value })).status).toBe(200);
    const dm = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === TEAM_A.userId, after);
    expect(visibleText(dm.args.blocks ?? []) || dm.args.text).not.toContain('出错了');
    expect(dm.args.replace_original).toBeUndefined();
    expect(h.logs.slice(logged).join('\n')).not.toContain('is not a function');
  });
});
