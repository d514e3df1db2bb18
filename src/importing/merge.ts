import { CARD_FIELDS, maxLengthOf } from '../domain/cardFields.js';
import { sameValue, type FieldChange } from '../domain/diff.js';
import type { CardInput } from '../validation/cardInput.js';

/** What an imported row may write to a card of the team it matched: every field an edit writes, and the legacy referrer. */
export type IncomingCard = CardInput & { referrer?: string };

/** The card as it is, for the fields an import may touch. */
export type CurrentCard = Partial<IncomingCard>;

/** The owner changes only through Reassign (with its reminders); an import never moves a card. */
const MERGED_FIELDS = [...CARD_FIELDS.map((f) => f.key).filter((key) => key !== 'ownerId'), 'referrer'];

/** Blank as an import sees it: no value, empty text, no important days, or an unticked box (a blank ambassador cell says nothing). */
const isBlank = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === '' ||
  value === false ||
  (Array.isArray(value) && value.length === 0);

/** The lines of the file's notes the card does not hold yet, added under what it holds; undefined if none or too long. */
function appendedNotes(current: string, incoming: string): string | undefined {
  const kept = new Set(current.split('\n'));
  const lines = incoming.split('\n').filter((line) => line.trim() !== '' && !kept.has(line));
  if (lines.length === 0) return undefined;
  const merged = `${current}\n${lines.join('\n')}`;
  return merged.length <= maxLengthOf('notes') ? merged : undefined;
}

/**
 * What an imported row changes on the card it matched. By default it only
 * fills what the card leaves blank; `overwrite` also replaces what differs.
 * Either way a blank cell never erases anything, the notes only gain the
 * lines they lack (unless overwriting), and a referrer is only ever filled in
 * (a card already referred keeps its referral; the legacy referrer is never edited).
 */
export function mergeCard(current: CurrentCard, incoming: IncomingCard, overwrite: boolean): FieldChange[] {
  const was = current as Record<string, unknown>;
  const file = incoming as Record<string, unknown>;
  const changes: FieldChange[] = [];
  for (const field of MERGED_FIELDS) {
    const to = file[field];
    const from = isBlank(was[field]) ? undefined : was[field];
    // A birthday or important days are compared by what they hold.
    if (isBlank(to) || sameValue(to, from)) continue;
    if (from === undefined) changes.push({ field, from, to });
    else if (field === 'notes' && !overwrite) {
      const merged = appendedNotes(from as string, to as string);
      if (merged !== undefined) changes.push({ field, from, to: merged });
    } else if (overwrite && field !== 'referrerId' && field !== 'referrer') changes.push({ field, from, to });
  }
  return changes;
}
