import { pinyin } from 'pinyin-pro';
import { domain } from '../config/domain.js';
import { formatCardNumber } from './cardNumber.js';
import { EXPORT_WORDS, parseExportWords, type ExportRequest } from './exportRequest.js';

/** What a `/card` text asks for, decided before any database work. */
export type LookupRequest =
  | { kind: 'help' }
  | { kind: 'overdue' }
  | { kind: 'referrals' }
  | { kind: 'ambassadors' }
  | { kind: 'segmentsRefresh' }
  | { kind: 'pool' }
  /** The caller's customers' birthdays and important days coming up. */
  | { kind: 'birthdays' }
  | { kind: 'brief'; search: SearchLookup }
  /** `/card brief` with nothing after it: who is not said. */
  | { kind: 'badBrief' }
  /** `/card plan [region]`: no region groups by region. */
  | { kind: 'plan'; region?: string }
  | { kind: 'export'; request: ExportRequest }
  | { kind: 'badExport'; word: string }
  /** `/card handover <@from> <@to>`: two different people, by Slack user id. */
  | { kind: 'handover'; fromId: string; toId: string }
  | { kind: 'badHandover' }
  /** `/card import [sales]`: the import modal, for customers or a sales history. */
  | { kind: 'import'; what: 'cards' | 'sales' }
  | { kind: 'badImport' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'number'; number: string; text: string }
  | { kind: 'phone'; phoneKey: string; text: string }
  | { kind: 'name'; nameKey: string; text: string };

/** The lookups that search cards, as opposed to commands. */
export type SearchLookup = Extract<LookupRequest, { kind: 'number' | 'phone' | 'name' }>;
export const isSearchLookup = (request: LookupRequest): request is SearchLookup => 'text' in request;

/** Raise whenever a search key changes meaning or a new one is added: boot re-keys every card below it. */
export const SEARCH_KEYS_VERSION = 3;

const HELP_WORDS = new Set(['', 'help', '帮助', '?', '？']);
const OVERDUE_WORDS = new Set(['overdue', '逾期', '催款']);
const REFERRAL_WORDS = new Set(['referrals', 'referral', '转介绍', '推荐']);
const AMBASSADOR_WORDS = new Set(['ambassadors', 'ambassador', '大使', '宣传大使']);
const POOL_WORDS = new Set(['pool', '公海']);
const BIRTHDAY_WORDS = new Set(['birthdays', 'birthday', '生日', '生日提醒']);
const SEGMENTS_REFRESH_WORDS = new Set(['segments refresh', '刷新分层', '分层 刷新']);
/** `/card brief 张三`: the word, a space, then what `/card 张三` would search for. */
const BRIEF_WORDS = new Set(['brief', '简报', '访前']);
const PLAN_WORDS = new Set(['plan', '计划']);
const HANDOVER_WORDS = new Set(['handover', '交接']);
const IMPORT_WORDS = new Set(['import', '导入']);
const IMPORT_SALES_WORDS = new Set(['sales', '销售', '交易']);
/** Two mentions as Slack sends them (`<@U123|name>` or `<@U123>`), nothing else. */
const TWO_MENTIONS = /^<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>\s*<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>$/;
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
 * @internal Exported for its own tests; the app uses it here.
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

/** The first `max` characters (code points, so a surrogate pair is never split). */
function capped(text: string, max = domain.lookup.maxKeyLength): string {
  return [...text].slice(0, max).join('');
}

/**
 * The name read aloud, one word per Chinese character or Latin run: `张三` is
 * `zhang san`, `张Tony` is `zhang tony`. A name's first character is read as a
 * surname (`曾` zeng, `单` shan), as people say it; other polyphones take
 * pinyin-pro's most common reading. `ü` is typed `v`. Anything else (spaces,
 * punctuation, emoji) only separates words.
 */
