import { createHash } from 'node:crypto';
import { CARD_FIELDS } from './cardFields.js';

/**
 * What a card's editable fields hold, in a few characters: an edit remembers
 * it from when it opened, so a save after changes the editor could not see
 * (a contact logged, a flag set by a button) is told from a save over a
 * colleague's edit.
 */
export function cardFingerprint(card: object): string {
  const values = CARD_FIELDS.map((f) => (card as Record<string, unknown>)[f.key] ?? null);
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
}
