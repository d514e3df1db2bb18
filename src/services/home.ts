import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import {
  collectionQuadrant,
  daysOverdue,
  type CollectionQuadrant,
  type CollectionThresholds,
} from '../domain/collection.js';
import { TIERS, type Tier } from '../domain/segments.js';
import type { CustomerRecord } from '../models/customer.js';
import type { LedgerRecord } from '../models/ledger.js';
import type { Models } from '../models/index.js';
import { OPEN_NUDGE_STATUSES, type CustomerNudgeRecord, type NudgeKind } from '../models/nudge.js';
import { addDays, type CalendarDate } from '../time.js';
import type { ComingRow, OccasionService } from './occasions.js';
import { pooledIn } from './pool.js';
import { refreshingCache } from './refreshingCache.js';

interface Deps {
  models: Models;
  now: () => Date;
  /** The kinds that ask for a contact (their trait): those without a list of their own are Home's "due for contact". */
  contactKinds: readonly NudgeKind[];
  occasions: OccasionService;
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
  /** Birthdays and important days of the viewer's customers this week (today and domain.occasions.homeDays after). */
  daysThisWeek: HomeList<ComingRow>;
  pyramid: Record<PyramidBucket, number>;
  team: {
    tiers: Record<Tier, number>;
    overdueByQuadrant: Record<CollectionQuadrant, number>;
    awaitingThanks: HomeList<ThanksRow>;
    /** Cards in the team pool (公海), waiting for anyone to claim them. */
    pooled: number;
  };
}

/** Reminders with a list of their own on Home; other contact reminders are listed together. */
const OWN_LISTS: readonly NudgeKind[] = ['followUp', 'ambassador', 'promise'];
const QUADRANTS: CollectionQuadrant[] = ['shortSmall', 'shortLarge', 'longSmall', 'longLarge'];
const NAME = { name: 1, number: 1 } as const;

/** Home's lists of due reminders, in the order firstDue reads them. */
const DUE_LISTS = ['followUpsOverdue', 'followUpsToday', 'contactDue', 'ambassadorsDue', 'promisesDue'] as const;
type DueList = (typeof DUE_LISTS)[number];

/** Which Home list an open reminder of a kind, due on a day, belongs to. */
function listOf(kind: NudgeKind, dueDate: CalendarDate, today: CalendarDate): DueList {
  if (kind === 'followUp') return dueDate < today ? 'followUpsOverdue' : 'followUpsToday';
  if (kind === 'ambassador') return 'ambassadorsDue';
  return kind === 'promise' ? 'promisesDue' : 'contactDue';
}

type Counted<Key> = { _id: Key; n: number };

/** The day and collection matrix the team's counts were made for: overdue days and quadrants depend on both. */
const countedAsOf = (today: CalendarDate, thresholds: CollectionThresholds) => `${today}|${JSON.stringify(thresholds)}`;

/**
 * App Home's figures in a few queries run at once, whatever the viewer
 * owns: each list's first domain.home.rowsShown rows read through an index,
 * its size counted by one $group (FerretDB computes a $group's first
 * accumulator only, so each pipeline has one $sum), then one read of names.
 * The counts that need every card (pyramid, tiers, pool) are shared between
 * openings (`changed` says when to count again).
 */
