import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { insertManyOnce } from '../db/bulk.js';
import { idFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { HistoryAction } from '../models/history.js';
import type { Models } from '../models/index.js';
import {
  ANSWERABLE_NUDGE_STATUSES,
  isAboutCustomer,
  OPEN_NUDGE_STATUSES,
  type CustomerNudgeRecord,
  type NudgeKind,
  type NudgeRecord,
  type NudgeStatus,
} from '../models/nudge.js';
import { addDays, instantAt, todayIn, type CalendarDate } from '../time.js';
import { historyDoc } from './history.js';
import type { TeamSettingsService } from './teamSettings.js';

/** How the one pipeline treats a kind of reminder: each kind says it in its file (src/nudgeKinds). */
export interface KindTraits {
  /** How a snooze is recorded in the card's history; null: no button snoozes it. */
  snooze: { action: HistoryAction; field: string } | null;
  /** Whether Done, or a visit logged from it, closes it; false for the app's own acts (a release to the pool). */
  answerable: boolean;
  /**
   * It asks the owner to contact the customer: one customer gets at most
   * one such reminder a day, and it is booked the evening before in the
   * owner's wrap-up.
   */
  contact: boolean;
  /** Contact kinds it waits for when both are due the same day. */
  givesWayTo?: readonly NudgeKind[];
  /** Posted at an instant of its own (a referral's moment, the wrap-up hour), not the team's nudge hour. */
  ownInstant: boolean;
  /** Listed in a digest when many go to the team's channel at once. */
  digest: boolean;
}

/** Every kind's traits, by name: what the composition root hands the pipeline from the kinds registry. */
export type KindTraitsByName = Readonly<Record<NudgeKind, KindTraits>>;

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  writes: GuardedWrites;
  traits: KindTraitsByName;
}

/** A reminder to schedule: its id comes from its cause, so scheduling it twice schedules it once. */
export type NewNudge = Pick<
  CustomerNudgeRecord,
  '_id' | 'teamId' | 'kind' | 'customerId' | 'sourceId' | 'ownerId' | 'dueDate' | 'plan' | 'createdBy'
> &
  Partial<Pick<NudgeRecord, 'round' | 'occursOn'>>;

/** A reminder about a person's day (PERSON_NUDGE_KINDS): no customer, no cause record. */
type NewPersonNudge = Pick<NudgeRecord, '_id' | 'teamId' | 'kind' | 'ownerId' | 'dueDate' | 'createdBy'> &
  Partial<Pick<NudgeRecord, 'plan' | 'occursOn'>>;

export interface ScheduleOptions {
  /** Closes the customer's other open nudges of the kind: the new one replaces them. */
  replacing?: boolean;
  /** Open nudges `replacing` leaves open. */
  keeping?: Types.ObjectId[];
  /** Due at this instant instead of the team's nudge hour on its due day (a referral is acted on at once). */
  at?: Date;
}

export type SnoozeLength = keyof typeof domain.nudges.snoozeDays;

export type CloseResult<N extends NudgeRecord = NudgeRecord> =
  { status: 'ok'; nudge: N } | { status: 'closed' } | { status: 'notFound' };

/** What happened when Slack was asked to post a nudge. */
export type DeliveryOutcome =
  | { ok: true; channel: string; ts: string }
  | { ok: false; error: string; retryAfterMs?: number; rateLimited?: boolean };

/** A nudge claimed for posting. */
export interface Claimed {
  nudge: NudgeRecord;
  /** An earlier claim lapsed while it was being posted: that instance may have posted it, from this instant on. */
  lapsedClaimFrom?: Date;
}

/** An open nudge, read with its version, and how to close it. */
interface Closing {
  nudge: Pick<NudgeRecord, '_id' | 'version'>;
  change: { status: 'superseded' | 'cancelled'; closedBy: string };
}

/** An open nudge as `openOfMany` reads it. */
export type OpenNudge = Pick<CustomerNudgeRecord, '_id' | 'version' | 'customerId' | 'kind' | 'status' | 'dueDate'>;

/** A posted nudge's buttons name the nudge and the version it has once recorded as sent. */
export interface NudgeRef {
  id: string;
  version?: number;
}

function toObjectId(id: string): Types.ObjectId | null {
  return isValidObjectId(id) ? new Types.ObjectId(id) : null;
}

/**
 * Retry delay after `attempts` counted failures: Slack's Retry-After when given, else doubling from the base, capped.
 */
