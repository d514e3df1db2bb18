import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import type { Messages } from '../i18n/index.js';
import type { NudgeRecord } from '../models/nudge.js';
import type { ReferralRecord } from '../models/referral.js';
import type { CardRef, ReferralFacts } from '../services/referrals.js';
import { ACTION } from './ids.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, md, mention, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';
import { nudgeButtonValue, referralButtonValue } from './buttonValues.js';

type NudgeShown = Pick<NudgeRecord, '_id' | 'ownerId' | 'version' | 'round'>;

const label = (card: Pick<CardRef, 'name'>) => escapeMrkdwn(card.name);

/** How a referral went, in the referrer's owner's words: bought, or no deal and why. */
export function outcomeText(t: Messages, referral: Pick<ReferralRecord, 'status' | 'noDealReason'>): Mrkdwn {
  if (referral.status === 'deal') return escapeMrkdwn(t.referral.outcomeDeal);
  if (referral.status === 'noDeal') return t.referral.outcomeNoDeal(escapeMrkdwn(referral.noDealReason ?? ''));
  return escapeMrkdwn(t.options.referralOutcome.open);
}

/** 马上联系: the prospect's owner, the moment a referral is recorded (round 1) and once more if nobody called (round 2). */
export function renderReferralNudge(
  t: Messages,
  { referral, referrer, referred }: ReferralFacts,
  nudge: NudgeShown,
): SlackMessage {
  const owner = mention(nudge.ownerId, t.card.noOwner);
  const [name, number, from] = [label(referred), escapeMrkdwn(referred.number), label(referrer)];
  const reminder = nudge.round === 2;
  const title = reminder ? t.referral.reminderTitle : t.referral.contactTitle;
  const body = reminder
    ? t.referral.reminderBody(name, number, from, owner, domain.referral.reminderAfterMinutes)
    : t.referral.contactBody(name, number, from, owner, domain.referral.contactWithinMinutes);
  const needs = referral.needs ? [t.referral.needs(escapeMrkdwn(truncate(referral.needs, PREVIEW.cardVisitText)))] : [];
  return message(t.referral.contactText(name, from, owner), [
    section(joinMrkdwn([md`*${escapeMrkdwn(title)}*`, body, ...needs], '\n'), LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.nudgeLogVisit,
          style: 'primary',
          text: plain(t.referral.logContact, LIMITS.buttonText),
          value: nudgeButtonValue(nudge),
        },
      ],
    },
  ]);
}

function thanksBody(t: Messages, { referral, referrer, referred }: ReferralFacts, ownerId: string | undefined): Mrkdwn {
  const owner = mention(ownerId, t.card.noOwner);
  const body = t.referral.thanksBody(
    label(referrer),
    escapeMrkdwn(referrer.number),
    label(referred),
    outcomeText(t, referral),
    owner,
  );
  return md`*${escapeMrkdwn(t.referral.thanksTitle)}*\n${body}`;
}

/** 致谢: the referrer's owner, once the referral has an outcome; its button opens the thanks modal. */
export function renderThanksNudge(t: Messages, facts: ReferralFacts, nudge: NudgeShown): SlackMessage {
  return message(t.referral.thanksText(label(facts.referrer), label(facts.referred)), [
    section(thanksBody(t, facts, nudge.ownerId), LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.thankReferrer,
          style: 'primary',
          text: plain(t.referral.thank, LIMITS.buttonText),
          value: referralButtonValue(facts.referral._id.toString()),
        },
      ],
    },
  ]);
}

/** The thanks nudge once someone thanked the referrer: its button gone, who did it in its place. */
export function renderThanked(t: Messages, facts: ReferralFacts, ownerId: string | undefined): SlackMessage {
  const thanks = facts.referral.thanks;
  const note = t.referral.thanked(mention(thanks?.by, ''), escapeMrkdwn(thanks ? t.options.thanks[thanks.how] : ''));
  const blocks: types.KnownBlock[] = [
    section(thanksBody(t, facts, ownerId), LIMITS.sectionText),
    { type: 'context', elements: [mrkdwn(note, LIMITS.contextText)] },
  ];
  return message(note, blocks);
}
