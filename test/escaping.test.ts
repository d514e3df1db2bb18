import fc from 'fast-check';
import { Types } from 'mongoose';
import { CARD_FIELDS } from '../src/domain/cardFields.js';
import { messagesFor } from '../src/i18n/index.js';
import type { CustomerRecord } from '../src/models/customer.js';
import type { NudgeRecord } from '../src/models/nudge.js';
import type { HistoryRecord } from '../src/models/history.js';
import type { PromiseRecord } from '../src/models/promise.js';
import type { VisitRecord } from '../src/models/visit.js';
import { ACTION } from '../src/views/ids.js';
import { renderCard } from '../src/views/card.js';
import { renderCardModal } from '../src/views/cardModal.js';
import { renderHistoryModal } from '../src/views/historyModal.js';
import { renderMatches, renderNotFound, renderNotice } from '../src/views/lookup.js';
import { renderClosedNudge, renderNudge } from '../src/views/nudge.js';
import {
  renderClosedPromiseNudge,
  renderPromiseNudge,
  renderPromiseRescheduleModal,
} from '../src/views/promiseNudge.js';
import { escapeMrkdwn, mention } from '../src/i18n/mrkdwn.js';
import { renderVisitModal } from '../src/views/visitModal.js';
import type { ReferralRecord } from '../src/models/referral.js';
import type { CardReferrals } from '../src/services/referrals.js';
import { renderReferralList } from '../src/views/referralList.js';
import { renderNoDealModal, renderReferralModal, renderThanksModal } from '../src/views/referralModals.js';
import { renderReferralNudge, renderThanked, renderThanksNudge } from '../src/views/referralNudge.js';
import { useHarness } from './support/useHarness.js';
import { cardWithFollowUp } from './support/visits.js';
import { NUDGE_CHANNEL, TEAM_A } from './support/harness.js';

/** The only control sequences the app itself writes: mentions of the user ids it was given. */
const APP_MENTIONS = new Set(['<@U1OWNER>', '<@U2EDITOR>']);

/** Every `text` of the given element type (`mrkdwn` or `plain_text`) anywhere in a message or view. */
function textsOfType(type: string, node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => textsOfType(type, n, out));
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (obj.type === type && typeof obj.text === 'string') out.push(obj.text);
    Object.values(obj).forEach((v) => textsOfType(type, v, out));
  }
  return out;
}

/** Every text Slack parses as mrkdwn: mrkdwn objects (a message's `text` is added by the caller). */
const mrkdwnTexts = (node: unknown) => textsOfType('mrkdwn', node);
const plainTexts = (node: unknown) => textsOfType('plain_text', node);

/** What is left of `<…>` sequences once the app's own mentions are taken out: must be nothing. */
function strayControls(text: string): string[] {
  return [...text.matchAll(/<[^>]*>?/g)].map((m) => m[0]).filter((m) => !APP_MENTIONS.has(m));
}

const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '<!channel>',
    '<!here>',
    '<!everyone>',
    '<@U0HACKER>',
    '<#C0GENERAL>',
    '<https://evil.example|点我>',
    '&lt;!channel&gt;',
    'a & b',
    '>引用',
    '<',
  ),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.constantFrom('<!channel>', '<@U0HACKER|x>', '<!subteam^S1>'),
      fc.string({ maxLength: 10 }),
    )
    .map((p) => p.join('')),
);

const id = () => new Types.ObjectId();

function customerWith(text: string): CustomerRecord {
  const fields = Object.fromEntries(
    CARD_FIELDS.filter((f) => f.kind === 'text' || f.kind === 'multiline').map((f) => [
      f.key,
      `${f.key}:${text}`.slice(0, f.maxLength ?? 100),
    ]),
  );
  return {
    ...fields,
    _id: id(),
    teamId: 'T1',
    number: 'KH-2026-0001',
    year: 2026,
    name: `名${text}`,
    nameKey: 'x',
    ownerId: 'U1OWNER',
    version: 1,
    createdBy: 'U1OWNER',
    updatedBy: 'U2EDITOR',
    createdAt: new Date(),
    updatedAt: new Date(),
    lastContactDate: '2026-11-20',
  } as unknown as CustomerRecord;
}

