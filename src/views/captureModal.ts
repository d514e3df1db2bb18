import type { types } from '@slack/bolt';
import type { CutText } from '../domain/slackText.js';
import type { Messages } from '../i18n/index.js';
import { appMrkdwn, escapeMrkdwn, type Mrkdwn } from '../i18n/mrkdwn.js';
import type { MessageSource } from '../models/messageSource.js';
import type { CalendarDate } from '../time.js';
import { CAPTURE_TEXT_MAX } from '../validation/captureInput.js';
import { CALLBACK } from './ids.js';
import { cardInput, dateInput, radioInput, selectInput, textInput } from './inputs.js';
import { LIMITS } from './limits.js';
import type { AnswerTo } from './message.js';
import { fileList, sourceLine } from './messageSource.js';
import { mrkdwn, plain, section } from './text.js';

/** What the message shortcut's modal carries to its submission: where the message is, and where to answer. */
export interface CaptureModalMetadata extends AnswerTo {
  channel: string;
  ts: string;
  /** The thread the message is a reply in, if it is one. */
  threadTs?: string;
}

const context = (text: Mrkdwn): types.ContextBlock => ({
  type: 'context',
  elements: [mrkdwn(text, LIMITS.contextText)],
});

/** The modal the shortcut opens at once (a trigger lives 3 s), replaced once the message has been read. */
export function renderCaptureReading(t: Messages): types.ModalView {
  return {
    type: 'modal',
    title: plain(t.capture.title, LIMITS.modalTitle),
    close: plain(t.modal.close, LIMITS.modalTitle),
    blocks: [section(escapeMrkdwn(t.capture.reading), LIMITS.sectionText)],
  };
}

/**
 * Why nothing can be saved from this message (the bot cannot read it, or it is gone) and what to do, or that reading
 * it failed.
 */
export function renderCaptureRefusal(
  t: Messages,
  reason: 'notIn' | 'cannotRead' | 'notFound' | 'failed',
): types.ModalView {
  return {
    type: 'modal',
    title: plain(t.capture.title, LIMITS.modalTitle),
    close: plain(t.modal.close, LIMITS.modalTitle),
    blocks: [section(appMrkdwn(reason === 'failed' ? t.errors.failed : t.capture[reason]), LIMITS.sectionText)],
  };
}

export interface CaptureModalInput {
  source: MessageSource;
  /** The message's text as a person reads it, cut to the text field's limit. */
  text: CutText;
  /** The day the message was sent, in the team's time zone. */
  day: CalendarDate;
  metadata: CaptureModalMetadata;
}

/**
 * 保存到客户卡: the customer (the card finder, or a new card with the name
 * typed), what the message is, and its text ready to edit, under who wrote
 * it, where, a link to it and its files.
 */
export function renderCaptureModal(t: Messages, { source, text, day, metadata }: CaptureModalInput): types.ModalView {
  const c = t.capture;
  const notes = [
    context(sourceLine(t, source)),
    ...(source.files.length > 0 ? [context(c.files(fileList(t, source.files)))] : []),
    ...(text.cut ? [context(c.cut(text.length, CAPTURE_TEXT_MAX))] : []),
  ];
  return {
    type: 'modal',
    callback_id: CALLBACK.saveMessageModal,
    title: plain(c.title, LIMITS.modalTitle),
    submit: plain(t.modal.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      ...notes,
      cardInput({
        key: 'customer',
        label: c.customer,
        optional: false,
        placeholder: t.modal.cardPlaceholder,
        hint: c.customerHint,
      }),
      radioInput({ key: 'what', label: c.what, optional: false, options: c.whatOptions, value: 'contact' }),
      selectInput({ key: 'kind', label: c.kind, options: t.options.visitKind, value: 'visit', hint: c.kindHint }),
      dateInput({ key: 'date', label: c.date, optional: false, value: day, hint: c.dateHint }),
      textInput({
        key: 'text',
        label: c.text,
        optional: false,
        maxLength: CAPTURE_TEXT_MAX,
        multiline: true,
        value: text.text,
      }),
      dateInput({ key: 'promiseDue', label: c.promiseDue, hint: c.promiseDueHint }),
    ],
  };
}

/** The ⚡ shortcuts' first step: a customer picked with the card finder, then the visit modal or the card. */
export function renderPickCustomerModal(t: Messages, purpose: 'visit' | 'find'): types.ModalView {
  const visit = purpose === 'visit';
  return {
    type: 'modal',
    callback_id: visit ? CALLBACK.pickForVisitModal : CALLBACK.findCustomerModal,
    title: plain(visit ? t.shortcuts.visitTitle : t.shortcuts.findTitle, LIMITS.modalTitle),
    submit: plain(visit ? t.shortcuts.next : t.shortcuts.show, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    blocks: [
      cardInput({
        key: 'customer',
        label: t.shortcuts.customer,
        optional: false,
        placeholder: t.modal.cardPlaceholder,
      }),
    ],
  };
}
