import fc from 'fast-check';
import { ACTION, CALLBACK } from '../src/views/ids.js';
import { createCard } from './support/flows.js';
import { suggest, TEAM_A } from './support/harness.js';
import {
  payloadBody,
  postToSlackEndpoint,
  signatureHeaders,
  slashCommandBody,
  type Actor,
} from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

/**
 * Random command texts, submissions and button presses from one workspace,
 * through the signed front door: every one is answered without a 5xx, nothing
 * rejects unhandled, and nothing outside the caller's workspace changes.
 */
const FUZZER: Actor = { teamId: 'TFUZZ', userId: 'UFUZZ' };
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let otherTeamCardId: string;
let ownCardId: string;
let before: string;
let modalInputs: Record<string, { blockId: string; type: string }[]>;
const statuses: number[] = [];

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});

const h = useHarness(
  {},
  {
    checkPayloads: false,
    stop: async (stopHarness) => {
      process.off('unhandledRejection', onUnhandled);
      await stopHarness();
    },
  },
);

/** Every document of every collection that belongs to another workspace, as text. */
async function otherWorkspaces(): Promise<string> {
  const dump: Record<string, unknown[]> = {};
  for (const { name } of await h.db.listCollections().toArray()) {
    // The scheduler's own bookkeeping: written on its timer (the nightly segmentation's day claims), never by a
    // request.
    if (name.startsWith('agenda') || name === 'segmentRuns') continue;
    const docs = await h.db.collection(name).find().toArray();
    const ours = (d: Record<string, unknown>) =>
      d.teamId === FUZZER.teamId || d._id === FUZZER.teamId || String(d._id).startsWith(`${FUZZER.teamId}:`);
    dump[name] = docs.filter((d) => !ours(d)).sort((a, b) => String(a._id).localeCompare(String(b._id)));
  }
  return JSON.stringify(dump);
}

function inputsOf(view: Record<string, any>) {
  return (view.blocks as Record<string, any>[])
    .filter((b) => b.type === 'input')
    .map((b) => ({ blockId: b.block_id as string, type: b.element.type as string }));
}

beforeAll(async () => {
  const theirs = await createCard(h, TEAM_A, { name: '别队客户', phone: '138 0000 0001' });
  otherTeamCardId = theirs.id;
  const mine = await createCard(h, FUZZER, { name: '自己的客户' });
  ownCardId = mine.id;
  const { view: visitView } = await h.openModal(FUZZER, { action_id: ACTION.logVisit, value: ownCardId });
  const { view: cardView } = await h.openModal(FUZZER, { action_id: ACTION.newCard, value: '{}' });
  modalInputs = { [CALLBACK.cardModal]: inputsOf(cardView), [CALLBACK.visitModal]: inputsOf(visitView) };
  before = await otherWorkspaces();
});

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'help',
    'KH-2026-0001',
    'kh-2026-1',
    '<!channel>',
    '{"$gt":""}',
    '.*',
    '(a+)+$',
    '138 0000 0001',
    '别队客户',
    '\u0000',
    '９'.repeat(3000),
  ),
);
const anything: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.object({ maxDepth: 1 }),
  fc.array(text, { maxLength: 3 }),
);
const cardRef = () => fc.constantFrom(ownCardId, otherTeamCardId, 'ffffffffffffffffffffffff', '', 'not-an-id');

function stateValue(type: string) {
  return fc.oneof(
    anything,
    fc.record({ type: fc.constant(type), value: anything }),
    fc.record({
      type: fc.constant(type),
      selected_option: fc.oneof(fc.constant(null), fc.record({ value: anything })),
    }),
    fc.record({
      type: fc.constant(type),
      selected_date: fc.oneof(anything, fc.constantFrom('2026-11-30', '2026-02-30', '0000-00-00')),
    }),
    fc.record({ type: fc.constant(type), selected_user: anything }),
    fc.record({ type: fc.constant(type), selected_options: fc.oneof(anything, fc.constant([{ value: 'yes' }])) }),
  );
}

const submission = (callbackId: string) =>
  fc.record({
    values: fc.record(
      Object.fromEntries(
        modalInputs[callbackId]!.map(({ blockId, type }) => [blockId, fc.record({ value: stateValue(type) })]),
      ),
      { requiredKeys: [] },
    ),
    metadata: fc.oneof(
      cardRef().map((id) => JSON.stringify({ customerId: id, version: 1 })),
      cardRef().map((id) => JSON.stringify({ customerId: id })),
      fc.json(),
      text,
    ),
  });