function cardDataWith(text: string) {
  const customer = customerWith(text);
  const visit = {
    _id: id(),
    teamId: 'T1',
    customerId: customer._id,
    date: '2026-11-20',
    kind: 'visit',
    notes: text,
    needs: text,
    purchaseKinds: text,
    nextFollowUpPlan: text,
    createdBy: 'U2EDITOR',
    createdAt: new Date(),
  } as unknown as VisitRecord;
  const promise = {
    _id: id(),
    teamId: 'T1',
    customerId: customer._id,
    text,
    dueDate: '2026-11-30',
    status: 'open',
  } as unknown as PromiseRecord;
  const followUp = {
    _id: id(),
    teamId: 'T1',
    customerId: customer._id,
    ownerId: 'U1OWNER',
    dueDate: '2026-11-25',
    plan: text,
    status: 'pending',
    lastError: text,
    version: 2,
  } as unknown as NudgeRecord;
  const entry = {
    _id: id(),
    teamId: 'T1',
    customerId: customer._id,
    action: 'updated',
    userId: 'U2EDITOR',
    at: new Date(),
    changes: [
      { field: 'preferences', from: text, to: `${text}!` },
      { field: 'name', to: text },
    ],
  } as unknown as HistoryRecord;
  const money = {
    outstandingFen: 1_000_00,
    overdueFen: 500_00,
    oldestOverdueDays: 3,
    yearSalesFen: 2_000_00,
    yearProfitFen: 300_00,
    lastSale: { product: text, quantity: 2, date: '2026-11-01' },
    creditLimitFen: 5_000_00,
    headroomFen: 4_000_00,
    receivables: [],
  };
  const referrer = { ...customerWith(text), _id: id(), number: 'KH-2026-0002', name: `荐${text}` };
  const referral = {
    _id: id(),
    teamId: 'T1',
    referrerId: referrer._id,
    referredId: customer._id,
    date: '2026-11-20',
    needs: text,
    notes: text,
    recordedBy: 'U2EDITOR',
    status: 'noDeal',
    noDealReason: text,
    awaitingThanks: true,
    thanks: { by: 'U2EDITOR', at: new Date(), how: 'gift', note: text },
    version: 2,
  } as unknown as ReferralRecord;
  const facts = { referral, referrer, referred: customer };
  const referrals: CardReferrals = {
    referredBy: { referral: { ...referral, status: 'open' }, referrer },
    asReferrer: {
      count: 3,
      deals: 2,
      valueFen: 1_000_00,
      awaiting: [{ referral, referred: customer }],
      moreAwaiting: 2,
      suggestAmbassador: true,
    },
  };
  return { customer, visit, promise, followUp, entry, money, referrals, facts };
}

