import type { types } from '@slack/bolt';
import { CARD_FIELD_GROUPS, type FieldSpec } from '../domain/cardFields.js';
import { fenToYuanInput } from '../domain/money.js';
import { segmentOf, type SegmentFacts } from '../domain/segments.js';
import type { Messages } from '../i18n/index.js';
import { CALLBACK } from './ids.js';
import { cardInput, checkboxInput, header, radioInput, selectInput, textInput, userInput } from './inputs.js';
import type { ImportantDay, OccasionDate } from '../domain/occasions.js';
import { importantDaysInputText, occasionInputText } from '../i18n/occasionText.js';
import { BIRTHDAY_TEXT_MAX, IMPORTANT_DAYS_TEXT_MAX } from '../validation/cardInput.js';
import { LIMITS } from './limits.js';
import type { AnswerTo } from './message.js';
import { mrkdwn, plain } from './text.js';
import { escapeMrkdwn, md, mention } from '../i18n/mrkdwn.js';

export interface CardModalMetadata extends AnswerTo {
  customerId?: string;
  /** The card version the edit started from: saving fails if it moved on. */
  version?: number;
  /**
   * The card's editable fields as the edit started (cardFingerprint): unchanged, a later version does not refuse the
   * save.
   */
  fingerprint?: string;
}

export interface CardModalInput {
  number?: string;
  values: object;
  metadata: CardModalMetadata;
  /** The card's referrer, shown as the picker's current choice. */
  referrer?: { name: string; number: string };
}

/**
 * The birthday, typed as people write dates, and the calendar it is kept by
 * beside it. A new card leaves the choice open: the text's own words
 * (农历, or 八月十五 in Chinese numerals) then decide.
 */
function birthdayInputs(t: Messages, label: string, birthday: OccasionDate | undefined): types.InputBlock[] {
  const o = t.occasions;
  return [
    textInput({
      key: 'birthday',
      label,
      optional: true,
      hint: o.birthdayHint,
      maxLength: BIRTHDAY_TEXT_MAX,
      value: birthday && occasionInputText(t, birthday),
    }),
    radioInput({
      key: 'birthdayCalendar',
      label: t.fields.birthdayCalendar,
      optional: true,
      options: o.calendars,
      value: birthday?.calendar,
    }),
  ];
}

function fieldInputs(
  t: Messages,
  spec: FieldSpec,
  value: unknown,
  referrer: CardModalInput['referrer'],
): types.InputBlock[] {
  const base = { key: spec.key, label: t.fields[spec.key as keyof Messages['fields']], optional: !spec.required };
  const text = typeof value === 'string' ? value : undefined;
  switch (spec.kind) {
    case 'text':
    case 'multiline': {
      const hint = spec.key === 'phone' ? t.modal.phoneHint : undefined;
      const maxLength = spec.maxLength ?? 3000;
      return [textInput({ ...base, hint, maxLength, multiline: spec.kind === 'multiline', value: text })];
    }
    case 'occasion':
      return birthdayInputs(t, base.label, value as OccasionDate | undefined);
    case 'occasions': {
      const lines = importantDaysInputText(t, value as ImportantDay[] | undefined);
      const hint = t.occasions.importantDaysHint;
      return [textInput({ ...base, hint, maxLength: IMPORTANT_DAYS_TEXT_MAX, multiline: true, value: lines })];
    }
    case 'select':
      return [selectInput({ ...base, options: t.options[spec.key as 'stage'], value: text })];
    case 'money': {
      const yuan = typeof value === 'number' ? fenToYuanInput(value) : undefined;
      return [textInput({ ...base, hint: t.modal.moneyHint, maxLength: 20, value: yuan })];
    }
    case 'user':
      return [userInput({ ...base, value: text })];
    case 'checkbox':
      return [checkboxInput({ ...base, optionText: t.options.ambassador.yes, checked: value === true })];
    case 'card': {
      const current = text && referrer ? { id: text, label: `${referrer.name} · ${referrer.number}` } : undefined;
      return [cardInput({ ...base, placeholder: t.modal.cardPlaceholder, value: current })];
    }
  }
}

/** 客户类别 is computed, not chosen: how, and on an edit what it is now. */
function categoryNote(t: Messages, card: SegmentFacts | undefined): types.KnownBlock {
  const now = card ? md`\n${t.modal.categoryNow(escapeMrkdwn(t.options.segment[segmentOf(card)]))}` : md``;
  return { type: 'context', elements: [mrkdwn(md`${escapeMrkdwn(t.modal.category)}${now}`, LIMITS.contextText)] };
}

/** The edit modal's owner: shown, with where to change it. */
function ownerLine(t: Messages, ownerId: string | undefined): types.KnownBlock {
  return {
    type: 'context',
    elements: [mrkdwn(t.modal.ownerViaReassign(mention(ownerId, t.card.noOwner)), LIMITS.contextText)],
  };
}

/** A referrer typed as free text before referrers were picked from cards: shown, never lost. */
function legacyReferrer(t: Messages, values: { referrer?: unknown }): types.KnownBlock[] {
  if (typeof values.referrer !== 'string' || !values.referrer) return [];
  return [
    {
      type: 'context',
      elements: [mrkdwn(t.referral.legacyReferrer(escapeMrkdwn(values.referrer)), LIMITS.contextText)],
    },
  ];
}

/** The create / edit modal with every card field, grouped as docs/fields.md lists them. */
export function renderCardModal(t: Messages, { number, values, metadata, referrer }: CardModalInput): types.ModalView {
  const blocks: types.KnownBlock[] = number
    ? [
        {
          type: 'context',
          elements: [mrkdwn(md`${escapeMrkdwn(t.fields.number)}: \`${escapeMrkdwn(number)}\``, LIMITS.contextText)],
        },
      ]
    : [];
  for (const { group, fields } of CARD_FIELD_GROUPS) {
    blocks.push(header(t.groups[group]));
    if (group === 'relationship') blocks.push(categoryNote(t, number ? values : undefined));
    for (const spec of fields) {
      // A card changes hands through Reassign (with its reminders, a reason and the right to do it), never by an edit.
      if (number && spec.key === 'ownerId') {
        blocks.push(ownerLine(t, (values as { ownerId?: string }).ownerId));
        continue;
      }
      blocks.push(...fieldInputs(t, spec, (values as Record<string, unknown>)[spec.key], referrer));
      if (spec.kind === 'card') blocks.push(...legacyReferrer(t, values));
    }
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.cardModal,
    title: plain(metadata.customerId ? t.modal.editCard : t.modal.newCard, LIMITS.modalTitle),
    submit: plain(t.modal.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}
