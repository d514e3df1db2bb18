import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeRecord } from '../models/nudge.js';
import { ACTION } from '../slack/ids.js';
import { LIMITS } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { escapeMrkdwn, md, mention, mrkdwn, plain, section, type Mrkdwn } from './text.js';

type NudgeFollowUp = Pick<NudgeRecord, '_id' | 'ownerId' | 'plan' | 'version'>;
type NudgeCustomer = Pick<CustomerRecord, 'name' | 'number'>;

function nudgeBody(t: Messages, customer: NudgeCustomer, followUp: NudgeFollowUp): types.KnownBlock {
  const owner = mention(followUp.ownerId, t.card.noOwner);
  const plan = followUp.plan ? t.nudge.plan(escapeMrkdwn(followUp.plan)) : escapeMrkdwn(t.nudge.noPlan);
  const body = t.nudge.body(escapeMrkdwn(customer.name), escapeMrkdwn(customer.number), owner);
  return section(md`*${escapeMrkdwn(t.nudge.title)}*\n${body}\n${plan}`, LIMITS.sectionText);
}

/** The follow-up reminder posted into the team's channel on the due day. */
export function renderNudge(t: Messages, customer: NudgeCustomer, followUp: NudgeFollowUp): SlackMessage {
  // The version lets a second press (or a press after someone else answered) change nothing.
  const id = `${followUp._id.toString()}:${followUp.version}`;
  const button = (action_id: string, label: string, style?: 'primary') => ({
    type: 'button' as const,
    action_id,
    text: plain(label, LIMITS.buttonText),
    value: id,
    ...(style ? { style } : {}),
  });
  return message(t.nudge.text(escapeMrkdwn(customer.name), mention(followUp.ownerId, t.card.noOwner)), [
    nudgeBody(t, customer, followUp),
    {
      type: 'actions',
      elements: [
        button(ACTION.nudgeLogVisit, t.nudge.logVisit, 'primary'),
        button(ACTION.snoozeDay, t.nudge.snoozeDay),
        button(ACTION.snoozeWeek, t.nudge.snoozeWeek),
      ],
    },
  ]);
}

/** The same reminder once answered: its buttons replaced by what was done. */
export function renderClosedNudge(t: Messages, customer: NudgeCustomer, followUp: NudgeFollowUp, note: Mrkdwn): SlackMessage {
  return message(note, [nudgeBody(t, customer, followUp), { type: 'context', elements: [mrkdwn(note, LIMITS.contextText)] }]);
}
