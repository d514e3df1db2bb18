import { domain } from '../config/domain.js';
import { formatCardNumber } from './cardNumber.js';

/** What a `/card` text asks for, decided before any database work. */
export type LookupRequest =
  | { kind: 'help' }
  | { kind: 'overdue' }
  | { kind: 'ambassadors' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'number'; number: string; text: string }
  | { kind: 'phone'; phoneKey: string; text: string }
  | { kind: 'name'; nameKey: string; text: string };

/** Raise whenever nameKey or phoneKey change meaning: boot re-keys every card below it. */
export const SEARCH_KEYS_VERSION = 2;

const HELP_WORDS = new Set(['', 'help', '帮助', '?', '？']);
const OVERDUE_WORDS = new Set(['overdue', '逾期', '催款']);
const AMBASSADOR_WORDS = new Set(['ambassadors', 'ambassador', '大使', '宣传大使']);
/** `KH-2026-0001`, `kh 2026 1`, `kh2026-1`: the year must be set apart from the sequence to be told from it. */
const CARD_NUMBER = new RegExp(`^${domain.card.numberPrefix}[-\\s]?(\\d{4})[-\\s](\\d{1,9})$`, 'i');
/** A Chinese mobile (11 digits from 1) behind the country code, written `+86`, `0086` or a bare `86`. */
const CHINA_MOBILE = /^(?:00)?86(1\d{10})$/;
/** What a phone number may look like as typed: digits and the separators people use. */
export const PHONE_TEXT = /^\+?[\d\s\-()./]+$/;

function foldName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * Canonical form of a name for matching: full-width folded, case-insensitive,
 * without any spaces (`张 三` is `张三`). Folded until stable, because removing a
 * space can let NFKC compose what the space kept apart.
 */
export function nameKey(name: string): string {
  let key = foldName(name);
  for (let next = foldName(key); next !== key; next = foldName(key)) key = next;
  return key;
}

/** Digits only, without China's country code in front of a mobile, so `+86 138.0013/8000` and `13800138000` match. */
export function phoneKey(phone: string): string {
  const digits = phone.normalize('NFKC').replace(/\D/g, '');
  return CHINA_MOBILE.exec(digits)?.[1] ?? digits;
}

/** The fields a card is looked up by, stamped with the rules that made them. */
export function searchKeys(card: { name: string; phone?: string }) {
  return {
    nameKey: nameKey(card.name),
    phoneKey: card.phone ? phoneKey(card.phone) : undefined,
    searchKeysVersion: SEARCH_KEYS_VERSION,
  };
}

function isPhoneLike(text: string): boolean {
  return PHONE_TEXT.test(text) && phoneKey(text).length >= domain.lookup.minPhoneDigits;
}

export function parseLookup(raw: string): LookupRequest {
  const text = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (HELP_WORDS.has(text.toLowerCase())) return { kind: 'help' };
  if (OVERDUE_WORDS.has(text.toLowerCase())) return { kind: 'overdue' };
  if (AMBASSADOR_WORDS.has(text.toLowerCase())) return { kind: 'ambassadors' };
  if ([...text].length > domain.lookup.maxQueryLength) {
    return { kind: 'tooLong', max: domain.lookup.maxQueryLength };
  }
  const number = CARD_NUMBER.exec(text);
  if (number) return { kind: 'number', number: formatCardNumber(Number(number[1]), Number(number[2])), text };
  if (isPhoneLike(text)) return { kind: 'phone', phoneKey: phoneKey(text), text };
  return { kind: 'name', nameKey: nameKey(text), text };
}

/** Exclusive upper bound of every string starting with `prefix` (highest code point, so emoji sort below it). */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
