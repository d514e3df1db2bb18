import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { collectionQuadrant, daysOverdue, type CollectionQuadrant } from '../domain/collection.js';
import { TIERS, type Tier } from '../domain/segments.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { CONTACT_NUDGE_KINDS, OPEN_NUDGE_STATUSES, type NudgeKind } from '../models/nudge.js';
import type { CalendarDate } from '../time.js';

interface Deps {
  models: Models;
  now: () => Date;
}

export type HomeCustomer = Pick<CustomerRecord, '_id' | 'name' | 'number'>;

/** The first rows of a list and how many it holds in all. */
export interface HomeList<Row> {
  rows: Row[];
  total: number;
}

export interface DueRow {
  customer: HomeCustomer;
  dueDate: CalendarDate;
  /** What the reminder is about (a follow-up's plan, a promise's text). */
  plan?: string;
}

export interface OverdueRow {
  customer: HomeCustomer;
  overdueFen: number;
  oldestDays: number;
}

export interface ThanksRow {
  referrer: HomeCustomer;
  referred: HomeCustomer;
}

/** The pyramid as one person's cards fill it; `unranked` bought for the first time since the last ranking. */
export const PYRAMID_BUCKETS = [...TIERS, 'unranked', 'inactive', 'potential', 'doubtful'] as const;
export type PyramidBucket = (typeof PYRAMID_BUCKETS)[number];

export interface HomeData {
  userId: string;
  today: CalendarDate;
  followUpsOverdue: HomeList<DueRow>;
  followUpsToday: HomeList<DueRow>;
  contactDue: HomeList<DueRow>;
  ambassadorsDue: HomeList<DueRow>;
  promisesDue: HomeList<DueRow>;
  overdue: HomeList<OverdueRow> & { totalFen: number };
  pyramid: Record<PyramidBucket, number>;
  team: {
    tiers: Record<Tier, number>;
    overdueByQuadrant: Record<CollectionQuadrant, number>;
    awaitingThanks: HomeList<ThanksRow>;
  };
}

/** Contact reminders other than those with a list of their own (follow-ups, ambassadors). */
const CONTACT_KINDS = CONTACT_NUDGE_KINDS.filter((k) => k !== 'followUp' && k !== 'ambassador');
const QUADRANTS: CollectionQuadrant[] = ['shortSmall', 'shortLarge', 'longSmall', 'longLarge'];
const NAME = { name: 1, number: 1 } as const;

/**
 * App Home's figures: a few indexed queries run at once, each list cut at
 * domain.home.rowsShown with a count beside it, so the cost and the view
 * stay the same size however many cards the viewer owns.
 */