describe.each(['zh', 'en'] as const)('no user text becomes a mention, a link or an @channel (%s)', (locale) => {
  const t = messagesFor(locale);

  it('in any view builder, for arbitrary text in every field', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const { customer, visit, promise, followUp, entry, money, referrals, facts } = cardDataWith(text);
        const legacy = { ...customer, referrer: text };
        const outputs: unknown[] = [
          renderCard(t, {
            customer,
            lastVisits: [visit],
            openPromises: [promise],
            nextFollowUp: followUp,
            money,
            referrals,
            today: '2026-12-01',
          }),
          renderCard(t, {
            customer: legacy,
            lastVisits: [],
            openPromises: [],
            nextFollowUp: { ...followUp, status: 'failed' },
            money,
            referrals: { ...referrals, referredBy: null },
            today: '2026-11-23',
          }),
          renderReferralNudge(t, facts, { ...followUp, round: 2 }),
          renderThanksNudge(t, facts, followUp),
          renderThanked(t, facts, 'U1OWNER'),
          renderReferralList(t, { open: [facts], awaiting: [facts], more: true }),
          renderReferralModal(t, customer, { referrerId: customer._id.toString() }),
          renderThanksModal(t, facts, { referralId: facts.referral._id.toString() }),
          renderNoDealModal(t, facts, { referralId: facts.referral._id.toString() }),
          renderCardModal(t, { values: legacy, metadata: {}, referrer: facts.referrer }),
          renderMatches(t, text, [customer, customerWith(text)], true),
          renderNotFound(t, text, { name: text }),
          renderNotice(text),
          renderHistoryModal(t, customer, { entries: [entry], visits: [visit] }, 'Asia/Shanghai'),
          renderNudge(t, customer, followUp),
          renderClosedNudge(t, customer, followUp, t.nudge.snoozed(mention('U2EDITOR', ''), escapeMrkdwn(text))),
          renderPromiseNudge(t, customer, promise, 'U1OWNER'),
          renderClosedPromiseNudge(t, customer, promise, t.promise.keptBy(mention('U2EDITOR', ''), escapeMrkdwn(text))),
          renderPromiseRescheduleModal(t, customer, promise, '2026-11-23', { promiseId: promise._id.toString() }),
          renderVisitModal(t, customer, '2026-11-23', { customerId: customer._id.toString() }),
          renderCardModal(t, {
            number: customer.number,
            values: customer,
            metadata: { customerId: customer._id.toString(), version: 1 },
          }),
        ];
        for (const output of outputs) {
          const texts = mrkdwnTexts(output);
          const fallback = (output as { text?: unknown }).text;
          if (typeof fallback === 'string') texts.push(fallback);
          for (const s of texts) expect(strayControls(s)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('while plain text shows what was typed, unescaped', () => {
    fc.assert(
      fc.property(
        hostile.filter((s) => s.trim().length > 0 && [...s].length < 40),
        (text) => {
          const { customer, money, referrals } = cardDataWith(text);
          const card = renderCard(t, {
            customer,
            lastVisits: [],
            openPromises: [],
            nextFollowUp: null,
            money,
            referrals,
            today: '2026-11-23',
          });
          expect(plainTexts(card.blocks)).toContain(customer.name);
        },
      ),
    );
  });
});

describe('through the front door', () => {
  const h = useHarness({}, { checkPayloads: false });

  it('a customer named "<!channel> 客户" never pings the channel from a nudge', async () => {
    await cardWithFollowUp(h, '<!channel> 客户', '2026-11-25', '带<!here>样品');
    h.clock.set('2026-11-25T09:00:00+08:00');
    await h.instances[0]!.app.scanNudges();
    const [nudge] = h.fake.accepted('chat.postMessage');
    expect(nudge!.args.channel).toBe(NUDGE_CHANNEL);
    const everything = [nudge!.args.text as string, ...mrkdwnTexts(nudge!.args.blocks)];
    expect(nudge!.args.text).toContain('&lt;!channel&gt; 客户');
    for (const text of everything) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<!here>');
    }
  });

  it('*bold*, _italic_, ~struck~ and `code` typed by a user stay literal in the card and in a channel nudge', async () => {
    const name = '*大客户* _急_';
    await cardWithFollowUp(h, name, '2026-11-26', '~旧计划~ `样品`');
    const card = await h.command(name, TEAM_A);
    h.clock.set('2026-11-26T09:00:00+08:00');
    await h.instances[0]!.app.scanNudges();
    const nudge = h.fake.accepted('chat.postMessage').find((c) => String(c.args.text).includes('大客户'))!;
    const shown = [...mrkdwnTexts(card.args.blocks), nudge.args.text as string, ...mrkdwnTexts(nudge.args.blocks)].join(
      '\n',
    );
    // Each mark the user typed sits between zero-width spaces, so no pair can form (and nothing visible changes).
    expect(shown).toContain('\u200B*\u200B大客户\u200B*\u200B \u200B_\u200B急\u200B_\u200B');
    expect(shown).toContain('\u200B~\u200B旧计划\u200B~\u200B \u200B`\u200B样品\u200B`\u200B');
    for (const typed of ['*大客户*', '_急_', '~旧计划~', '`样品`']) expect(shown).not.toContain(typed);
    // The app's own bold stays bold.
    expect(mrkdwnTexts(nudge.args.blocks).join('\n')).toMatch(/^\*⏰ 跟进提醒\*/);
  });

  it('/card <!here> answers without echoing a mention', async () => {
    const reply = await h.command('<!here>', TEAM_A);
    const everything = [reply.args.text as string, ...mrkdwnTexts(reply.args.blocks)];
    expect(everything.join('\n')).toContain('&lt;!here&gt;');
    for (const text of everything) expect(text).not.toContain('<!here>');
    const button = (reply.args.blocks as Record<string, any>[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.newCard);
    expect(JSON.parse(button.value)).toEqual({ name: '<!here>' });
  });
});
