import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import type { CollectionQuadrant } from '../domain/collection.js';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeRecord } from '../models/nudge.js';
import { ACTION, CALLBACK } from './ids.js';
import { textInput } from './inputs.js';
import { LIMITS } from './limits.js';
import { message, type PostedMessage, type SlackMessage } from './message.js';
import { plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, md, mention } from '../i18n/mrkdwn.js';
import { nudgeButtonValue } from './buttonValues.js';

/** What an overdue nudge states, read from the ledger as it is posted. */
export interface OverdueFacts {
  dueDate: string;
  outstandingFen: number;
  days: number;
  quadrant: CollectionQuadrant;
  letterLevel: number;
  /** Who acts on it: finance, the owner, or the owner and the manager. */
  recipients: string[];
}

/** 回收账款: customer, amount, days and due date, what to do in this quadrant, and the buttons that answer it. */
export function renderOverdueNudge(
  t: Messages,
  customer: Pick<CustomerRecord, '_id' | 'name' | 'number'>,
  nudge: Pick<NudgeRecord, '_id' | 'version'>,
  facts: OverdueFacts,
): SlackMessage {
  const o = t.overdue;
  const who = joinMrkdwn(
    facts.recipients.map((id) => mention(id, '')),
    ' ',
  );
  const amount = escapeMrkdwn(formatFen(facts.outstandingFen));
  const headline = o.text(escapeMrkdwn(customer.name), amount, facts.days, who);
  const todo = o.todo[facts.quadrant](facts.letterLevel);
  const factsLine = o.facts(escapeMrkdwn(customer.number), amount, facts.days, escapeMrkdwn(facts.dueDate));
  const ref = nudgeButtonValue(nudge);
  const button = (action_id: string, label: string, value: string, style?: 'primary'): types.Button => ({
    type: 'button',
    action_id,
    text: plain(label, LIMITS.buttonText),
    value,
    ...(style ? { style } : {}),
  });
  const answer =
    facts.quadrant === 'shortLarge'
      ? button(ACTION.nudgeLogVisit, t.nudge.logVisit, ref, 'primary')
      : facts.quadrant === 'longLarge'
        ? button(ACTION.specialHandling, o.done.longLarge(), ref, 'primary')
        : button(ACTION.nudgeDone, o.done[facts.quadrant](facts.letterLevel), ref, 'primary');
  return message(headline, [
    section(md`*${escapeMrkdwn(o.title)}*\n${headline}\n${factsLine}\n${escapeMrkdwn(todo)}`, LIMITS.sectionText),
    {
      type: 'actions',
      elements: [answer, button(ACTION.recordPayment, t.money.recordPayment, customer._id.toString())],
    },
  ]);
}

/** Where the special-handling modal came from: the nudge it answers and its message. */
export interface SpecialHandlingMetadata {
  nudgeRef: string;
  channel?: string;
  ts?: string;
  /** The nudge as posted, to keep its facts once answered. */
  posted?: PostedMessage;
}

/** 特别处理: the plan the owner and the manager agreed for a large, long-overdue debt. */
export function renderSpecialHandlingModal(t: Messages, metadata: SpecialHandlingMetadata): types.ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.specialHandlingModal,
    title: plain(t.overdue.specialTitle, LIMITS.modalTitle),
    submit: plain(t.modal.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      textInput({
        key: 'plan',
        label: t.overdue.specialPlan,
        optional: false,
        maxLength: domain.money.maxLength.reason,
        multiline: true,
      }),
    ],
  };
}