function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  return retryAfterMs ?? Math.min(domain.nudges.retryMaxMs, domain.nudges.retryBaseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * What a refusal changes on a claimed nudge. A rate limit means "wait": it
 * is retried after Slack's Retry-After and not counted as an attempt; nor is
 * a refusal that was not the nudge's own (`charged: false`: the digest it was
 * in was refused). Either way a nudge refused for giveUpAfterMs is given up.
 */
function refusal(nudge: NudgeRecord, outcome: Extract<DeliveryOutcome, { ok: false }>, charged: boolean, at: Date) {
  const counted = charged && !outcome.rateLimited;
  const attempts = counted ? nudge.attempts : Math.max(0, nudge.attempts - 1);
  const wait = outcome.rateLimited
    ? (outcome.retryAfterMs ?? domain.nudges.rateLimitedWaitMs)
    : retryDelayMs(Math.max(1, attempts), outcome.retryAfterMs);
  const refusedSince = nudge.refusedSince ?? at;
  const giveUp = at.getTime() - refusedSince.getTime() >= domain.nudges.giveUpAfterMs;
  return {
    status: giveUp ? ('failed' as const) : ('pending' as const),
    attempts,
    refusedSince,
    lastError: outcome.error,
    nextAttemptAt: new Date(at.getTime() + wait),
  };
}

/** The version a claimed nudge has once its delivery is recorded: what its message's buttons answer. */
export const postedVersion = (claimed: NudgeRecord): number => claimed.version + 1;

const isAnswerable = (n: NudgeRecord) => ANSWERABLE_NUDGE_STATUSES.includes(n.status);

/**
 * Nudges that move with their card to a new owner. A sent one stays: its
 * message's buttons answer the version it was posted with, and a move would
 * bump it. A sending one stays: it is being posted right now, and a bump
 * would make its delivery unrecordable, so it would be posted again.
 */
export const MOVABLE_STATUSES: readonly NudgeStatus[] = ['pending', 'failed'];

/** Not yet posted: it will still go out. */
const TO_BE_POSTED: readonly NudgeStatus[] = ['pending', 'sending'];

/** Closed before it was posted: its cause went (a festival no longer greeted), and may come back. */
const CLOSED_UNPOSTED: readonly NudgeStatus[] = ['cancelled', 'superseded'];

/**
 * The one nudge pipeline: every kind of reminder is scheduled, found due,
 * claimed, recorded, snoozed and answered here; kinds add only their rules
 * and views (src/nudgeKinds/). Every change goes through writeIfUnchanged.
 */
