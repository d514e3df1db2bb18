import { CARD_FIELDS } from '../domain/cardFields.js';
import { formatFen } from '../domain/money.js';
import type { ImportantDay, OccasionDate } from '../domain/occasions.js';
import { occasionDateText } from '../i18n/occasionText.js';
import type { Messages } from '../i18n/index.js';
import { PREVIEW } from './limits.js';
import { escapeMrkdwn, mention, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';

type OptionGroup = keyof Messages['options'];

function isOptionGroup(t: Messages, field: string): field is OptionGroup {
  return field in t.options;
}

/** A stored field value as a person reads it, ready for mrkdwn. */
export function displayValue(
  t: Messages,
  field: string,
  value: unknown,
  maxLength: number = PREVIEW.fieldValue,
): Mrkdwn {
  if (value === undefined || value === null || value === '') return escapeMrkdwn(t.history.blank);
  if (field.endsWith('Fen') && typeof value === 'number') return escapeMrkdwn(formatFen(value));
  if (field === 'ownerId' && typeof value === 'string') return mention(value, t.card.noOwner);
  if (typeof value === 'boolean') return escapeMrkdwn(value ? '✓' : '✗');
  const kind = CARD_FIELDS.find((f) => f.key === field)?.kind;
  if (kind === 'occasion' && typeof value === 'object') return escapeMrkdwn(occasionDateText(t, value as OccasionDate));
  if (kind === 'occasions' && Array.isArray(value)) {
    const days = (value as ImportantDay[]).map((d) => `${d.label} ${occasionDateText(t, d)}`);
    return escapeMrkdwn(truncate(days.join(t.punct.list), maxLength));
  }
  // What history stores is a string, a number or a list of them; anything else is shown as its JSON.
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (isOptionGroup(t, field)) {
    const labels = t.options[field] as Record<string, string>;
    return escapeMrkdwn(labels[text] ?? text);
  }
  return escapeMrkdwn(truncate(text, maxLength));
}

export function optionLabel(t: Messages, group: OptionGroup, value: string | undefined): string | undefined {
  if (!value) return undefined;
  return (t.options[group] as Record<string, string>)[value];
}
