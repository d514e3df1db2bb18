import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeRecord } from '../models/nudge.js';
import { ACTION } from '../slack/ids.js';
import { LIMITS } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { escapeMrkdwn, md, mention, mrkdwn, plain, section, type Mrkdwn } from './text.js';

type NudgeShown = Pick<NudgeRecord, '_id' | 'kind' | 'ownerId' | 'plan' | 'dueDate' | 'version'>;
type NudgeCustomer = Pick<CustomerRecord, 'name' | 'number'>;

/** What each kind says: the notification text and the message body. */
function copyOf(t: Messages, customer: NudgeCustomer, nudge: NudgeShown): { text: Mrkdwn; body: Mrkdwn } {
  const name = escapeMrkdwn(customer.name);
  const number = escapeMrkdwn(customer.number);
  const owner = mention(nudge.ownerId, t.card.noOwner);
  if (nudge.kind === 'checkIn') {
    const product = escapeMrkdwn(nudge.plan ?? '');
    return {
      text: t.checkIn.text(name, owner),
      body: md`*${escapeMrkdwn(t.checkIn.title)}*\n${t.checkIn.body(name, number, owner, product)}`,
    };
  }
  const plan = nudge.plan ? t.nudge.plan(escapeMrkdwn(nudge.plan)) : escapeMrkdwn(t.nudge.noPlan);
  return { text: t.nudge.text(name, owner), body: md`*${escapeMrkdwn(t.nudge.title)}*\n${t.nudge.body(name, number, owner)}\n${plan}` };
}

/** A reminder as posted on its due day, with the buttons that answer it. */
export function renderNudge(t: Messages, customer: NudgeCustomer, nudge: NudgeShown): SlackMessage {
  // The version lets a second press (or a press after someone else answered) change nothing.
  const id = `${nudge._id.toString()}:${nudge.version}`;
  const button = (action_id: string, label: string, style?: 'primary') => ({
    type: 'button' as const,
    action_id,
    text: plain(label, LIMITS.buttonText),
    value: id,
    ...(style ? { style } : {}),
  });
  const { text, body } = copyOf(t, customer, nudge);
  return message(text, [
    section(body, LIMITS.sectionText),
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

/** A reminder answered by a button: what was done, by whom, in place of the message and its buttons. */
export function renderAnsweredNudge(note: Mrkdwn): SlackMessage {
  return message(note, [section(note, LIMITS.sectionText)]);
}

/** The same reminder once answered: its buttons replaced by what was done. */
export function renderClosedNudge(t: Messages, customer: NudgeCustomer, nudge: NudgeShown, note: Mrkdwn): SlackMessage {
  const { body } = copyOf(t, customer, nudge);
  return message(note, [section(body, LIMITS.sectionText), { type: 'context', elements: [mrkdwn(note, LIMITS.contextText)] }]);
}