export function createNudgeService({ models, now, settings, writes, traits }: Deps) {
  const traitsOf = (kind: NudgeKind): KindTraits => {
    const known = traits[kind];
    if (!known) throw new Error(`no reminder kind ${kind} is registered`);
    return known;
  };
  const contactKinds = Object.keys(traits).filter((kind) => traits[kind]!.contact);
  const ownInstantKinds = Object.keys(traits).filter((kind) => traits[kind]!.ownInstant);

  /**
   * The first day whose nudge hour is still ahead: today before the hour, else tomorrow. Reminders that would fall due
   * in the past are due then.
   */
  async function firstNudgeDay(teamId: string): Promise<CalendarDate> {
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    const today = todayIn(now(), timezone);
    return now() < instantAt(today, nudgeHour, timezone) ? today : addDays(today, 1);
  }

  async function dueInstant(teamId: string, dueDate: CalendarDate): Promise<Date> {
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    return instantAt(dueDate, nudgeHour, timezone);
  }

  /**
   * After the team's nudge hour or time zone changed: every pending nudge not
   * yet tried moves to the new hour of its day, one update per due day. A
   * version bump makes a snooze racing it retry on the new values.
   */
  async function retime(teamId: string): Promise<void> {
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    const waiting = {
      teamId,
      status: 'pending' as const,
      attempts: 0,
      refusedSince: { $exists: false },
      kind: { $nin: ownInstantKinds },
    };
    const days: CalendarDate[] = await models.nudges.distinct('dueDate', waiting);
    for (const day of days) {
      await models.nudges.updateMany(
        { ...waiting, dueDate: day },
        { $set: { nextAttemptAt: instantAt(day, nudgeHour, timezone) }, $inc: { version: 1 } },
      );
    }
  }

  async function insertPending(nudge: NewNudge | NewPersonNudge, at: Date): Promise<void> {
    await writes.insertOnce(models.nudges, {
      ...nudge,
      status: 'pending',
      version: 1,
      attempts: 0,
      claims: 0,
      nextAttemptAt: at,
    });
  }

  /** Pending nudges due at the team's nudge hour of their days, in one bulk insert; one already there is left as it is. */
  async function insertPendingMany(teamId: string, many: (NewNudge | NewPersonNudge)[]): Promise<void> {
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    const at = now();
    await insertManyOnce(
      models.nudges,
      many.map((nudge) => ({
        ...Object.fromEntries(Object.entries(nudge).filter(([, v]) => v !== undefined)),
        status: 'pending',
        version: 1,
        attempts: 0,
        claims: 0,
        nextAttemptAt: instantAt(nudge.dueDate, nudgeHour, timezone),
        createdAt: at,
        updatedAt: at,
      })),
    );
  }

  /**
   * The person's wrap-up of `day` (one per person and day, so asking twice
   * asks once), due at the team's wrap-up hour; not when that hour has passed:
   * what happens after the wrap-up waits for no one, and a late one would read
   * as a second wrap-up of the day.
   */
  async function scheduleWrapUp(teamId: string, userId: string, day: CalendarDate, createdBy: string): Promise<void> {
    const { wrapUpHour, timezone } = await settings.settingsFor(teamId);
    const at = instantAt(day, wrapUpHour, timezone);
    if (at <= now()) return;
    await insertPending(
      {
        _id: idFor(`${teamId}:${userId}:wrapUp:${day}`),
        teamId,
        kind: 'wrapUp',
        ownerId: userId,
        dueDate: day,
        createdBy,
      },
      at,
    );
  }

  /**
   * Schedules reminders about a person's days (a festival's gift lists) at
   * the team's nudge hour of each due day, in one bulk insert. Each id names
   * what it is about, so one closed before it was posted (its festival
   * dropped, then picked again) is opened again, due then, rather than left
   * closed. Returns, by id, the status each has now: pending, or the one it
   * had gone on to (sending, sent…).
   */
  async function schedulePersonal(many: NewPersonNudge[]): Promise<Map<string, NudgeStatus>> {
    if (many.length === 0) return new Map();
    const { teamId } = many[0]!;
    await insertPendingMany(teamId, many);
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    const stored = await models.nudges
      .find({ teamId, _id: { $in: many.map((n) => n._id) } }, { status: 1 })
      .lean<Pick<NudgeRecord, '_id' | 'status'>[]>();
    const statuses = new Map(stored.map((n) => [n._id.toString(), n.status]));
    for (const { _id, dueDate, createdBy } of many) {
      if (!CLOSED_UNPOSTED.includes(statuses.get(_id.toString()) ?? 'pending')) continue;
      const nextAttemptAt = instantAt(dueDate, nudgeHour, timezone);
      const reopened = await writes.updateUntilWritten<NudgeRecord>(models.nudges, teamId, _id, (n) =>
        CLOSED_UNPOSTED.includes(n.status)
          ? {
              set: { status: 'pending', dueDate, nextAttemptAt, attempts: 0, createdBy },
              unset: ['closedBy', 'refusedSince', 'lastError', 'digestTs'],
            }
          : null,
      );
      if (reopened) statuses.set(_id.toString(), 'pending');
    }
    return statuses;
  }

  /** A contact due on a day is booked the evening before, in its owner's wrap-up. */
  async function contactScheduled({
    kind,
    teamId,
    ownerId,
    dueDate,
    createdBy,
  }: Pick<NudgeRecord, 'kind' | 'teamId' | 'ownerId' | 'dueDate' | 'createdBy'>): Promise<void> {
    if (traitsOf(kind).contact) await scheduleWrapUp(teamId, ownerId, addDays(dueDate, -1), createdBy);
  }

  /**
   * The card's waiting nudges, moved to its new `owner` (whatever else
   * changed on each meanwhile); a contact nudge is booked in their wrap-up.
   * Returns the kinds moved.
   */
  async function moveTo(teamId: string, customerId: Types.ObjectId, owner: string, by: string): Promise<NudgeKind[]> {
    const waiting = await models.nudges
      .find({ teamId, customerId, status: { $in: MOVABLE_STATUSES }, ownerId: { $ne: owner } }, { _id: 1 })
      .lean();
    const kinds: NudgeKind[] = [];
    for (const { _id } of waiting) {
      const moved = await writes.updateUntilWritten<NudgeRecord>(models.nudges, teamId, _id, (n) =>
        MOVABLE_STATUSES.includes(n.status) && n.ownerId !== owner ? { set: { ownerId: owner } } : null,
      );
      if (!moved) continue;
      kinds.push(moved.kind);
      await contactScheduled({ ...moved, createdBy: by });
    }
    return kinds;
  }

  /** Contacts scheduled before wrap-ups existed are booked in them too (a boot step, run once). */
  async function adoptContactWrapUps(teamIds: string[]): Promise<void> {
    for (const teamId of teamIds) {
      const { timezone } = await settings.settingsFor(teamId);
      const fields = { kind: 1, teamId: 1, ownerId: 1, dueDate: 1, createdBy: 1 };
      const ahead = await models.nudges
        .find(
          { teamId, dueDate: { $gt: todayIn(now(), timezone) }, kind: { $in: contactKinds }, status: 'pending' },
          fields,
        )
        .lean();
      for (const nudge of ahead) await contactScheduled(nudge);
    }
  }

  /**
   * Moves waiting nudges to new due days (at the team's nudge hour), in one
   * bulk write: each only if it is still the version read and still waiting,
   * so one claimed, snoozed or answered meanwhile keeps what happened to it.
   * For kinds that are not contact reminders: it books nothing in a wrap-up.
   */
  async function moveAll(
    teamId: string,
    moves: readonly { _id: Types.ObjectId; version: number; dueDate: CalendarDate }[],
  ): Promise<void> {
    if (moves.length === 0) return;
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    await models.nudges.bulkWrite(
      moves.map(({ _id, version, dueDate }) => ({
        updateOne: {
          filter: { _id, teamId, version, status: 'pending' as const },
          update: { $set: { dueDate, nextAttemptAt: instantAt(dueDate, nudgeHour, timezone) }, $inc: { version: 1 } },
        },
      })),
      { ordered: false },
    );
  }

  /** Closes one nudge, if still open, whatever else happened to it meanwhile. */
  async function close(
    teamId: string,
    _id: Types.ObjectId,
    change: { status: 'superseded' | 'cancelled'; closedBy: string },
  ): Promise<void> {
    await writes.updateUntilWritten<NudgeRecord>(models.nudges, teamId, _id, (n) =>
      OPEN_NUDGE_STATUSES.includes(n.status) ? { set: change } : null,
    );
  }

  /**
   * Cancels one nudge still waiting to be posted (pending, or given up) whose cause went: a festival the team no longer
   * greets. One being posted right now, or posted, keeps its course.
   */
  async function cancelWaiting(teamId: string, _id: Types.ObjectId, closedBy: string): Promise<void> {
    await writes.updateUntilWritten<NudgeRecord>(models.nudges, teamId, _id, (n) =>
      MOVABLE_STATUSES.includes(n.status) ? { set: { status: 'cancelled', closedBy } } : null,
    );
  }

  /** Closes one nudge because something replaced it (a promise moved to another day). */
  const supersede = (teamId: string, _id: Types.ObjectId, closedBy: string) =>
    close(teamId, _id, { status: 'superseded', closedBy });

  /** The customer's open nudges of a kind, but those named in `keeping`. */
  const openOf = (
    { teamId, customerId, kind }: Pick<CustomerNudgeRecord, 'teamId' | 'customerId' | 'kind'>,
    keeping: Types.ObjectId[],
  ) =>
    models.nudges
      .find({ teamId, customerId, kind, status: { $in: OPEN_NUDGE_STATUSES }, _id: { $nin: keeping } }, { _id: 1 })
      .lean();

  /** Closes the customer's open nudges of a kind, but those named in `keeping`. */
  async function closeOpen(
    nudge: Pick<CustomerNudgeRecord, 'teamId' | 'customerId' | 'kind'>,
    keeping: Types.ObjectId[],
    change: { status: 'superseded' | 'cancelled'; closedBy: string },
  ): Promise<void> {
    for (const { _id } of await openOf(nudge, keeping)) await close(nudge.teamId, _id, change);
  }

  /**
   * Schedules a nudge for its due day at the team's nudge hour, or at the
   * instant given; `replacing` closes the customer's other open ones of the
   * kind, except those in `keeping` (a nudge just posted, whose buttons must
   * still answer it).
   */
  async function schedule(
    nudge: NewNudge,
    { replacing = false, keeping = [], at }: ScheduleOptions = {},
  ): Promise<void> {
    // The insert, the wrap-up's booking and the read of what it replaces go out at once (one round trip, not three);
    // what it replaces is closed only once it is in.
    const [, replaced] = await Promise.all([
      insertPending(nudge, at ?? (await dueInstant(nudge.teamId, nudge.dueDate))),
      replacing ? openOf(nudge, [nudge._id, ...keeping]) : [],
      contactScheduled(nudge),
    ]);
    for (const { _id } of replaced) await close(nudge.teamId, _id, { status: 'superseded', closedBy: nudge.createdBy });
  }

  /**
   * Closes many open nudges read with their versions, in one bulk guarded
   * write; one that changed since it was read is closed on its own, as
   * `close` does, if it is still open.
   */
  async function closeAll(teamId: string, closing: readonly Closing[]): Promise<void> {
    if (closing.length === 0) return;
    const outcomes = await writes.writeManyIfUnchanged(
      models.nudges,
      teamId,
      closing.map(({ nudge, change }) => ({ id: nudge._id, version: nudge.version, set: change })),
    );
    for (const [index, outcome] of outcomes.entries())
      if (outcome === 'conflict') await close(teamId, closing[index]!.nudge._id, closing[index]!.change);
  }

  /**
   * The open nudges of some kinds of many customers, with what closing them
   * needs and what deciding about them reads; but those in `known`. Served
   * by { teamId, customerId, kind, status }, in one round trip: about one
   * open nudge per customer and kind, so the first batch holds them all
   * rather than 101 and a getMore for the rest.
   */
  const openOfMany = (
    teamId: string,
    customerIds: readonly Types.ObjectId[],
    kinds: readonly NudgeKind[],
    known: readonly Types.ObjectId[] = [],
  ) =>
    models.nudges
      .find(
        {
          teamId,
          customerId: { $in: customerIds },
          kind: { $in: kinds },
          status: { $in: OPEN_NUDGE_STATUSES },
          ...(known.length > 0 ? { _id: { $nin: known } } : {}),
        },
        { _id: 1, version: 1, customerId: 1, kind: 1, status: 1, dueDate: 1 },
      )
      .batchSize(Math.max(1, customerIds.length * kinds.length))
      .lean<OpenNudge[]>();

  /**
   * Schedules many nudges at once, each for its due day at the team's
   * nudge hour: one bulk insert, a nudge already there (the same batch
   * scheduled again after a crash) left as it is, and each contact booked in
   * its owner's wrap-up. `replacing`, as `schedule`'s: the customers' other
   * open nudges of the kind are closed, read again after the insert, so one
   * opened meanwhile (another replan's) is closed too. `seen`: those the
   * caller read to decide (`openOfMany`, before the insert); only the others
   * are read again, a read that finds nothing but a race's, and the seen
   * are closed from the versions read (one changed since is closed as `close` does). `keeping`, as `schedule`'s:
   * open nudges `replacing` leaves open.
   */
  async function scheduleMany(
    teamId: string,
    many: NewNudge[],
    {
      replacing = false,
      seen,
      keeping = [],
    }: { replacing?: boolean; seen?: readonly OpenNudge[]; keeping?: readonly Types.ObjectId[] } = {},
  ): Promise<void> {
    if (many.length === 0) return;
    await insertPendingMany(teamId, many);
    if (replacing) {
      const key = (n: Pick<CustomerNudgeRecord, 'customerId' | 'kind'>) => `${n.customerId.toString()}:${n.kind}`;
      const replacement = new Map(many.map((n) => [key(n), n]));
      const known = seen ? [...seen, ...many].map((n) => n._id) : [];
      const kept = new Set(keeping.map((id) => id.toString()));
      const opened = await openOfMany(
        teamId,
        many.map((n) => n.customerId),
        [...new Set(many.map((n) => n.kind))],
        [...known, ...keeping],
      );
      await closeAll(
        teamId,
        [...(seen ?? []), ...opened].flatMap((nudge) => {
          const by = replacement.get(key(nudge));
          return by && !by._id.equals(nudge._id) && !kept.has(nudge._id.toString())
            ? [{ nudge, change: { status: 'superseded' as const, closedBy: by.createdBy } }]
            : [];
        }),
      );
    }
    const wrapUps = new Map<string, NewNudge>();
    for (const nudge of many) if (traitsOf(nudge.kind).contact) wrapUps.set(`${nudge.ownerId}:${nudge.dueDate}`, nudge);
    for (const nudge of wrapUps.values()) await contactScheduled(nudge);
  }

  /** Many customers' open nudges of some kinds whose cause is gone (cards ranked into a tier kept out of the pool). */
  async function cancelOpenAll(
    teamId: string,
    customerIds: readonly Types.ObjectId[],
    kinds: readonly NudgeKind[],
    userId: string,
  ): Promise<void> {
    if (customerIds.length === 0) return;
    const open = await openOfMany(teamId, customerIds, kinds);
    await closeAll(
      teamId,
      open.map((nudge) => ({ nudge, change: { status: 'cancelled' as const, closedBy: userId } })),
    );
  }

  /** Closes the customer's open nudges of a kind whose cause is gone (a card no longer an ambassador). */
  async function cancelOpen(
    teamId: string,
    customerId: Types.ObjectId,
    kind: NudgeKind,
    userId: string,
  ): Promise<void> {
    await closeOpen({ teamId, customerId, kind }, [], { status: 'cancelled', closedBy: userId });
  }

  /**
   * The day a contact reminder should go out instead of today, or null to
   * post it now: a contact reminder of the customer it gives way to is due
   * by today, or one went out today already. One customer, one contact reminder a day.
   */
  async function contactDeferral(
    nudge: Pick<NudgeRecord, '_id' | 'teamId' | 'customerId' | 'kind'>,
    today: CalendarDate,
    timezone: string,
  ): Promise<CalendarDate | null> {
    const { teamId, customerId, _id } = nudge;
    const before = traitsOf(nudge.kind).givesWayTo ?? [];
    // Either reason is enough, so one read asks both. Both are about contact kinds (givesWayTo names only those): asked
    // outside the $or, the kinds bound the index scan ({ teamId, customerId, kind, … }) as a one-reason read's do;
    // inside it, DocumentDB took an ambassador's two-reason read at twice a follow-up's in the bench's scans.
    const reasons: Record<string, unknown>[] = [{ sentAt: { $gte: instantAt(today, 0, timezone) } }];
    if (before.length > 0)
      reasons.push({ kind: { $in: before }, status: { $in: TO_BE_POSTED }, dueDate: { $lte: today } });
    const waitFor = await models.nudges
      .findOne({ teamId, customerId, kind: { $in: contactKinds }, _id: { $ne: _id }, $or: reasons }, { _id: 1 })
      .lean();
    return waitFor ? addDays(today, 1) : null;
  }

  /** Whether the customer has a reminder of the kind still to be posted (a posted one stays open until answered). */
  async function hasUpcoming(teamId: string, customerId: Types.ObjectId, kind: NudgeKind): Promise<boolean> {
    return (
      (await models.nudges.findOne({ teamId, customerId, kind, status: { $in: TO_BE_POSTED } }, { _id: 1 }).lean()) !==
      null
    );
  }

  /** The team's nudges due now, of every kind, oldest first: candidates, not yet claimed. */
  async function findDue(teamId: string): Promise<NudgeRecord[]> {
    return models.nudges
      .find({ teamId, status: { $in: ['pending', 'sending'] }, nextAttemptAt: { $lte: now() } })
      .sort({ nextAttemptAt: 1 })
      .limit(domain.nudges.scanBatch)
      .lean();
  }

  /**
   * Takes a due nudge for this instance, or null if another instance took it
   * or it changed (superseded, done, snoozed) since it was read. A claim whose
   * instance died expires after claimTimeoutMs and is taken again.
   */
  async function claim(candidate: NudgeRecord): Promise<Claimed | null> {
    // Still `sending` when due: the instance that claimed it stopped (or lost the database) mid-post.
    const lapsed = candidate.status === 'sending';
    const claimed = {
      status: 'sending' as const,
      nextAttemptAt: new Date(now().getTime() + domain.nudges.claimTimeoutMs),
      attempts: candidate.attempts + 1,
      claims: candidate.claims + 1,
      // A claim that keeps lapsing (a post that crashes its instance) is given up by age like a refusal.
      ...(lapsed ? { refusedSince: candidate.refusedSince ?? now() } : {}),
    };
    const outcome = await writes.writeIfUnchanged({
      teamId: candidate.teamId,
      model: models.nudges,
      id: candidate._id,
      version: candidate.version,
      set: claimed,
    });
    if (outcome !== 'written') return null;
    const nudge = { ...candidate, ...claimed, version: candidate.version + 1 };
    return lapsed
      ? { nudge, lapsedClaimFrom: new Date(candidate.nextAttemptAt.getTime() - domain.nudges.claimTimeoutMs) }
      : { nudge };
  }

  /**
   * A claimed nudge about to be posted, its claim renewed when less than half
   * of it is left (a digest's replies go out a second apart, so its last ones
   * wait long after they were claimed); null when it changed meanwhile (its
   * claim expired and another instance took it, or it was answered).
   */
  async function keepClaim(claimed: NudgeRecord): Promise<NudgeRecord | null> {
    const nextAttemptAt = new Date(now().getTime() + domain.nudges.claimTimeoutMs);
    if (claimed.nextAttemptAt.getTime() - now().getTime() > domain.nudges.claimTimeoutMs / 2) return claimed;
    const outcome = await writes.writeIfUnchanged({
      teamId: claimed.teamId,
      model: models.nudges,
      id: claimed._id,
      version: claimed.version,
      set: { nextAttemptAt },
      // Asked again after the database went away mid-write, the renewal is recognised as this one.
      requestKey: `renew:${claimed._id.toString()}:${claimed.version}`,
    });
    return outcome === 'written' || outcome === 'replayed'
      ? { ...claimed, nextAttemptAt, version: claimed.version + 1 }
      : null;
  }

  /** A claimed nudge whose cause no longer holds is closed instead of posted. */
  async function cancel(claimed: NudgeRecord): Promise<boolean> {
    const outcome = await writes.writeIfUnchanged({
      teamId: claimed.teamId,
      model: models.nudges,
      id: claimed._id,
      version: claimed.version,
      set: { status: 'cancelled' },
    });
    return outcome === 'written';
  }

  /** A claimed nudge that gives way to another today goes back to waiting, due on `dueDate` instead. */
  async function defer(claimed: NudgeRecord, dueDate: CalendarDate): Promise<boolean> {
    const outcome = await writes.writeIfUnchanged({
      teamId: claimed.teamId,
      model: models.nudges,
      id: claimed._id,
      version: claimed.version,
      set: { status: 'pending', dueDate, attempts: 0, nextAttemptAt: await dueInstant(claimed.teamId, dueDate) },
      unset: ['refusedSince', 'digestTs'],
    });
    return outcome === 'written';
  }

  /**
   * Records Slack's answer to a claimed nudge: sent, to be retried, or given
   * up (see `refusal`). Returns null when the nudge changed meanwhile (its
   * claim expired and another instance took it, or it was answered): that
   * change stands. `charged: false` for a refusal of the digest it was in;
   * `digestTs`, the digest it was listed in, whose thread its reply awaits.
   */
  async function recordDelivery(
    nudge: NudgeRecord,
    outcome: DeliveryOutcome,
    { charged = true, digestTs }: { charged?: boolean; digestTs?: string } = {},
  ): Promise<NudgeRecord['status'] | null> {
    const change = outcome.ok
      ? {
          set: { status: 'sent' as const, channel: outcome.channel, messageTs: outcome.ts, sentAt: now() },
          unset: ['lastError', 'refusedSince', 'digestTs'],
        }
      : { set: { ...refusal(nudge, outcome, charged, now()), ...(digestTs ? { digestTs } : {}) } };
    // Recorded again after the database went away mid-write, the record is recognised as this one (and finished).
    const requestKey = `delivery:${nudge._id.toString()}:${nudge.version}`;
    const written = await writes.writeIfUnchanged({
      teamId: nudge.teamId,
      model: models.nudges,
      id: nudge._id,
      version: nudge.version,
      ...change,
      requestKey,
    });
    return written === 'written' || written === 'replayed' ? change.set.status : null;
  }

  /** A nudge about a customer, as its buttons name it; a person's wrap-up has no buttons to answer it. */
  async function get(teamId: string, nudgeId: string): Promise<CustomerNudgeRecord | null> {
    const _id = toObjectId(nudgeId);
    const nudge = _id && (await models.nudges.findOne({ _id, teamId }).lean());
    return nudge && isAboutCustomer(nudge) ? nudge : null;
  }

  /** The customer's open nudge of a kind (a card shows its next follow-up). */
  async function openFor(
    teamId: string,
    customerId: Types.ObjectId,
    kind: NudgeKind,
  ): Promise<CustomerNudgeRecord | null> {
    return models.nudges
      .findOne({ teamId, customerId, kind, status: { $in: OPEN_NUDGE_STATUSES } })
      .sort({ dueDate: 1 })
      .lean<CustomerNudgeRecord>();
  }

  /** The customer's open nudges of a kind caused by one record (a referral's contact reminders). */
  async function openFrom(
    teamId: string,
    customerId: Types.ObjectId,
    kind: NudgeKind,
    sourceId: Types.ObjectId,
  ): Promise<CustomerNudgeRecord[]> {
    return models.nudges
      .find({ teamId, customerId, kind, status: { $in: OPEN_NUDGE_STATUSES }, sourceId })
      .lean<CustomerNudgeRecord[]>();
  }

  /**
   * Moves a nudge to the same hour 1 day / 1 week from today (team time), if
   * the nudge pressed is still its latest state: a second press, or a press
   * on a nudge already answered, changes nothing.
   */
  async function snooze(
    teamId: string,
    ref: NudgeRef,
    userId: string,
    length: SnoozeLength,
  ): Promise<CloseResult<CustomerNudgeRecord>> {
    const current = await get(teamId, ref.id);
    if (!current) return { status: 'notFound' };
    const { snooze: history } = traitsOf(current.kind);
    if (!isAnswerable(current) || !history || (ref.version !== undefined && ref.version !== current.version))
      return { status: 'closed' };
    const { timezone } = await settings.settingsFor(teamId);
    const dueDate = addDays(todayIn(now(), timezone), domain.nudges.snoozeDays[length]);
    const set = {
      status: 'pending' as const,
      dueDate,
      attempts: 0,
      nextAttemptAt: await dueInstant(teamId, dueDate),
      closedBy: userId,
    };
    // Another day's reminder: a fresh one, whatever became of this day's.
    const unset = ['refusedSince', 'digestTs'];
    const { action, field } = history;
    const entry = {
      teamId,
      customerId: current.customerId,
      action,
      userId,
      at: now(),
      changes: [{ field, from: current.dueDate, to: dueDate }],
    };
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.nudges,
      id: current._id,
      version: current.version,
      set,
      unset,
      records: [{ model: models.history, doc: historyDoc(entry) }],
    });
    if (outcome !== 'written') return { status: 'closed' };
    await contactScheduled({ ...current, dueDate });
    return { status: 'ok', nudge: { ...current, ...set, version: current.version + 1 } };
  }

  /**
   * Marks a nudge done by what a user did (a visit logged from it, a reminder
   * sent), whatever else happened to it meanwhile; `did`, when given, goes
   * into the card's history with it.
   */
  async function answer(teamId: string, nudgeId: string, userId: string, did?: string): Promise<CloseResult> {
    const _id = toObjectId(nudgeId);
    if (!_id) return { status: 'notFound' };
    const done = await writes.updateUntilWritten<NudgeRecord>(models.nudges, teamId, _id, (n) => {
      if (!isAnswerable(n) || !isAboutCustomer(n) || !traitsOf(n.kind).answerable) return null;
      const entry = {
        teamId,
        customerId: n.customerId,
        action: 'nudgeAnswered' as const,
        userId,
        at: now(),
        changes: [{ field: n.kind, from: undefined, to: did }],
      };
      return {
        set: { status: 'done', closedBy: userId },
        records: did ? [{ model: models.history, doc: historyDoc(entry) }] : [],
      };
    });
    return done ? { status: 'ok', nudge: done } : { status: 'closed' };
  }

  return {
    contactKinds,
    contactDeferral,
    hasUpcoming,
    schedule,
    scheduleMany,
    openOfMany,
    cancelOpenAll,
    retime,
    firstNudgeDay,
    scheduleWrapUp,
    schedulePersonal,
    adoptContactWrapUps,
    moveTo,
    moveAll,
    supersede,
    cancelWaiting,
    cancelOpen,
    findDue,
    claim,
    keepClaim,
    cancel,
    defer,
    recordDelivery,
    get,
    openFor,
    openFrom,
    snooze,
    answer,
  };
}

export type NudgeService = ReturnType<typeof createNudgeService>;
