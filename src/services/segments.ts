import { Types, type Model, type PipelineStage } from 'mongoose';
import { domain } from '../config/domain.js';
import { isDuplicateKey } from '../db/errors.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { FieldChange } from '../domain/diff.js';
import { rankCustomers, type AbcClass, type Standing, type StoredSegment, type Tier } from '../domain/segments.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { addDays, localNow, todayIn, type CalendarDate } from '../time.js';
import { historyDoc } from './history.js';
import type { CardEvents, RecordedEvent } from './cardEvents.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  writes: GuardedWrites;
  events: CardEvents;
}

/** What the job keeps on a card; absent fields are unset. */
interface Placement {
  segment?: StoredSegment;
  tier?: Tier;
  abc?: AbcClass;
}

/** One card to move from the placement the refresh read to the one it computed. */
export interface Move {
  id: Types.ObjectId;
  seen: Placement;
  target: Placement;
}

export interface SegmentReport {
  teamId: string;
  current: number;
  inactive: number;
  /** Cards whose segment, tier or class changed, each written once. */
  changed: number;
}

/** History entries the job writes name this user, shown as the system. */
const SYSTEM_USER = 'system';
const DAY_MS = 24 * 60 * 60_000;
const PLACED = ['segment', 'tier', 'abc'] as const;
const PLACED_FIELDS = { segment: 1, tier: 1, abc: 1 } as const;

/** Rows an aggregation or a read hands back per round trip. */
const READ_BATCH = 5000;

const samePlacement = (a: Placement, b: Placement) => PLACED.every((k) => a[k] === b[k]);
const placementOf = (card: Placement): Placement => ({ segment: card.segment, tier: card.tier, abc: card.abc });

/**
 * 客户金字塔 and ABC, computed inside the database: each figure is one
 * $match + $group per team, and only one row per customer comes back to
 * rank. A card is written only when its placement changed, through the
 * guarded write (version bump, history in the same step), so it never races
 * a user's edit; edits do not touch these fields, so the bump costs them
 * nothing (the edit modal only refuses changes to fields it showed).
 */