export function createHomeService({ models, now, contactKinds, occasions }: Deps) {
  const shown = domain.home.rowsShown;
  const dueForContact = contactKinds.filter((k) => !OWN_LISTS.includes(k));
  const listedKinds = [...OWN_LISTS, ...dueForContact];
  /** The viewer's open reminders of the kinds Home lists, due by today. */
  const dueBy = (teamId: string, ownerId: string, today: CalendarDate) => ({
    teamId,
    ownerId,
    kind: { $in: listedKinds },
    status: { $in: OPEN_NUDGE_STATUSES },
    dueDate: { $lte: today },
  });

  /** The viewer's open reminders of some kinds due by a day (or on it), soonest first. */
  function firstDue(
    teamId: string,
    ownerId: string,
    kinds: readonly NudgeKind[],
    dueDate: Record<string, CalendarDate>,
  ) {
    return models.nudges
      .find(
        { teamId, ownerId, kind: { $in: kinds }, status: { $in: OPEN_NUDGE_STATUSES }, dueDate },
        { customerId: 1, dueDate: 1, plan: 1 },
      )
      .sort({ dueDate: 1 })
      .limit(shown)
      .lean<CustomerNudgeRecord[]>();
  }

  /** How many open reminders each list holds: counted by kind and day, placed in lists here. */
  async function dueCounts(teamId: string, ownerId: string, today: CalendarDate): Promise<Record<DueList, number>> {
    const rows = await models.nudges.aggregate<Counted<{ kind: NudgeKind; dueDate: CalendarDate }>>([
      { $match: dueBy(teamId, ownerId, today) },
      { $group: { _id: { kind: '$kind', dueDate: '$dueDate' }, n: { $sum: 1 } } },
    ]);
    const counts = Object.fromEntries(DUE_LISTS.map((list) => [list, 0])) as Record<DueList, number>;
    for (const { _id, n } of rows) counts[listOf(_id.kind, _id.dueDate, today)] += n;
    return counts;
  }

  /**
   * The viewer's due reminders, list by list: each list's first rows and how
   * many it holds. Most people have at most domain.home.dueReadAtOnce due, and
   * one unsorted read of them all serves every list (on some servers each
   * ordered read costs a sort of its own). Past that, each list's first rows
   * are read in order and the lists counted by one $group.
   */
  async function dueLists(
    teamId: string,
    ownerId: string,
    today: CalendarDate,
  ): Promise<Record<DueList, HomeList<CustomerNudgeRecord>>> {
    const due = await models.nudges
      .find(dueBy(teamId, ownerId, today), { kind: 1, customerId: 1, dueDate: 1, plan: 1 })
      .limit(domain.home.dueReadAtOnce + 1)
      .batchSize(domain.home.dueReadAtOnce + 1)
      .lean<CustomerNudgeRecord[]>();
    if (due.length <= domain.home.dueReadAtOnce) {
      const lists = Object.fromEntries(DUE_LISTS.map((list) => [list, [] as CustomerNudgeRecord[]]));
      for (const nudge of due) lists[listOf(nudge.kind, nudge.dueDate, today)]!.push(nudge);
      const soonest = (a: CustomerNudgeRecord, b: CustomerNudgeRecord) =>
        a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0;
      return Object.fromEntries(
        Object.entries(lists).map(([list, rows]) => [
          list,
          { rows: rows.sort(soonest).slice(0, shown), total: rows.length },
        ]),
      ) as Record<DueList, HomeList<CustomerNudgeRecord>>;
    }
    const [firsts, counts] = await Promise.all([
      Promise.all([
        firstDue(teamId, ownerId, ['followUp'], { $lt: today }),
        firstDue(teamId, ownerId, ['followUp'], { $eq: today }),
        firstDue(teamId, ownerId, dueForContact, { $lte: today }),
        firstDue(teamId, ownerId, ['ambassador'], { $lte: today }),
        firstDue(teamId, ownerId, ['promise'], { $lte: today }),
      ]),
      dueCounts(teamId, ownerId, today),
    ]);
    return Object.fromEntries(DUE_LISTS.map((list, i) => [list, { rows: firsts[i]!, total: counts[list] }])) as Record<
      DueList,
      HomeList<CustomerNudgeRecord>
    >;
  }

  /** What a ledger owes past its due days: in all, by collection quadrant, and its oldest day's age. */
  function overdueOf(ledger: Pick<LedgerRecord, 'receivables'>, today: CalendarDate, thresholds: CollectionThresholds) {
    const owed = { overdueFen: 0, oldestDays: 0, byQuadrant: new Map<CollectionQuadrant, number>() };
    for (const r of ledger.receivables.filter((r) => r.dueDate < today)) {
      const fen = r.amountFen - r.settledFen;
      const days = daysOverdue(r.dueDate, today);
      const quadrant = collectionQuadrant(days, fen, thresholds);
      owed.byQuadrant.set(quadrant, (owed.byQuadrant.get(quadrant) ?? 0) + fen);
      owed.overdueFen += fen;
      owed.oldestDays = Math.max(owed.oldestDays, days);
    }
    return owed;
  }

  /** The team's overdue receivables by collection quadrant (indexed on due date; FerretDB cannot sum by a computed quadrant). */
  async function overdueByQuadrant(teamId: string, today: CalendarDate, thresholds: CollectionThresholds) {
    const ledgers = models.ledgers
      .find({ teamId, 'receivables.dueDate': { $lt: today } }, { receivables: 1 })
      .lean()
      .cursor({ batchSize: domain.lists.readAtOnce });
    const byQuadrant = Object.fromEntries(QUADRANTS.map((q) => [q, 0])) as Record<CollectionQuadrant, number>;
    for await (const ledger of ledgers)
      for (const [quadrant, fen] of overdueOf(ledger, today, thresholds).byQuadrant) byQuadrant[quadrant] += fen;
    return byQuadrant;
  }

  /** The viewer's customers with something overdue, oldest first (each ledger names its card's owner). */
  async function overdueOfOwner(
    teamId: string,
    ownerId: string,
    today: CalendarDate,
    thresholds: CollectionThresholds,
  ) {
    const ledgers = await models.ledgers
      .find({ teamId, ownerId, 'receivables.dueDate': { $lt: today } }, { receivables: 1 })
      .batchSize(domain.lists.readAtOnce)
      .lean();
    const mine = ledgers.map((ledger) => {
      const { overdueFen, oldestDays } = overdueOf(ledger, today, thresholds);
      return { customerId: ledger._id, overdueFen, oldestDays };
    });
    mine.sort((a, b) => b.oldestDays - a.oldestDays || b.overdueFen - a.overdueFen);
    const totalFen = mine.reduce((sum, row) => sum + row.overdueFen, 0);
    return { rows: mine.slice(0, shown), total: mine.length, totalFen };
  }

  /**
   * The viewer's cards by segment and tier (the index holds both), and those in contact or referred among the
   * unsegmented.
   */
  async function pyramid(teamId: string, ownerId: string): Promise<Record<PyramidBucket, number>> {
    const [rows, potential] = await Promise.all([
      models.customers.aggregate<Counted<{ segment?: string; tier?: Tier }>>([
        { $match: { teamId, ownerId } },
        { $group: { _id: { segment: '$segment', tier: '$tier' }, n: { $sum: 1 } } },
      ]),
      // 潜在 as segmentOf says: not ranked by a sale, and in contact or referred.
      models.customers.countDocuments({
        teamId,
        ownerId,
        segment: { $exists: false },
        $or: [{ lastContactDate: { $exists: true } }, { referrerId: { $exists: true } }],
      }),
    ]);
    const counts = Object.fromEntries(PYRAMID_BUCKETS.map((b) => [b, 0])) as Record<PyramidBucket, number>;
    for (const { _id, n } of rows) {
      if (_id.segment === 'current') counts[_id.tier ?? 'unranked'] += n;
      else if (_id.segment === 'inactive') counts.inactive += n;
      else counts.doubtful += n;
    }
    counts.potential = potential;
    counts.doubtful -= potential;
    return counts;
  }

  async function teamTiers(teamId: string): Promise<Record<Tier, number>> {
    const rows = await models.customers.aggregate<Counted<Tier | null>>([
      { $match: { teamId, segment: 'current' } },
      { $group: { _id: '$tier', n: { $sum: 1 } } },
    ]);
    const counts = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
    for (const { _id, n } of rows) if (_id) counts[_id] += n;
    return counts;
  }

  /** Referrals with an outcome whose referrer nobody has thanked yet, longest waiting first. */
  function awaitingThanks(teamId: string) {
    const filter = { teamId, awaitingThanks: true };
    return Promise.all([
      models.referrals.find(filter, { referrerId: 1, referredId: 1 }).sort({ outcomeAt: 1 }).limit(shown).lean(),
      models.referrals.countDocuments(filter),
    ]);
  }

  async function names(teamId: string, ids: Types.ObjectId[]): Promise<Map<string, HomeCustomer>> {
    if (ids.length === 0) return new Map();
    const cards = await models.customers.find({ teamId, _id: { $in: ids } }, NAME).lean<HomeCustomer[]>();
    return new Map(cards.map((c) => [c._id.toString(), c]));
  }

  /** What Home shows the whole team, whoever looks; `asOf` says for which day and collection matrix. */
  async function teamFigures(teamId: string, today: CalendarDate, thresholds: CollectionThresholds) {
    const [tiers, byQuadrant, [referrals, thanksTotal], pooled] = await Promise.all([
      teamTiers(teamId),
      overdueByQuadrant(teamId, today, thresholds),
      awaitingThanks(teamId),
      models.customers.countDocuments(pooledIn(teamId)),
    ]);
    return { asOf: countedAsOf(today, thresholds), tiers, byQuadrant, referrals, thanksTotal, pooled };
  }

  /**
   * Home's counts (the team's, and each person's pyramid) are read at most
   * once per domain.home.countsFreshSeconds on this instance, the way the
   * team settings are: everyone opening Home shares one count, and a change
   * made here forgets it at once (`changed`). A change on another instance
   * shows within twice that. The lists are read at every opening.
   */
  const freshMs = domain.home.countsFreshSeconds * 1000;
  /** The day and matrix the latest opening asked for, by team, for the count it starts. */
  const asked = new Map<string, { today: CalendarDate; thresholds: CollectionThresholds }>();
  const teamCounts = refreshingCache(freshMs, (teamId) => {
    const { today, thresholds } = asked.get(teamId)!;
    return teamFigures(teamId, today, thresholds);
  });
  const pyramids = refreshingCache(freshMs, (key) => {
    const [teamId, ownerId] = key.split(':') as [string, string];
    return pyramid(teamId, ownerId);
  });
  /** The pyramids counted here, by team, to forget with the team's counts. */
  const pyramidKeys = new Map<string, Set<string>>();

  async function teamCountsFor(teamId: string, today: CalendarDate, thresholds: CollectionThresholds) {
    asked.set(teamId, { today, thresholds });
    const counts = await teamCounts.get(teamId);
    if (counts.asOf === countedAsOf(today, thresholds)) return counts;
    // A new day, or a matrix changed on another instance: overdue days and quadrants count afresh.
    teamCounts.forget(teamId);
    return teamCounts.get(teamId);
  }

  function pyramidOf(teamId: string, ownerId: string) {
    const key = `${teamId}:${ownerId}`;
    pyramidKeys.set(teamId, (pyramidKeys.get(teamId) ?? new Set()).add(key));
    return pyramids.get(key);
  }

  /** Something in the team changed on this instance: its next Home counts afresh. */
  function changed(teamId: string): void {
    teamCounts.forget(teamId);
    for (const key of pyramidKeys.get(teamId) ?? []) pyramids.forget(key);
  }

  async function homeFor(
    teamId: string,
    userId: string,
    today: CalendarDate,
    thresholds: CollectionThresholds,
  ): Promise<HomeData> {
    const [due, overdue, mine, team, week] = await Promise.all([
      dueLists(teamId, userId, today),
      overdueOfOwner(teamId, userId, today, thresholds),
      pyramidOf(teamId, userId),
      teamCountsFor(teamId, today, thresholds),
      occasions.coming(teamId, userId, today, addDays(today, domain.occasions.homeDays), shown),
    ]);
    const byId = await names(teamId, [
      ...DUE_LISTS.flatMap((list) => due[list].rows.map((n) => n.customerId)),
      ...team.referrals.flatMap((r) => [r.referrerId, r.referredId]),
      ...overdue.rows.map((r) => r.customerId),
    ]);
    const dueList = (list: DueList): HomeList<DueRow> => ({
      total: due[list].total,
      rows: due[list].rows.flatMap((n) => {
        const customer = byId.get(n.customerId.toString());
        return customer ? [{ customer, dueDate: n.dueDate, ...(n.plan ? { plan: n.plan } : {}) }] : [];
      }),
    });
    const thanks = team.referrals.flatMap((r) => {
      const referrer = byId.get(r.referrerId.toString());
      const referred = byId.get(r.referredId.toString());
      return referrer && referred ? [{ referrer, referred }] : [];
    });
    return {
      userId,
      today,
      followUpsOverdue: dueList('followUpsOverdue'),
      followUpsToday: dueList('followUpsToday'),
      contactDue: dueList('contactDue'),
      ambassadorsDue: dueList('ambassadorsDue'),
      promisesDue: dueList('promisesDue'),
      overdue: {
        ...overdue,
        rows: overdue.rows.flatMap(({ customerId, ...row }) => {
          const customer = byId.get(customerId.toString());
          return customer ? [{ customer, ...row }] : [];
        }),
      },
      daysThisWeek: week,
      pyramid: mine,
      team: {
        tiers: team.tiers,
        overdueByQuadrant: team.byQuadrant,
        awaitingThanks: { rows: thanks, total: team.thanksTotal },
        pooled: team.pooled,
      },
    };
  }

  /** When this instance last wrote each person's opening, by `teamId:userId`. */
  const openingsWritten = new Map<string, number>();

  /**
   * Remembers that someone looks at their Home, so changes republish it for them. People flick back to Home all day:
   * an opening is written again only once the last one this instance wrote is domain.home.reopenedAfterMinutes old,
   * which the refresh window (hours) does not feel.
   */
  async function opened(teamId: string, userId: string): Promise<void> {
    const key = `${teamId}:${userId}`;
    const at = now();
    const written = openingsWritten.get(key);
    if (written !== undefined && at.getTime() - written < domain.home.reopenedAfterMinutes * 60_000) return;
    await models.homeOpens.updateOne({ teamId, userId }, { $set: { openedAt: at } }, { upsert: true });
    openingsWritten.set(key, at.getTime());
  }

  /** Which of these people opened their Home recently enough to be looking at it still. */
  async function openedAmong(teamId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const since = new Date(now().getTime() - domain.home.refreshWithinHours * 3_600_000);
    const rows = await models.homeOpens
      .find({ teamId, userId: { $in: userIds }, openedAt: { $gte: since } }, { userId: 1 })
      .lean();
    return rows.map((r) => r.userId);
  }

  /** The owner of a card, to republish their Home when someone else changed it. */
  async function ownerOf(teamId: string, customerId: string): Promise<string | undefined> {
    const card = await models.customers.findOne({ teamId, _id: new Types.ObjectId(customerId) }, { ownerId: 1 }).lean();
    return card?.ownerId;
  }

  return { homeFor, changed, opened, openedAmong, ownerOf };
}

export type HomeService = ReturnType<typeof createHomeService>;
