import { domain } from '../config/domain.js';

/** 金字塔, best first: 顶级, 大, 中, 小. */
export const TIERS = ['top', 'large', 'medium', 'small'] as const;
export type Tier = (typeof TIERS)[number];
export const ABC_CLASSES = ['A', 'B', 'C'] as const;
export type AbcClass = (typeof ABC_CLASSES)[number];
/** What the job stores: whether the customer bought in the window or only before it. */
export const STORED_SEGMENTS = ['current', 'inactive'] as const;
export type StoredSegment = (typeof STORED_SEGMENTS)[number];
/** 现有, 非积极, 潜在, 疑虑: the last two follow from the card alone, so they are never stored. */
export type Segment = StoredSegment | 'potential' | 'doubtful';

/** One current customer's 12-month figures, as the aggregation sums them; `id` is whatever names the customer. */
export interface Standing<Id = string> {
  id: Id;
  /** Profit, or amount for sales without a profit, less returns and discounts. */
  valueFen: number;
  /** Amount less returns and discounts. */
  amountFen: number;
}

export interface Ranked {
  tier: Tier;
  abc: AbcClass;
}

/** ⌈percent × n / 100⌉; percent × n is whole, so the division is exact where it should be (5 % of 100 is 5). */
const ceilShare = (percent: number, n: number) => Math.ceil((percent * n) / 100);

/**
 * How many customers, counted from the best, each ranked tier may reach.
 * @internal Exported for its own tests; the app uses it here.
 */
export function tierCutoffs(n: number, tiers = domain.segments.tiers): number[] {
  return tiers.map((t) => ceilShare(t.upToPercent, n));
}

/**
 * Each value's place: 1 + how many values are strictly greater. Tied values
 * share the best place of their run, so the order they happen to come out
 * of the database in never matters.
 */
function places(values: number[]): Map<number, number> {
  const sorted = [...values].sort((a, b) => b - a);
  const place = new Map<number, number>();
  sorted.forEach((v, i) => {
    if (!place.has(v)) place.set(v, i + 1);
  });
  return place;
}

/**
 * Rank → tier. Rounding: tier k holds places up to ⌈cumulative share × n⌉
 * (1 %, 5 %, 20 %), so any team with a current customer has a 顶级 one (7
 * customers: 1 顶级, 0 大, 1 中, 5 小). Ties: customers with the same value
 * share the place of the best of them and so the same tier, even if that
 * puts more than the share in it; a tier never splits a tie.
 */
function tierOf(place: number, cutoffs: number[], tiers = domain.segments.tiers): Tier {
  const index = cutoffs.findIndex((cutoff) => place <= cutoff);
  return index === -1 ? 'small' : tiers[index]!.tier;
}

/**
 * ABC by cumulative share of the 12-month amount: a customer is A while what
 * the customers with strictly larger amounts bought is under 80 % of the
 * total (so the customer crossing 80 % is A), B under 95 %, else C. Ties
 * share the class; negative net amounts count as nothing.
 * @internal Exported for its own tests; the app uses it here.
 */
export function abcOf(before: number, total: number, limits = domain.segments.abc): AbcClass {
  if (before * 100 < limits.A * total) return 'A';
  if (before * 100 < limits.B * total) return 'B';
  return 'C';
}

/** Sum of the amounts strictly greater than each amount. */
function amountsBefore(amounts: number[]): Map<number, number> {
  const sorted = [...amounts].sort((a, b) => b - a);
  const before = new Map<number, number>();
  let sum = 0;
  for (const a of sorted) {
    if (!before.has(a)) before.set(a, sum);
    sum += a;
  }
  return before;
}

/** Tier and class of every current customer of a team. */
export function rankCustomers<Id>(standings: Standing<Id>[]): Map<Id, Ranked> {
  const cutoffs = tierCutoffs(standings.length);
  const place = places(standings.map((s) => s.valueFen));
  const amounts = standings.map((s) => Math.max(0, s.amountFen));
  const total = amounts.reduce((sum, a) => sum + a, 0);
  const before = amountsBefore(amounts);
  return new Map(
    standings.map((s, i) => [
      s.id,
      { tier: tierOf(place.get(s.valueFen)!, cutoffs), abc: abcOf(before.get(amounts[i]!)!, total) },
    ]),
  );
}

/** What the segment is computed from: a sale or the job's ranking, a logged contact, a referral. */
export interface SegmentFacts {
  segment?: StoredSegment;
  lastContactDate?: string;
  /** Referred by another card: a lead the referrer vouched for, not a stranger. */
  referrerId?: string;
}

/**
 * The card's segment, the one category the app shows for a customer: stored
 * by a sale or the job (现有, 非积极), else 潜在 once in contact or referred,
 * 疑虑 before. Never the hand-set status of earlier versions (see statusNote).
 */
export function segmentOf(card: SegmentFacts): Segment {
  return card.segment ?? (card.lastContactDate || card.referrerId ? 'potential' : 'doubtful');
}