export function createSegmentService({ models, now, settings, writes, events }: Deps) {
  /**
   * A placement is announced with its write: the contact cadence follows the tier, the pool a tier now kept out of it.
   */
  const rankedEvent = (card: Pick<CustomerRecord, '_id' | 'teamId' | 'version'>) =>
    events.withChange(
      { type: 'ranked', teamId: card.teamId, customerId: card._id.toString(), by: SYSTEM_USER },
      `${card._id.toString()}:v${card.version + 1}:ranked`,
    );

  /**
   * Sum of one field per customer, read a batch at a time: a team's rows are
   * kept once, in the map, never also as an array of all of them. One
   * accumulator per pipeline, and no $cond/$ifNull: FerretDB 1.24 computes
   * only the first $sum of a $group and implements neither operator.
   */
  async function sumByCustomer(
    model: Model<any>,
    match: Record<string, unknown>,
    field: string,
  ): Promise<Map<string, number>> {
    const pipeline: PipelineStage[] = [
      { $match: match },
      { $group: { _id: '$customerId', fen: { $sum: `$${field}` } } },
    ];
    const sums = new Map<string, number>();
    const rows = model.aggregate<{ _id: Types.ObjectId; fen: number }>(pipeline).cursor({ batchSize: READ_BATCH });
    for await (const row of rows) sums.set(row._id.toString(), row.fen);
    return sums;
  }

  async function customersWhoBought(match: Record<string, unknown>): Promise<Set<string>> {
    const bought = new Set<string>();
    const rows = models.sales
      .aggregate<{ _id: Types.ObjectId }>([{ $match: match }, { $group: { _id: '$customerId' } }])
      .cursor({ batchSize: READ_BATCH });
    for await (const row of rows) bought.add(row._id.toString());
    return bought;
  }

  /** Each current customer's 12-month value and amount, net of returns and discounts (as the card's totals are). */
  async function standings(teamId: string, today: CalendarDate): Promise<Standing[]> {
    const inWindow = { teamId, date: { $gt: addDays(today, -domain.segments.windowDays) } };
    const [profits, unprofited, amounts, returned] = await Promise.all([
      sumByCustomer(models.sales, { ...inWindow, profitFen: { $exists: true } }, 'profitFen'),
      sumByCustomer(models.sales, { ...inWindow, profitFen: { $exists: false } }, 'amountFen'),
      sumByCustomer(models.sales, inWindow, 'amountFen'),
      sumByCustomer(
        models.adjustments,
        { teamId, createdAt: { $gt: new Date(now().getTime() - domain.segments.windowDays * DAY_MS) } },
        'amountFen',
      ),
    ]);
    return [...amounts].map(([id, amountFen]) => {
      const back = returned.get(id) ?? 0;
      return { id, valueFen: (profits.get(id) ?? 0) + (unprofited.get(id) ?? 0) - back, amountFen: amountFen - back };
    });
  }

  /** Where every customer who ever bought belongs now; those who never bought are left to their cards. */
  async function targets(teamId: string, today: CalendarDate): Promise<Map<string, Placement>> {
    const [current, earlier] = await Promise.all([
      standings(teamId, today),
      customersWhoBought({ teamId, date: { $lte: addDays(today, -domain.segments.windowDays) } }),
    ]);
    const placed = new Map<string, Placement>([...earlier].map((id) => [id, { segment: 'inactive' }]));
    for (const [id, { tier, abc }] of rankCustomers(current)) placed.set(id, { segment: 'current', tier, abc });
    return placed;
  }

  /** The guarded change moving a card, as read, from `seen` to `target`: its history entry and event go with it. */
  function placing(card: Pick<CustomerRecord, '_id' | 'teamId' | 'version'>, seen: Placement, target: Placement) {
    const changes: FieldChange[] = PLACED.filter((k) => seen[k] !== target[k]).map((k) => ({
      field: k,
      from: seen[k],
      to: target[k],
    }));
    const { teamId, _id: customerId } = card;
    const entry = { teamId, customerId, action: 'tierChanged' as const, userId: SYSTEM_USER, at: now(), changes };
    const ranked = rankedEvent(card);
    return {
      ranked,
      change: {
        set: Object.fromEntries(PLACED.filter((k) => target[k] !== undefined).map((k) => [k, target[k]])),
        unset: PLACED.filter((k) => target[k] === undefined && seen[k] !== undefined),
        records: [{ model: models.history, doc: historyDoc(entry) }, ranked.record],
      },
    };
  }

  /**
   * Moves one card from `seen` to `target`, unless something else (a first
   * sale, another refresh) moved it since it was read: that newer placement
   * stands until the next run.
   */
  async function place(teamId: string, id: Types.ObjectId, seen: Placement, target: Placement): Promise<boolean> {
    let ranked: RecordedEvent | undefined;
    const written = await writes.updateUntilWritten<CustomerRecord>(models.customers, teamId, id, (card) => {
      if (!samePlacement(placementOf(card), seen)) return null;
      const placed = placing(card, seen, target);
      ranked = placed.ranked;
      return placed.change;
    });
    if (written) await ranked!.react();
    return written !== null;
  }

  /**
   * Moves a batch of cards as `place` moves one, in bulk writes: each card is
   * read again and moved only if still where the plan saw it, from the
   * version read; one changed between that read and the write is placed on
   * its own. The kinds react to the batch at once. Returns how many moved.
   */
  async function placeAll(teamId: string, moves: Move[]): Promise<number> {
    const cards = await models.customers
      .find({ teamId, _id: { $in: moves.map((m) => m.id) } }, { teamId: 1, version: 1, ...PLACED_FIELDS })
      .lean<(Placement & Pick<CustomerRecord, '_id' | 'teamId' | 'version'>)[]>();
    const byId = new Map(cards.map((card) => [card._id.toString(), card]));
    const planned = moves.flatMap((move) => {
      const card = byId.get(move.id.toString());
      return card && samePlacement(placementOf(card), move.seen)
        ? [{ move, card, ...placing(card, move.seen, move.target) }]
        : [];
    });
    const outcomes = await writes.writeManyIfUnchanged(
      models.customers,
      teamId,
      planned.map(({ card, change }) => ({ id: card._id, version: card.version, ...change })),
    );
    const written = planned.filter((_, i) => outcomes[i] === 'written');
    let moved = written.length;
    for (const [i, outcome] of outcomes.entries()) {
      const { move } = planned[i]!;
      if (outcome === 'conflict' && (await place(teamId, move.id, move.seen, move.target))) moved += 1;
    }
    await events.reactAll(written.map((p) => p.ranked));
    return moved;
  }

  /**
   * What a refresh would change, computed without writing: the moves, and how many customers are current and inactive.
   */
  async function planRefresh(teamId: string): Promise<{ moves: Move[]; current: number; inactive: number }> {
    const { timezone } = await settings.settingsFor(teamId);
    // Read before the sales, so a card a sale makes current meanwhile differs from what was read and is left alone.
    const seen = new Map<string, { id: Types.ObjectId; placement: Placement }>();
    const stored = models.customers
      .find({ teamId, segment: { $exists: true } }, PLACED_FIELDS)
      .lean<(Placement & { _id: Types.ObjectId })[]>()
      .cursor({ batchSize: READ_BATCH });
    for await (const c of stored) seen.set(c._id.toString(), { id: c._id, placement: placementOf(c) });
    const placed = await targets(teamId, todayIn(now(), timezone));
    const moves: Move[] = [];
    for (const [id, target] of placed) {
      const before = seen.get(id);
      if (!before) moves.push({ id: new Types.ObjectId(id), seen: {}, target });
      else if (!samePlacement(before.placement, target)) moves.push({ id: before.id, seen: before.placement, target });
    }
    // A card marked current whose sales are all gone from the window and from before it: nothing says it bought.
    for (const [id, before] of seen) {
      if (!placed.has(id) && before.placement.segment === 'current')
        moves.push({ id: before.id, seen: before.placement, target: { segment: 'inactive' } });
    }
    const current = [...placed.values()].filter((p) => p.segment === 'current').length;
    return { moves, current, inactive: placed.size - current };
  }

  /** Writes the moves, a batch at a time; returns how many cards changed. */
  async function applyMoves(teamId: string, moves: Move[]): Promise<number> {
    let changed = 0;
    for (let from = 0; from < moves.length; from += domain.segments.writeBatch)
      changed += await placeAll(teamId, moves.slice(from, from + domain.segments.writeBatch));
    return changed;
  }

  /** Classifies every customer of a team now: the nightly job's work, and the admin's on demand. */
  async function refreshTeam(teamId: string): Promise<SegmentReport> {
    const { moves, current, inactive } = await planRefresh(teamId);
    return { teamId, current, inactive, changed: await applyMoves(teamId, moves) };
  }

  /**
   * The scheduled run: each team whose local time has reached its
   * segmentation hour today and that was not refreshed today. The day's
   * claim is an insert, so two instances never both run it.
   */
  async function refreshDue(): Promise<SegmentReport[]> {
    const reports: SegmentReport[] = [];
    for (const teamId of await settings.teamIds()) {
      const { timezone, segmentHour } = await settings.settingsFor(teamId);
      const local = localNow(now(), timezone);
      if (local.hour() < segmentHour) continue;
      const day = todayIn(now(), timezone);
      const _id = `${teamId}:${day}`;
      try {
        await models.segmentRuns.create({ _id, teamId, day, startedAt: now() });
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      reports.push(await refreshTeam(teamId));
      await models.segmentRuns.updateOne({ _id, teamId }, { $set: { finishedAt: now() } });
    }
    return reports;
  }

  /** A sale dated inside the window makes its customer current at once; the job ranks it on its next run. */
  async function markCurrent(customer: CustomerRecord, saleDate: CalendarDate): Promise<void> {
    const { timezone } = await settings.settingsFor(customer.teamId);
    if (saleDate <= addDays(todayIn(now(), timezone), -domain.segments.windowDays)) return;
    let ranked: RecordedEvent | undefined;
    const written = await writes.updateUntilWritten<CustomerRecord>(
      models.customers,
      customer.teamId,
      customer._id,
      (card) => {
        if (card.segment === 'current') return null;
        ranked = rankedEvent(card);
        return { set: { segment: 'current' }, unset: ['tier', 'abc'], records: [ranked.record] };
      },
    );
    if (written) await ranked!.react();
  }

  return { planRefresh, applyMoves, refreshTeam, refreshDue, markCurrent };
}

export type SegmentService = ReturnType<typeof createSegmentService>;
