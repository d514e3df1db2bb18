import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import { CALLBACK } from './ids.js';
import type { CalendarDate } from '../time.js';
import { PROMISE_SLOTS } from '../validation/visitInput.js';
import { checkboxInput, dateInput, header, numberInput, radioInput, selectInput, textInput } from './inputs.js';
import { LIMITS } from './limits.js';
import type { AnswerTo, PostedMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn } from '../i18n/mrkdwn.js';

const MAX = domain.visit.maxLength;

export interface VisitModalMetadata extends AnswerTo {
  customerId: string;
  /** Set when the visit answers a follow-up nudge, so the nudge can be closed. */
  followUpId?: string;
  /** The nudge's message, with what it stated as posted when that fits. */
  nudge?: PostedMessage;
}

function promiseInputs(t: Messages): types.KnownBlock[] {
  return PROMISE_SLOTS.flatMap((n) => [
    textInput({ key: `promise${n}`, label: t.visit.promise(n), maxLength: MAX.promise }),
    dateInput({ key: `promise${n}Due`, label: t.visit.promiseDue(n) }),
  ]);
}

/** The visit modal around its inputs: titled, saving to the visit callback, naming the customer first. */
function visitModalShell(
  t: Messages,
  title: string,
  customer: Pick<CustomerRecord, 'name' | 'number'>,
  metadata: VisitModalMetadata,
  inputs: types.KnownBlock[],
): types.ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.visitModal,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(t.modal.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(t.visit.customer(escapeMrkdwn(customer.name), escapeMrkdwn(customer.number)), LIMITS.contextText),
        ],
      },
      ...inputs,
    ],
  };
}

/**
 * 拜访记录: the visit or call, the stock check, the next follow-up and
 * promises made; `greeting` opens it as a greeting or gift instead: the same
 * contact, of kind greeting or gift, with only what a greeting needs (the day
 * and what was said or given), saved as any visit.
 */
export function renderVisitModal(
  t: Messages,
  customer: Pick<CustomerRecord, 'name' | 'number'>,
  today: CalendarDate,
  metadata: VisitModalMetadata,
  greeting?: 'greeting' | 'gift',
): types.ModalView {
  const v = t.visit;
  if (greeting) {
    const kinds = { greeting: t.options.visitKind.greeting, gift: t.options.visitKind.gift };
    return visitModalShell(t, t.greeting.modalTitle, customer, metadata, [
      dateInput({ key: 'date', label: v.date, optional: false, value: today }),
      radioInput({ key: 'kind', label: v.kind, optional: false, options: kinds, value: greeting }),
      textInput({ key: 'notes', label: t.greeting.notes, maxLength: MAX.notes, multiline: true }),
    ]);
  }
  return visitModalShell(t, t.modal.visit, customer, metadata, [
    dateInput({ key: 'date', label: v.date, optional: false, value: today }),
    selectInput({ key: 'kind', label: v.kind, optional: false, options: t.options.visitKind, value: 'visit' }),
    textInput({ key: 'notes', label: v.notes, maxLength: MAX.notes, multiline: true }),
    textInput({ key: 'needs', label: v.needs, maxLength: MAX.needs, multiline: true }),
    checkboxInput({
      key: 'materialRequested',
      label: v.materialRequested,
      optionText: v.materialRequestedOption,
      checked: false,
    }),
    radioInput({ key: 'attitude', label: v.attitude, options: t.options.attitude }),
    radioInput({ key: 'visitWelcome', label: v.visitWelcome, options: t.options.visitWelcome }),
    header(v.stockHeader),
    dateInput({ key: 'lastPurchaseDate', label: v.lastPurchaseDate }),
    numberInput({ key: 'purchaseQuantity', label: v.purchaseQuantity }),
    textInput({ key: 'purchaseKinds', label: v.purchaseKinds, maxLength: MAX.purchaseKinds }),
    numberInput({ key: 'stockOnHand', label: v.stockOnHand }),
    header(v.followUpHeader),
    dateInput({ key: 'nextFollowUpDate', label: v.nextFollowUpDate }),
    textInput({ key: 'nextFollowUpPlan', label: v.nextFollowUpPlan, maxLength: MAX.nextFollowUpPlan }),
    header(v.promisesHeader),
    ...promiseInputs(t),
  ]);
}

/**
 * The answer to a save whose follow-up the one-contact-reminder-a-day rule
 * moved: the modal stays open a moment to say so, rather than closing as if
 * the day asked for held.
 */
export function renderVisitSaved(
  t: Messages,
  customer: Pick<CustomerRecord, 'name'>,
  moved: { asked: CalendarDate; due: CalendarDate },
): types.ModalView {
  return {
    type: 'modal',
    title: plain(t.modal.visit, LIMITS.modalTitle),
    close: plain(t.modal.close, LIMITS.modalTitle),
    blocks: [
      section(t.visit.saved(escapeMrkdwn(customer.name)), LIMITS.sectionText),
      section(t.card.followUpMoved(escapeMrkdwn(moved.asked), escapeMrkdwn(moved.due)), LIMITS.sectionText),
    ],
  };
}