function spokenWords(name: string): string[] {
  const words: string[] = [];
  let latin = '';
  const endLatin = () => {
    if (latin) words.push(latin);
    latin = '';
  };
  const readings = pinyin(name.normalize('NFKC').toLowerCase(), {
    toneType: 'none',
    type: 'all',
    v: true,
    mode: 'surname',
    surname: 'head',
  });
  for (const { origin, pinyin: reading, isZh } of readings) {
    if (isZh && reading) {
      endLatin();
      words.push(reading);
    } else if (/^[a-z0-9]$/.test(origin)) {
      latin += origin;
    } else {
      endLatin();
    }
  }
  endLatin();
  return words;
}

/**
 * Pinyin keys of a name: in full without spaces (`zhangsan`) and by initials (`zs`); undefined when it has nothing to
 * read.
 */
export function pinyinKeys(name: string): { pinyinKey?: string; initialsKey?: string } {
  const words = spokenWords(name);
  if (words.length === 0) return {};
  return { pinyinKey: capped(words.join('')), initialsKey: capped(words.map((w) => w[0]).join('')) };
}

/** A company folded as names are (`华东 贸易` is `华东贸易`), kept short: only its start is ever matched. */
function companyKey(company: string): string | undefined {
  return capped(nameKey(company)) || undefined;
}

/** Typed text that may be pinyin: ASCII letters only, once folded as names are. */
export function isPinyinText(key: string): boolean {
  return /^[a-z]+$/.test(key);
}

/** Typed text as a prefix of a capped key: a key holds no more than its cap, so neither may the prefix. */
export function keyPrefix(key: string): string {
  return capped(key);
}

/** The fields a card is looked up by, stamped with the rules that made them. */
export function searchKeys(card: { name: string; phone?: string; company?: string }) {
  const { pinyinKey, initialsKey } = pinyinKeys(card.name);
  return {
    nameKey: nameKey(card.name),
    phoneKey: card.phone ? phoneKey(card.phone) : undefined,
    pinyinKey,
    initialsKey,
    companyKey: card.company ? companyKey(card.company) : undefined,
    searchKeysVersion: SEARCH_KEYS_VERSION,
  };
}

/**
 * A card's keys as a write: those it has set, those it lacks (no phone, no company, nothing to read) unset, never
 * stored empty.
 */
export function searchKeyChanges(card: Parameters<typeof searchKeys>[0]): {
  set: Record<string, unknown>;
  unset: string[];
} {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [key, value] of Object.entries(searchKeys(card))) {
    if (value === undefined) unset.push(key);
    else set[key] = value;
  }
  return { set, unset };
}

function isPhoneLike(text: string): boolean {
  return PHONE_TEXT.test(text) && phoneKey(text).length >= domain.lookup.minPhoneDigits;
}

/** `<…>` as Slack writes links, mentions and channels in message text. */
const SLACK_MARKUP = /<([^<>]*)>/g;

/**
 * What one `<…>` stood for as typed: a mention of a person (`<@U…>`) or of
 * everyone (`<!channel>`) stays as Slack wrote it, so it names the person by
 * id and is echoed escaped, never as a ping; a channel becomes `#name`,
 * links and e-mail addresses their text.
 */
function typedText(inner: string): string {
  if (inner.startsWith('@') || inner.startsWith('!')) return `<${inner}>`;
  const bar = inner.indexOf('|');
  if (inner.startsWith('#')) return bar === -1 ? inner : `#${inner.slice(bar + 1)}`;
  if (bar !== -1) return inner.slice(bar + 1);
  return inner.startsWith('mailto:') ? inner.slice('mailto:'.length) : inner;
}

/**
 * The text as the person typed it. With `should_escape: true` Slack escapes
 * `&`, `<`, `>` and wraps links, e-mail addresses and mentions in `<…>`; a
 * literal `<` arrives as `&lt;`, so every `<` is Slack's own. `&amp;` is
 * undone last, so `&amp;lt;` (a typed `&lt;`) stays `&lt;`.
 * @internal Exported for its own tests; the app uses it here.
 */
