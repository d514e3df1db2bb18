import { maxLengthOf } from './cardFields.js';
import { TIERS, type Tier } from './segments.js';

/** Which cards an export holds; every filter is optional and they all apply together. */
export interface ExportFilters {
  tier?: Tier;
  region?: string;
  ownerId?: string;
  /** Cards opened that year (their number's year); visits and sales dated that year. */
  year?: number;
}

export interface ExportRequest extends ExportFilters {
  visits: boolean;
  sales: boolean;
}

export type ParsedExport = { ok: true; request: ExportRequest } | { ok: false; word: string };

/** `/card export …` and `/card 导出 …` */
export const EXPORT_WORDS = new Set(['export', '导出']);
const VISIT_WORDS = new Set(['visits', 'visit', '拜访']);
const SALE_WORDS = new Set(['sales', 'sale', '交易']);

type FilterKey = 'tier' | 'region' | 'owner' | 'year';
// Maps, not object literals: a typed `constructor:` must not find Object.prototype's.
const FILTER_KEYS = new Map<string, FilterKey>([
  ['tier', 'tier'],
  ['层级', 'tier'],
  ['分层', 'tier'],
  ['region', 'region'],
  ['地区', 'region'],
  ['owner', 'owner'],
  ['负责人', 'owner'],
  ['year', 'year'],
  ['年份', 'year'],
  ['年', 'year'],
]);

const TIER_WORDS = new Map<string, Tier>([
  ['顶级', 'top'],
  ['顶级客户', 'top'],
  ['大', 'large'],
  ['大客户', 'large'],
  ['中', 'medium'],
  ['中客户', 'medium'],
  ['小', 'small'],
  ['小客户', 'small'],
  ...TIERS.map((t): [string, Tier] => [t, t]),
]);

/** A mention as Slack escapes it (`<@U123>`, `<@U123|name>`), or a bare user id. */
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$/;
const YEAR = /^\d{4}$/;

function filterValue(key: FilterKey, value: string): Partial<ExportFilters> | undefined {
  if (value === '') return undefined;
  switch (key) {
    case 'tier': {
      const tier = TIER_WORDS.get(value.toLowerCase());
      return tier && { tier };
    }
    case 'region':
      return [...value].length <= maxLengthOf('region') ? { region: value } : undefined;
    case 'owner': {
      const match = USER_MENTION.exec(value);
      return match ? { ownerId: match[1] ?? match[2] } : undefined;
    }
    case 'year':
      return YEAR.test(value) ? { year: Number(value) } : undefined;
  }
}

/**
 * The words after `export`, already split on whitespace: `visits`, `sales`
 * and `key:value` filters in any order, each at most once. The first word
 * that is none of these is refused, so a typo never widens an export.
 */
export function parseExportWords(words: readonly string[]): ParsedExport {
  const request: ExportRequest = { visits: false, sales: false };
  const seen = new Set<string>();
  for (const word of words) {
    const lower = word.toLowerCase();
    if (VISIT_WORDS.has(lower) && !request.visits) {
      request.visits = true;
      continue;
    }
    if (SALE_WORDS.has(lower) && !request.sales) {
      request.sales = true;
      continue;
    }
    const colon = word.indexOf(':');
    const key = colon > 0 ? FILTER_KEYS.get(word.slice(0, colon).toLowerCase()) : undefined;
    const value = key && !seen.has(key) ? filterValue(key, word.slice(colon + 1)) : undefined;
    if (!key || !value) return { ok: false, word };
    seen.add(key);
    Object.assign(request, value);
  }
  return { ok: true, request };
}

/**
 * What the caller may export: admins and the manager any cards of the team;
 * anyone else only their own, whatever owner they asked for.
 */
export function exportAllowed(
  request: ExportRequest,
  callerId: string,
  { admin, manager }: { admin: boolean; manager: boolean },
): { request: ExportRequest; ownOnly: boolean } {
  if (admin || manager) return { request, ownOnly: false };
  return { request: { ...request, ownerId: callerId }, ownOnly: true };
}
