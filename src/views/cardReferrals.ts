import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { CardReferrals, ReferredBy, ReferrerSummary } from '../services/referrals.js';
import { ACTION } from './ids.js';
import { LIMITS } from './limits.js';
import { outcomeText } from './referralNudge.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, type Mrkdwn } from '../i18n/mrkdwn.js';
import { referralButtonValue } from './buttonValues.js';

const context = (text: Mrkdwn): types.ContextBlock => ({
  type: 'context',
  elements: [mrkdwn(text, LIMITS.contextText)],
});

function button(action_id: string, text: string, value: string, style?: 'primary'): types.Button {
  return { type: 'button', action_id, text: plain(text, LIMITS.buttonText), value, ...(style ? { style } : {}) };
}

/** The referred side: who referred this customer, how it is going, how fast they were first contacted. */
function referredByLines(t: Messages, customer: CustomerRecord, by: ReferredBy | null): Mrkdwn[] {
  if (!by?.referrer) return customer.referrer ? [t.referral.legacyReferrer(escapeMrkdwn(customer.referrer))] : [];
  const { referral, referrer } = by;
  const status = escapeMrkdwn(t.options.referralOutcome[referral.status]);
  const contact =
    referral.firstContactMinutes !== undefined
      ? t.referral.firstContact(referral.firstContactMinutes)
      : referral.status === 'open'
        ? t.referral.notContacted(domain.referral.contactWithinMinutes)
        : undefined;
  const needs = referral.needs ? [t.referral.needs(escapeMrkdwn(referral.needs))] : [];
  return [
    t.referral.referredBy(escapeMrkdwn(referrer.name), escapeMrkdwn(referrer.number), status),
    ...(contact ? [contact] : []),
    ...needs,
  ];
}

/** The referrer side: what its referrals brought, and each one still waiting for thanks, with a button. */
function referrerBlocks(t: Messages, summary: ReferrerSummary): types.KnownBlock[] {
  if (summary.count === 0) return [];
  const rows: types.KnownBlock[] = summary.awaiting.map(({ referral, referred }) => ({
    type: 'section',
    text: mrkdwn(
      t.referral.awaitingRow(escapeMrkdwn(referred.name), escapeMrkdwn(referred.number), outcomeText(t, referral)),
      LIMITS.sectionText,
    ),
    accessory: button(
      ACTION.thankReferrer,
      t.referral.thank,
      referralButtonValue(referral._id.toString(), referral.referrerId.toString()),
    ),
  }));
  return [
    section(
      t.referral.stats(summary.count, summary.deals, escapeMrkdwn(formatFen(summary.valueFen))),
      LIMITS.sectionText,
    ),
    ...rows,
    ...(summary.moreAwaiting > 0 ? [context(t.referral.moreAwaiting(summary.moreAwaiting))] : []),
  ];
}

function suggestion(t: Messages, customer: CustomerRecord, summary: ReferrerSummary): types.KnownBlock[] {
  if (!summary.suggestAmbassador) return [];
  const id = customer._id.toString();
  return [
    section(t.referral.suggestAmbassador(summary.deals), LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        button(ACTION.markAmbassador, t.referral.markAmbassador, id, 'primary'),
        button(ACTION.dismissAmbassadorSuggestion, t.referral.notNow, id),
      ],
    },
  ];
}

/** Everything referral-related a card shows, on both sides of the ledger. */
export function referralBlocks(
  t: Messages,
  customer: CustomerRecord,
  { referredBy, asReferrer }: CardReferrals,
): types.KnownBlock[] {
  const lines = referredByLines(t, customer, referredBy);
  return [
    ...(lines.length > 0 ? [section(joinMrkdwn(lines, '\n'), LIMITS.sectionText)] : []),
    ...referrerBlocks(t, asReferrer),
    ...suggestion(t, customer, asReferrer),
  ];
}

/** The card's buttons for referrals: record a new one; mark the card's own open referral as no deal. */
export function referralButtons(t: Messages, customer: CustomerRecord, { referredBy }: CardReferrals): types.Button[] {
  const open = referredBy?.referral.status === 'open' ? referredBy.referral : undefined;
  return [
    button(ACTION.recordReferral, t.referral.record, customer._id.toString()),
    ...(open
      ? [
          button(
            ACTION.referralNoDeal,
            t.referral.noDeal,
            referralButtonValue(open._id.toString(), customer._id.toString()),
          ),
        ]
      : []),
  ];
}