export function unescapeSlack(raw: string): string {
  return raw
    .replace(SLACK_MARKUP, (_all, inner: string) => typedText(inner))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const normalized = (raw: string) => unescapeSlack(raw).normalize('NFKC').replace(/\s+/g, ' ').trim();
const isTooLong = (text: string) => [...text].length > domain.lookup.maxQueryLength;

/** Text that is neither a command word nor too long, as the search it asks for. */
function searchOf(text: string): SearchLookup {
  const number = CARD_NUMBER.exec(text);
  if (number) return { kind: 'number', number: formatCardNumber(Number(number[1]), Number(number[2])), text };
  if (isPhoneLike(text)) return { kind: 'phone', phoneKey: phoneKey(text), text };
  return { kind: 'name', nameKey: nameKey(text), text };
}

/** `handover <@from> <@to>` or `交接 …`: two different people, or a usage notice. */
function handoverOf(rest: string[]): LookupRequest {
  const mentions = TWO_MENTIONS.exec(rest.join(' '));
  if (!mentions || mentions[1] === mentions[2]) return { kind: 'badHandover' };
  return { kind: 'handover', fromId: mentions[1]!, toId: mentions[2]! };
}

/** `plan` or `计划`, alone or followed by a region (the rest of the text, as typed). */
function planOf(text: string): LookupRequest | null {
  const space = text.indexOf(' ');
  const word = space === -1 ? text : text.slice(0, space);
  if (!PLAN_WORDS.has(word.toLowerCase())) return null;
  return space === -1 ? { kind: 'plan' } : { kind: 'plan', region: text.slice(space + 1) };
}

export function parseLookup(raw: string): LookupRequest {
  const text = normalized(raw);
  if (HELP_WORDS.has(text.toLowerCase())) return { kind: 'help' };
  if (OVERDUE_WORDS.has(text.toLowerCase())) return { kind: 'overdue' };
  if (REFERRAL_WORDS.has(text.toLowerCase())) return { kind: 'referrals' };
  if (AMBASSADOR_WORDS.has(text.toLowerCase())) return { kind: 'ambassadors' };
  if (SEGMENTS_REFRESH_WORDS.has(text.toLowerCase())) return { kind: 'segmentsRefresh' };
  if (POOL_WORDS.has(text.toLowerCase())) return { kind: 'pool' };
  if (BIRTHDAY_WORDS.has(text.toLowerCase())) return { kind: 'birthdays' };
  const [word = '', ...rest] = text.split(' ');
  if (rest.length === 0 && BRIEF_WORDS.has(word.toLowerCase())) return { kind: 'badBrief' };
  if (rest.length > 0 && BRIEF_WORDS.has(word.toLowerCase())) {
    const wanted = rest.join(' ');
    return isTooLong(wanted)
      ? { kind: 'tooLong', max: domain.lookup.maxQueryLength }
      : { kind: 'brief', search: searchOf(wanted) };
  }
  if (HANDOVER_WORDS.has(word.toLowerCase())) return handoverOf(rest);
  if (IMPORT_WORDS.has(word.toLowerCase())) {
    if (rest.length === 0) return { kind: 'import', what: 'cards' };
    return rest.length === 1 && IMPORT_SALES_WORDS.has(rest[0]!.toLowerCase())
      ? { kind: 'import', what: 'sales' }
      : { kind: 'badImport' };
  }
  if (EXPORT_WORDS.has(word.toLowerCase())) {
    const parsed = parseExportWords(rest);
    return parsed.ok ? { kind: 'export', request: parsed.request } : { kind: 'badExport', word: parsed.word };
  }
  if (isTooLong(text)) return { kind: 'tooLong', max: domain.lookup.maxQueryLength };
  return planOf(text) ?? searchOf(text);
}

/** What a type-ahead's text searches for: always a search (no command words), or nothing when empty or too long. */
export function parseTypeAhead(raw: string): SearchLookup | null {
  const text = normalized(raw);
  return text === '' || isTooLong(text) ? null : searchOf(text);
}

/** Exclusive upper bound of every string starting with `prefix` (highest code point, so emoji sort below it). */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
