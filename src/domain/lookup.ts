import { domain } from '../config/domain.js';

/** What a `/card` text asks for, decided before any database work. */
export type LookupRequest =
  | { kind: 'help' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'number'; number: string; text: string }
  | { kind: 'phone'; phoneKey: string; text: string }
  | { kind: 'name'; nameKey: string; text: string };

const HELP_WORDS = new Set(['', 'help', '帮助', '?', '？']);
const CARD_NUMBER = /^([a-z]+)-(\d{4})-(\d+)$/i;

/** Canonical form of a name for matching: full-width folded, case-insensitive, single spaces. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Digits only, so `138 0013-8000` and `13800138000` match. */
export function phoneKey(phone: string): string {
  return phone.normalize('NFKC').replace(/\D/g, '');
}

function isPhoneLike(text: string): boolean {
  return /^\+?[\d\s\-()]+$/.test(text) && phoneKey(text).length >= domain.lookup.minPhoneDigits;
}

export function parseLookup(raw: string): LookupRequest {
  const text = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (HELP_WORDS.has(text.toLowerCase())) return { kind: 'help' };
  if ([...text].length > domain.lookup.maxQueryLength) {
    return { kind: 'tooLong', max: domain.lookup.maxQueryLength };
  }
  const number = CARD_NUMBER.exec(text);
  if (number) return { kind: 'number', number: text.toUpperCase(), text };
  if (isPhoneLike(text)) return { kind: 'phone', phoneKey: phoneKey(text), text };
  return { kind: 'name', nameKey: nameKey(text), text };
}

/** Exclusive upper bound of every string starting with `prefix` (highest code point, so emoji sort below it). */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