export function createHomeService({ models, now }: Deps) {
  const shown = domain.home.rowsShown;

  async function names(teamId: string, ids: Types.ObjectId[]): Promise<Map<string, HomeCustomer>> {
    if (ids.length === 0) return new Map();
    const cards = await models.customers.find({ teamId, _id: { $in: ids } }, NAME).lean<HomeCustomer[]>();
    return new Map(cards.map((c) => [c._id.toString(), c]));
  }

  /** The viewer's open reminders of some kinds due on or before a day (or on it exactly). */
  async function dueNudges(teamId: string, ownerId: string, kinds: readonly NudgeKind[], dueDate: Record<string, CalendarDate>): Promise<HomeList<DueRow>> {
    const filter = { teamId, ownerId, kind: { $in: kinds }, status: { $in: OPEN_NUDGE_STATUSES }, dueDate };
    const [nudges, total] = await Promise.all([
      models.nudges.find(filter, { customerId: 1, dueDate: 1, plan: 1 }).sort({ dueDate: 1 }).limit(shown).lean(),
      models.nudges.countDocuments(filter),
    ]);
    const byId = await names(teamId, nudges.map((n) => n.customerId));
    const rows = nudges.flatMap((n) => {
      const customer = byId.get(n.customerId.toString());
      return customer ? [{ customer, dueDate: n.dueDate, ...(n.plan ? { plan: n.plan } : {}) }] : [];
    });
    return { rows, total };
  }

  /**
   * Overdue receivables: the team's by collection quadrant, and the viewer's
   * customers' oldest first. One read of the team's overdue ledgers serves both
   * (indexed on due date); FerretDB cannot sum by a computed quadrant.
   */
  async function overdue(teamId: string, ownerId: string, today: CalendarDate) {
    const ledgers = await models.ledgers.find({ teamId, 'receivables.dueDate': { $lt: today } }, { receivables: 1 }).lean();
    const byQuadrant = Object.fromEntries(QUADRANTS.map((q) => [q, 0])) as Record<CollectionQuadrant, number>;
    const perCustomer = new Map<string, Omit<OverdueRow, 'customer'>>();
    for (const ledger of ledgers) {
      for (const r of ledger.receivables.filter((r) => r.dueDate < today)) {
        const fen = r.amountFen - r.settledFen;
        const days = daysOverdue(r.dueDate, today);
        byQuadrant[collectionQuadrant(days, fen)] += fen;
        const sum = perCustomer.get(ledger._id.toString()) ?? { overdueFen: 0, oldestDays: 0 };
        perCustomer.set(ledger._id.toString(), { overdueFen: sum.overdueFen + fen, oldestDays: Math.max(sum.oldestDays, days) });
      }
    }
    const mine = perCustomer.size === 0 ? [] : await models.customers.find({ teamId, ownerId, _id: { $in: ledgers.map((l) => l._id) } }, NAME).lean<HomeCustomer[]>();
    const all = mine
      .map((customer) => ({ customer, ...perCustomer.get(customer._id.toString())! }))
      .sort((a, b) => b.oldestDays - a.oldestDays || b.overdueFen - a.overdueFen);
    const totalFen = all.reduce((sum, row) => sum + row.overdueFen, 0);
    return { byQuadrant, mine: { rows: all.slice(0, shown), total: all.length, totalFen } };
  }

  /** One count per bucket, each answered from the {teamId, ownerId, segment, tier} index. */
  async function pyramid(teamId: string, ownerId: string): Promise<Record<PyramidBucket, number>> {
    const mine = { teamId, ownerId };
    const filterOf = (bucket: PyramidBucket) => {
      switch (bucket) {
        case 'unranked': return { ...mine, segment: 'current' as const, tier: { $exists: false } };
        case 'inactive': return { ...mine, segment: 'inactive' as const };
        case 'potential': return { ...mine, segment: { $exists: false }, lastContactDate: { $exists: true } };
        case 'doubtful': return { ...mine, segment: { $exists: false }, lastContactDate: { $exists: false } };
        default: return { ...mine, segment: 'current' as const, tier: bucket };
      }
    };
    const counts = await Promise.all(PYRAMID_BUCKETS.map((b) => models.customers.countDocuments(filterOf(b))));
    return Object.fromEntries(PYRAMID_BUCKETS.map((b, i) => [b, counts[i]!])) as Record<PyramidBucket, number>;
  }

  async function teamTiers(teamId: string): Promise<Record<Tier, number>> {
    const counts = await Promise.all(TIERS.map((tier) => models.customers.countDocuments({ teamId, tier })));
    return Object.fromEntries(TIERS.map((t, i) => [t, counts[i]!])) as Record<Tier, number>;
  }

  /** Referrals with an outcome whose referrer nobody has thanked yet, longest waiting first. */
  async function awaitingThanks(teamId: string): Promise<HomeList<ThanksRow>> {
    const filter = { teamId, awaitingThanks: true };
    const [referrals, total] = await Promise.all([
      models.referrals.find(filter, { referrerId: 1, referredId: 1 }).sort({ outcomeAt: 1 }).limit(shown).lean(),
      models.referrals.countDocuments(filter),
    ]);
    const byId = await names(teamId, referrals.flatMap((r) => [r.referrerId, r.referredId]));
    const rows = referrals.flatMap((r) => {
      const referrer = byId.get(r.referrerId.toString());
      const referred = byId.get(r.referredId.toString());
      return referrer && referred ? [{ referrer, referred }] : [];
    });
    return { rows, total };
  }

  async function homeFor(teamId: string, userId: string, today: CalendarDate): Promise<HomeData> {
    const [followUpsOverdue, followUpsToday, contactDue, ambassadorsDue, promisesDue, money, mine, tiers, thanks] = await Promise.all([
      dueNudges(teamId, userId, ['followUp'], { $lt: today }),
      dueNudges(teamId, userId, ['followUp'], { $eq: today }),
      dueNudges(teamId, userId, CONTACT_KINDS, { $lte: today }),
      dueNudges(teamId, userId, ['ambassador'], { $lte: today }),
      dueNudges(teamId, userId, ['promise'], { $lte: today }),
      overdue(teamId, userId, today),
      pyramid(teamId, userId),
      teamTiers(teamId),
      awaitingThanks(teamId),
    ]);
    return {
      userId, today, followUpsOverdue, followUpsToday, contactDue, ambassadorsDue, promisesDue,
      overdue: money.mine, pyramid: mine,
      team: { tiers, overdueByQuadrant: money.byQuadrant, awaitingThanks: thanks },
    };
  }

  /** Remembers that someone looks at their Home, so changes republish it for them. */
  async function opened(teamId: string, userId: string): Promise<void> {
    await models.homeOpens.updateOne({ teamId, userId }, { $set: { openedAt: now() } }, { upsert: true });
  }

  /** Which of these people have ever opened their Home. */
  async function openedAmong(teamId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await models.homeOpens.find({ teamId, userId: { $in: userIds } }, { userId: 1 }).lean();
    return rows.map((r) => r.userId);
  }

  /** The owner of a card, to republish their Home when someone else changed it. */
  async function ownerOf(teamId: string, customerId: string): Promise<string | undefined> {
    const card = await models.customers.findOne({ teamId, _id: new Types.ObjectId(customerId) }, { ownerId: 1 }).lean();
    return card?.ownerId;
  }

  return { homeFor, opened, openedAmong, ownerOf };
}

export type HomeService = ReturnType<typeof createHomeService>;
