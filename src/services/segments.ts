import { Types, type Model } from 'mongoose';
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

/** Where a customer who bought only before the window goes. */
const INACTIVE: Placement = { segment: 'inactive' };
const NOT_PLACED: Placement = {};

const samePlacement = (a: Placement, b: Placement) => PLACED.every((k) => a[k] === b[k]);
const placementOf = (card: Placement): Placement => ({ segment: card.segment, tier: card.tier, abc: card.abc });

/**
 * The rows of a pipeline, a batch at a time, through the driver: mongoose's cursor adds its own objects to each row,
 * and the ranking reads hundreds of thousands. The pipeline's $match scopes it to the team.
 */
const rowsOf = <Row extends object>(model: Model<any>, pipeline: object[]) =>
  model.collection.aggregate<Row>(pipeline, { batchSize: domain.segments.readBatch });

/**
 * The customers one refresh meets, each numbered once, what it knows of them kept in columns by number, so a team's
 * ids are held once however many figures it reads. Keyed by the id's base64 form: bson 7 builds toHexString() from
 * twelve pieces, a rope of some 250 bytes a key as a Map keeps it, against one flat string here (a Map of 100,000
 * keys: 25 MB against 7 MB).
 */
class Customers {
  private readonly numbers = new Map<string, number>();
  /** By number: the id's key; the ObjectId is made again only for a card that moves. */
  private readonly keys: string[] = [];
  private readonly columns: number[][] = [];
  private readonly placements = new Map<string, Placement>();

  get size(): number {
    return this.keys.length;
  }

  idOf(n: number): Types.ObjectId {
    return new Types.ObjectId(Buffer.from(this.keys[n]!, 'base64'));
  }

  numberOf(id: Types.ObjectId): number {
    const key = id.toString('base64');
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.keys.push(key) - 1;
      this.numbers.set(key, n);
      for (const column of this.columns) column.push(0);
    }
    return n;
  }

  /** A figure for every customer, 0 until set; it grows as customers are numbered. */
  column(): number[] {
    const column = new Array<number>(this.size).fill(0);
    this.columns.push(column);
    return column;
  }

  /** The one object every customer with this placement shares: a team has a few dozen distinct ones. */
  placement(placement: Placement): Placement {
    // An absent field as [], apart from a null one.
    const key = JSON.stringify(PLACED.map((k) => (placement[k] === undefined ? [] : [placement[k]])));
    let shared = this.placements.get(key);
    if (!shared) this.placements.set(key, (shared = placementOf(placement)));
    return shared;
  }
}

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
   * Sum of one field per customer, read a batch at a time into `sums` by the customer's number: a team's rows are
   * kept once, never also as an array of all of them. One accumulator per pipeline, and no $cond/$ifNull: FerretDB
   * 1.24 computes only the first $sum of a $group and implements neither operator. Returns the numbers in the order
   * the rows came.
   */
  async function sumByCustomer(
    known: Customers,
    sums: number[],
    model: Model<any>,
    match: Record<string, unknown>,
    field: string,
  ): Promise<number[]> {
    const pipeline = [{ $match: match }, { $group: { _id: '$customerId', fen: { $sum: `$${field}` } } }];
    const order: number[] = [];
    for await (const row of rowsOf<{ _id: Types.ObjectId; fen: number }>(model, pipeline)) {
      const n = known.numberOf(row._id);
      sums[n] = row.fen;
      order.push(n);
    }
    return order;
  }

  async function customersWhoBought(known: Customers, match: Record<string, unknown>): Promise<number[]> {
    const bought: number[] = [];
    const rows = rowsOf<{ _id: Types.ObjectId }>(models.sales, [{ $match: match }, { $group: { _id: '$customerId' } }]);
    for await (const row of rows) bought.push(known.numberOf(row._id));
    return bought;
  }

  /**
   * Each current customer's 12-month value and amount, net of returns and discounts (as the card's totals are), in
   * the order the amounts came. The sums are read one after another: each running cursor holds a batch of rows, and
   * the fewer live at once, the fewer reach the old generation.
   */
  async function standings(known: Customers, teamId: string, today: CalendarDate): Promise<Standing<number>[]> {
    const inWindow = { teamId, date: { $gt: addDays(today, -domain.segments.windowDays) } };
    const [profits, unprofited, amounts, returned] = [known.column(), known.column(), known.column(), known.column()];
    await sumByCustomer(known, profits, models.sales, { ...inWindow, profitFen: { $exists: true } }, 'profitFen');
    await sumByCustomer(known, unprofited, models.sales, { ...inWindow, profitFen: { $exists: false } }, 'amountFen');
    const current = await sumByCustomer(known, amounts, models.sales, inWindow, 'amountFen');
    const since = new Date(now().getTime() - domain.segments.windowDays * DAY_MS);
    await sumByCustomer(known, returned, models.adjustments, { teamId, createdAt: { $gt: since } }, 'amountFen');
    return current.map((n) => {
      const back = returned[n]!;
      return { id: n, valueFen: profits[n]! + unprofited[n]! - back, amountFen: amounts[n]! - back };
    });
  }

  /**
   * Where every customer who ever bought belongs now, by number, in the order the customers were first placed
   * (those who bought before the window, then the rest of those who bought in it); those who never bought are left to
   * their cards.
   */
  async function targets(known: Customers, teamId: string, today: CalendarDate): Promise<[number, Placement][]> {
    const current = await standings(known, teamId, today);
    const earlier = await customersWhoBought(known, {
      teamId,
      date: { $lte: addDays(today, -domain.segments.windowDays) },
    });
    const ranked = rankCustomers(current);
    const placed: [number, Placement][] = [];
    const done = new Uint8Array(known.size);
    const place = (n: number) => {
      const rank = ranked.get(n);
      placed.push([n, rank ? known.placement({ segment: 'current', ...rank }) : INACTIVE]);
      done[n] = 1;
    };
    for (const n of earlier) place(n);
    for (const { id } of current) if (!done[id]) place(id);
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
    // The cards read are the first numbered, in the order read.
    const known = new Customers();
    const seen: Placement[] = [];
    const stored = models.customers.collection.find<Placement & { _id: Types.ObjectId }>(
      { teamId, segment: { $exists: true } },
      { projection: PLACED_FIELDS, batchSize: domain.segments.readBatch },
    );
    for await (const c of stored) seen[known.numberOf(c._id)] = known.placement(c);
    const placed = await targets(known, teamId, todayIn(now(), timezone));
    const moves: Move[] = [];
    const isPlaced = new Uint8Array(known.size);
    let current = 0;
    for (const [n, target] of placed) {
      isPlaced[n] = 1;
      if (target.segment === 'current') current += 1;
      const before = seen[n];
      if (!before) moves.push({ id: known.idOf(n), seen: NOT_PLACED, target });
      else if (!samePlacement(before, target)) moves.push({ id: known.idOf(n), seen: before, target });
    }
    // A card marked current whose sales are all gone from the window and from before it: nothing says it bought.
    for (const [n, before] of seen.entries()) {
      if (!isPlaced[n] && before.segment === 'current')
        moves.push({ id: known.idOf(n), seen: before, target: INACTIVE });
    }
    return { moves, current, inactive: placed.length - current };
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
