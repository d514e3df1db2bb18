import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import type { Messages } from '../i18n/index.js';
import type { ReferralFacts, ReferralList } from '../services/referrals.js';
import { ACTION } from './ids.js';
import { LIMITS } from './limits.js';
import { message, rowsWithin, type SlackMessage } from './message.js';
import { outcomeText } from './referralNudge.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, type Mrkdwn } from '../i18n/mrkdwn.js';
import { referralButtonValue } from './buttonValues.js';

function row(text: Mrkdwn, button: types.Button): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text, LIMITS.sectionText), accessory: button };
}

function openRow(t: Messages, { referral, referrer, referred }: ReferralFacts): types.SectionBlock {
  const contact =
    referral.firstContactMinutes !== undefined
      ? t.referral.firstContact(referral.firstContactMinutes)
      : t.referral.notContacted(domain.referral.contactWithinMinutes);
  const text = t.referral.openRow(
    escapeMrkdwn(referred.name),
    escapeMrkdwn(referrer.name),
    escapeMrkdwn(referral.date),
    contact,
  );
  return row(text, {
    type: 'button',
    action_id: ACTION.openCard,
    text: plain(t.lookup.open, LIMITS.buttonText),
    value: referred._id.toString(),
  });
}

function awaitingRow(t: Messages, { referral, referrer, referred }: ReferralFacts): types.SectionBlock {
  const text = t.referral.awaitingListRow(
    escapeMrkdwn(referred.name),
    escapeMrkdwn(referrer.name),
    outcomeText(t, referral),
  );
  return row(text, {
    type: 'button',
    action_id: ACTION.thankReferrer,
    text: plain(t.referral.thank, LIMITS.buttonText),
    value: referralButtonValue(referral._id.toString()),
  });
}

/** `/card referrals`: referrals still in progress, and those whose referrer is waiting to be thanked. */
export function renderReferralList(t: Messages, { open, awaiting, more }: ReferralList): SlackMessage {
  if (open.length === 0 && awaiting.length === 0)
    return message(escapeMrkdwn(t.referral.none), [section(escapeMrkdwn(t.referral.none), LIMITS.sectionText)]);
  // Each heading travels with its first row, so a heading is never left without one; rows past one message's text are
  // left out.
  const group = (header: types.KnownBlock, rows: types.KnownBlock[]): types.KnownBlock[][] =>
    rows.map((r, i) => (i === 0 ? [header, r] : [r]));
  const rows = [
    ...group(
      section(t.referral.openHeader(open.length), LIMITS.sectionText),
      open.map((f) => openRow(t, f)),
    ),
    ...group(
      section(t.referral.awaitingHeader(awaiting.length), LIMITS.sectionText),
      awaiting.map((f) => awaitingRow(t, f)),
    ),
  ];
  const head = [section(t.referral.listTitle, LIMITS.sectionText)];
  const { blocks, shown } = rowsWithin(head, rows);
  const cut = shown < rows.length;
  const footer: types.KnownBlock[] =
    more || cut
      ? [
          {
            type: 'context',
            elements: [mrkdwn(t.referral.listMore(cut ? shown : domain.referral.listed), LIMITS.contextText)],
          },
        ]
      : [];
  return message(t.referral.listTitle, [...head, ...blocks, ...footer]);
}
