import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { PromiseRecord } from '../models/promise.js';
import { ACTION, CALLBACK } from './ids.js';
import { promiseButtonValue } from './buttonValues.js';
import type { CalendarDate } from '../time.js';
import { dateInput } from './inputs.js';
import { LIMITS } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, md, mention, type Mrkdwn } from '../i18n/mrkdwn.js';

type PromiseShown = Pick<PromiseRecord, '_id' | 'text' | 'dueDate'>;
type PromiseCustomer = Pick<CustomerRecord, 'name' | 'number'>;

function body(t: Messages, customer: PromiseCustomer, promise: PromiseShown): Mrkdwn {
  const about = t.promise.body(
    escapeMrkdwn(customer.name),
    escapeMrkdwn(customer.number),
    escapeMrkdwn(promise.dueDate),
  );
  return md`*${escapeMrkdwn(t.promise.title)}*\n${about}\n${escapeMrkdwn(promise.text)}`;
}

/** 承诺到期: the promise, the customer and its due date, to its owner, with Kept and Reschedule. */
export function renderPromiseNudge(
  t: Messages,
  customer: PromiseCustomer,
  promise: PromiseShown,
  ownerId: string,
): SlackMessage {
  const value = promiseButtonValue({ from: 'nudge', id: promise._id.toString() });
  const button = (action_id: string, label: string, style?: 'primary'): types.Button => ({
    type: 'button',
    action_id,
    text: plain(label, LIMITS.buttonText),
    value,
    ...(style ? { style } : {}),
  });
  return message(t.promise.text(escapeMrkdwn(customer.name), mention(ownerId, t.card.noOwner)), [
    section(body(t, customer, promise), LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        button(ACTION.promiseKept, t.promise.kept, 'primary'),
        button(ACTION.promiseReschedule, t.promise.reschedule),
      ],
    },
  ]);
}

/** The same nudge once answered: its buttons replaced by what was done. */
export function renderClosedPromiseNudge(
  t: Messages,
  customer: PromiseCustomer,
  promise: PromiseShown,
  note: Mrkdwn,
): SlackMessage {
  return message(note, [
    section(body(t, customer, promise), LIMITS.sectionText),
    { type: 'context', elements: [mrkdwn(note, LIMITS.contextText)] },
  ]);
}

/** Where the reschedule modal came from: the promise, and the nudge message to update, if any. */
export interface PromiseRescheduleMetadata {
  promiseId: string;
  channel?: string;
  ts?: string;
}

/** 承诺改期: a new due date, today or later; it starts on the current one unless that has passed. */
export function renderPromiseRescheduleModal(
  t: Messages,
  customer: PromiseCustomer,
  promise: PromiseShown,
  today: CalendarDate,
  metadata: PromiseRescheduleMetadata,
): types.ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.promiseRescheduleModal,
    title: plain(t.promise.rescheduleTitle, LIMITS.modalTitle),
    submit: plain(t.modal.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(body(t, customer, promise), LIMITS.sectionText),
      dateInput({
        key: 'dueDate',
        label: t.promise.newDueDate,
        optional: false,
        value: promise.dueDate < today ? today : promise.dueDate,
      }),
    ],
  };
}