describe('fuzzing the front door', () => {
  it('answers random /card texts, each with exactly one reply', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (query) => {
        const responseUrl = h.nextResponseUrl();
        const res = await h.post(slashCommandBody(FUZZER, query, responseUrl));
        statuses.push(res.status);
        expect(res.status).toBe(200);
        await h.fake.waitForResponse(responseUrl);
      }),
      { numRuns: RUNS },
    );
  });

  it.each([CALLBACK.cardModal, CALLBACK.visitModal])(
    'answers random %s submissions without a 5xx',
    async (callbackId) => {
      await fc.assert(
        fc.asyncProperty(submission(callbackId), async ({ values, metadata }) => {
          const view = {
            id: 'VFUZZ',
            hash: 'h',
            callback_id: callbackId,
            private_metadata: metadata,
            state: { values },
          };
          const res = await h.post(
            payloadBody({
              type: 'view_submission',
              team: { id: FUZZER.teamId },
              user: { id: FUZZER.userId, team_id: FUZZER.teamId },
              api_app_id: 'A1',
              view,
            }),
          );
          statuses.push(res.status);
          expect(res.status).toBe(200);
          if (res.body !== '') expect(Object.keys(res.json())).toEqual(expect.arrayContaining(['response_action']));
        }),
        { numRuns: RUNS },
      );
    },
  );

  // The card picker too: on App Home, choosing a card sends its action.
  const BUTTONS = Object.values(ACTION);

  it('answers random button presses without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BUTTONS),
        fc.oneof(
          cardRef(),
          text,
          cardRef().map((id) => `${id}:2`),
        ),
        async (actionId, value) => {
          const res = await h.clickButton(FUZZER, { action_id: actionId, value });
          statuses.push(res.status);
          expect(res.status).toBe(200);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses well-formed saves that name a card of another workspace', async () => {
    const { view: edit } = await h.openModal(FUZZER, { action_id: ACTION.editCard, value: ownCardId });
    const { view: visit } = await h.openModal(FUZZER, { action_id: ACTION.logVisit, value: ownCardId });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(edit, visit), fc.string({ minLength: 1, maxLength: 30 }), async (view, note) => {
        const forged = { ...view, private_metadata: view.private_metadata.replace(ownCardId, otherTeamCardId) };
        const res = await h.submitView(FUZZER, forged, { name: `改名${note}`, notes: note });
        statuses.push(res.status);
        expect(res.status).toBe(200);
        expect(res.json().response_action).toBe('errors');
      }),
      { numRuns: 20 },
    );
  });

  it.each([
    ['a payload that is not JSON', 'payload=%7Bbad'],
    ['a null payload', 'payload=null'],
    ['an array payload', 'payload=%5B%5D'],
    ['a payload without a type', 'payload=%7B%7D'],
    ['an unknown type', `payload=${encodeURIComponent('{"type":"nonsense","user":{"id":"U1"}}')}`],
    ['a submission without its view', `payload=${encodeURIComponent('{"type":"view_submission","user":{"id":"U1"}}')}`],
    [
      'a submission without its user',
      `payload=${encodeURIComponent('{"type":"view_submission","view":{"callback_id":"card_modal"}}')}`,
    ],
    [
      'button presses without actions',
      `payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U1"},"actions":[]}')}`,
    ],
    ['a command without its team', 'command=%2Fcard&user_id=U1&response_url=x'],
    ['another command', 'command=%2Fother&team_id=T1&user_id=U1&response_url=x'],
    ['an empty body', ''],
  ])('answers %s with 400 at once, and unsigned with 401', async (_, body) => {
    const started = performance.now();
    expect((await h.post(body)).status).toBe(400);
    expect(performance.now() - started).toBeLessThan(500);
    expect(
      (await postToSlackEndpoint(h.instances[0]!.url, body, signatureHeaders(body, 'not-the-secret'))).status,
    ).toBe(401);
  });

  it("answers random type-ahead text and metadata with options from the caller's workspace only", async () => {
    const metadata = fc.oneof(
      text,
      cardRef().map((customerId) => JSON.stringify({ customerId })),
    );
    await fc.assert(
      fc.asyncProperty(text, metadata, async (typed, privateMetadata) => {
        const res = await suggest(h, FUZZER, ACTION.cardPicker, typed, privateMetadata);
        statuses.push(res.status);
        expect(res.status).toBe(200);
        const { options } = res.json() as { options: { value: string }[] };
        expect(options.map((o) => o.value)).not.toContain(otherTeamCardId);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers random signed bodies with 200 or 400, never a 5xx or a time-out', async () => {
    const payload = fc.record(
      {
        type: fc.constantFrom('view_submission', 'block_actions', 'shortcut', 'event_callback', 'block_suggestion'),
        user: anything,
        view: anything,
        actions: anything,
        team: anything,
        event: anything,
      },
      { requiredKeys: ['type'] },
    );
    const body = fc.oneof(
      text,
      anything.map((v) => `payload=${encodeURIComponent(JSON.stringify(v) ?? '')}`),
      payload.map((p) => payloadBody(p)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const started = performance.now();
        const res = await h.post(raw);
        statuses.push(res.status);
        expect([200, 400]).toContain(res.status);
        expect(performance.now() - started).toBeLessThan(2500);
      }),
      { numRuns: RUNS },
    );
  });

  it('changed nothing in any other workspace, and nothing rejected unhandled', async () => {
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(await otherWorkspaces()).toBe(before);
    expect(unhandled).toEqual([]);
  });
});
