import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { HandoverPreview } from '../services/handover.js';
import { ACTION, CALLBACK } from './ids.js';
import { handoverButtonValue, type HandoverRef } from './buttonValues.js';
import { textInput, userInput } from './inputs.js';
import { LIMITS } from './limits.js';
import { message, type AnswerTo, type SlackMessage } from './message.js';
import { plain, section } from './text.js';
import { escapeMrkdwn, mention } from '../i18n/mrkdwn.js';

/** What the Reassign modal carries to its submission. */
export interface ReassignModalMetadata extends AnswerTo {
  customerId: string;
  /** The card version shown: a card changed since is not reassigned over the change. */
  version: number;
}

/** Reassign: a colleague and a reason, both required. */
export function renderReassignModal(
  t: Messages,
  card: Pick<CustomerRecord, 'name' | 'number' | 'ownerId'>,
  metadata: ReassignModalMetadata,
): types.ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.reassignModal,
    title: plain(t.handover.reassignTitle, LIMITS.modalTitle),
    submit: plain(t.modal.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(
        t.handover.reassignIntro(
          escapeMrkdwn(card.name),
          escapeMrkdwn(card.number),
          mention(card.ownerId, t.card.noOwner),
        ),
        LIMITS.sectionText,
      ),
      userInput({ key: 'to', label: t.handover.to, optional: false }),
      textInput({
        key: 'reason',
        label: t.handover.reason,
        optional: false,
        hint: t.handover.reasonHint,
        maxLength: domain.handover.reasonMaxLength,
        multiline: true,
      }),
    ],
  };
}

/** Home's handover: the departing salesperson and the successor, both required; submitting DMs the preview. */
export function renderHandoverModal(t: Messages): types.ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.handoverModal,
    title: plain(t.handover.modalTitle, LIMITS.modalTitle),
    submit: plain(t.handover.previewSubmit, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    blocks: [
      section(escapeMrkdwn(t.handover.modalIntro), LIMITS.sectionText),
      userInput({ key: 'from', label: t.handover.from, optional: false }),
      userInput({ key: 'to', label: t.handover.successor, optional: false }),
    ],
  };
}

/** The new owner's note about a card given to them. */
export function renderReassignDm(
  t: Messages,
  by: string,
  card: Pick<CustomerRecord, 'name' | 'number'>,
  reason: string,
): SlackMessage {
  const text = t.handover.reassignDm(
    mention(by, ''),
    escapeMrkdwn(card.name),
    escapeMrkdwn(card.number),
    escapeMrkdwn(reason),
  );
  return message(text, [section(text, LIMITS.sectionText)]);
}

/**
 * `/card handover` and Home's Hand over: what would move, and Confirm (which carries who to whom and the request id).
 */
export function renderHandoverPreview(t: Messages, preview: HandoverPreview, ref: HandoverRef): SlackMessage {
  const from = mention(ref.fromId, '');
  if (preview.cards === 0) {
    const text = t.handover.nothing(from);
    return message(text, [section(text, LIMITS.sectionText)]);
  }
  const text = t.handover.preview(
    preview.cards,
    preview.reminders,
    preview.promises,
    escapeMrkdwn(formatFen(preview.receivableFen)),
    from,
    mention(ref.toId, ''),
  );
  return message(text, [
    section(text, LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.handoverConfirm,
          style: 'danger',
          text: plain(t.handover.confirm, LIMITS.buttonText),
          value: handoverButtonValue(ref),
        },
      ],
    },
  ]);
}

/** A notice in a message's place, without buttons. */
export function renderHandoverNotice(text: string): SlackMessage {
  const safe = escapeMrkdwn(text);
  return message(safe, [section(safe, LIMITS.sectionText)]);
}

/** The one summary each of the two people gets. */
export function renderHandoverSummary(
  t: Messages,
  side: 'from' | 'to',
  by: string,
  moved: number,
  other: string,
): SlackMessage {
  const text =
    side === 'from'
      ? t.handover.summaryFrom(mention(by, ''), moved, mention(other, ''))
      : t.handover.summaryTo(mention(by, ''), moved, mention(other, ''));
  return message(text, [section(text, LIMITS.sectionText)]);
}
