import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { ReferralFacts } from '../services/referrals.js';
import { CALLBACK } from './ids.js';
import { domain } from '../config/domain.js';
import { maxLengthOf } from '../domain/cardFields.js';
import { radioInput, textInput, userInput } from './inputs.js';
import { LIMITS } from './limits.js';
import type { AnswerTo } from './message.js';
import { plain, section } from './text.js';
import { escapeMrkdwn } from '../i18n/mrkdwn.js';

export interface ReferralModalMetadata extends AnswerTo {
  referrerId: string;
}

/** Where the referral's button was pressed: the card to refresh, or the nudge to update. */
export interface ReferralActionMetadata extends AnswerTo {
  referralId: string;
  /** Pressed on this card: it is shown again, refreshed, once saved. */
  cardId?: string;
}

function modal(
  t: Messages,
  callback_id: string,
  title: string,
  blocks: types.KnownBlock[],
  metadata: object,
): types.ModalView {
  return {
    type: 'modal',
    callback_id,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(t.modal.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** Record referral: the new prospect a card's customer referred. Saving creates their card and links it. */
export function renderReferralModal(
  t: Messages,
  referrer: Pick<CustomerRecord, 'name'>,
  metadata: ReferralModalMetadata,
): types.ModalView {
  const max = domain.referral.maxLength;
  return modal(
    t,
    CALLBACK.referralModal,
    t.referral.modalTitle,
    [
      section(t.referral.modalIntro(escapeMrkdwn(referrer.name)), LIMITS.sectionText),
      textInput({ key: 'name', label: t.fields.name, optional: false, maxLength: maxLengthOf('name') }),
      textInput({ key: 'phone', label: t.fields.phone, hint: t.modal.phoneHint, maxLength: maxLengthOf('phone') }),
      textInput({ key: 'needs', label: t.visit.needs, maxLength: max.needs, multiline: true }),
      textInput({ key: 'notes', label: t.referral.note, maxLength: max.notes, multiline: true }),
      userInput({ key: 'ownerId', label: t.fields.ownerId, hint: t.referral.ownerHint }),
    ],
    metadata,
  );
}

export function renderThanksModal(
  t: Messages,
  { referrer, referred }: ReferralFacts,
  metadata: ReferralActionMetadata,
): types.ModalView {
  return modal(
    t,
    CALLBACK.thanksModal,
    t.referral.thanksModalTitle,
    [
      section(
        t.referral.thanksModalIntro(escapeMrkdwn(referrer.name), escapeMrkdwn(referred.name)),
        LIMITS.sectionText,
      ),
      radioInput({ key: 'how', label: t.referral.how, optional: false, options: t.options.thanks }),
      textInput({
        key: 'note',
        label: t.referral.note,
        maxLength: domain.referral.maxLength.thanksNote,
        multiline: true,
      }),
    ],
    metadata,
  );
}

export function renderNoDealModal(
  t: Messages,
  { referrer, referred }: ReferralFacts,
  metadata: ReferralActionMetadata,
): types.ModalView {
  return modal(
    t,
    CALLBACK.noDealModal,
    t.referral.noDealTitle,
    [
      section(t.referral.noDealIntro(escapeMrkdwn(referrer.name), escapeMrkdwn(referred.name)), LIMITS.sectionText),
      textInput({
        key: 'reason',
        label: t.referral.noDealReason,
        optional: false,
        maxLength: domain.referral.maxLength.reason,
        multiline: true,
      }),
    ],
    metadata,
  );
}
