import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { HistoryAction } from '../models/history.js';
import type { Models } from '../models/index.js';
import { ANSWERABLE_NUDGE_STATUSES, OPEN_NUDGE_STATUSES, type NudgeKind, type NudgeRecord } from '../models/nudge.js';
import { addDays, instantAt, todayIn, type CalendarDate } from '../time.js';
import { historyDoc } from './history.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  writes: GuardedWrites;
}

/** A reminder to schedule: its id comes from its cause, so scheduling it twice schedules it once. */
export type NewNudge = Pick<NudgeRecord, '_id' | 'teamId' | 'kind' | 'customerId' | 'sourceId' | 'ownerId' | 'dueDate' | 'plan' | 'createdBy'> &
  Partial<Pick<NudgeRecord, 'round'>>;

export interface ScheduleOptions {
  /** Closes the customer's other open nudges of the kind: the new one replaces them. */
  replacing?: boolean;
  /** Open nudges `replacing` leaves open. */
  keeping?: Types.ObjectId[];
  /** Due at this instant instead of the team's nudge hour on its due day (a referral is acted on at once). */
  at?: Date;
}

export type SnoozeLength = keyof typeof domain.nudges.snoozeDays;

export type CloseResult = { status: 'ok'; nudge: NudgeRecord } | { status: 'closed' } | { status: 'notFound' };

/** What happened when Slack was asked to post a nudge. */
export type DeliveryOutcome =
  | { ok: true; channel: string; ts: string }
  | { ok: false; error: string; retryAfterMs?: number };

/** A posted nudge's buttons name the nudge and the version it has once recorded as sent. */
export interface NudgeRef {
  id: string;
  version?: number;
}

/** How a snooze of each kind reads in the card's history. */
const SNOOZE_HISTORY: Partial<Record<NudgeKind, { action: HistoryAction; field: string }>> = {
  followUp: { action: 'followUpSnoozed', field: 'nextFollowUpDate' },
  checkIn: { action: 'checkInSnoozed', field: 'checkInDate' },
  overdue: { action: 'overdueSnoozed', field: 'overdueReminderDate' },
  promise: { action: 'promiseRescheduled', field: 'promiseDue' },
  ambassador: { action: 'ambassadorSnoozed', field: 'ambassadorContactDate' },
};
const SNOOZED_OTHER = { action: 'nudgeSnoozed', field: 'nudgeDate' } as const;

function toObjectId(id: string): Types.ObjectId | null {
  return isValidObjectId(id) ? new Types.ObjectId(id) : null;
}

/** Retry delay after `attempts` failures: Slack's Retry-After when given, else doubling from the base. */
export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  return retryAfterMs ?? domain.nudges.retryBaseMs * 2 ** Math.max(0, attempts - 1);
}

/** The version a claimed nudge has once its delivery is recorded: what its message's buttons answer. */
export const postedVersion = (claimed: NudgeRecord): number => claimed.version + 1;

const isAnswerable = (n: NudgeRecord) => ANSWERABLE_NUDGE_STATUSES.includes(n.status);

/**
 * The one nudge pipeline: every kind of reminder is scheduled, found due,
 * claimed, recorded, snoozed and answered here; kinds add only their rules
 * and views (src/nudgeKinds/). Every change goes through writeIfUnchanged.
 */
export function createNudgeService({ models, now, settings, writes }: Deps) {
  async function dueInstant(teamId: string, dueDate: CalendarDate): Promise<Date> {
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    return instantAt(dueDate, nudgeHour, timezone);
  }

  /** Closes one nudge, if still open, whatever else happened to it meanwhile. */
  async function close(teamId: string, _id: Types.ObjectId, change: { status: 'superseded' | 'cancelled'; closedBy: string }): Promise<void> {
    await writes.updateUntilWritten<NudgeRecord>(models.nudges, teamId, _id, (n) =>
      OPEN_NUDGE_STATUSES.includes(n.status) ? { set: change } : null,
    );
  }

  /** Closes one nudge because something replaced it (a promise moved to another day). */
  const supersede = (teamId: string, _id: Types.ObjectId, closedBy: string) => close(teamId, _id, { status: 'superseded', closedBy });

  /** Closes the customer's open nudges of a kind, but those named in `keeping`. */
  async function closeOpen(
    { teamId, customerId, kind }: Pick<NudgeRecord, 'teamId' | 'customerId' | 'kind'>,
    keeping: Types.ObjectId[],
    change: { status: 'superseded' | 'cancelled'; closedBy: string },
  ): Promise<void> {
    const open = await models.nudges
      .find({ teamId, customerId, kind, status: { $in: OPEN_NUDGE_STATUSES }, _id: { $nin: keeping } }, { _id: 1 })
      .lean();
    for (const { _id } of open) await close(teamId, _id, change);
  }

  /**
   * Schedules a nudge for its due day at the team's nudge hour, or at the
   * instant given; `replacing` closes the customer's other open ones of the
   * kind, except those in `keeping` (a nudge just posted, whose buttons must
   * still answer it).
   */
  async function schedule(nudge: NewNudge, { replacing = false, keeping = [], at }: ScheduleOptions = {}): Promise<void> {
    await writes.insertOnce(models.nudges, {
      ...nudge,
      status: 'pending',
      version: 1,
      attempts: 0,
      claims: 0,
      nextAttemptAt: at ?? (await dueInstant(nudge.teamId, nudge.dueDate)),
    });
    if (replacing) await closeOpen(nudge, [nudge._id, ...keeping], { status: 'superseded', closedBy: nudge.createdBy });
  }

  /** Closes the customer's open nudges of a kind whose cause is gone (a card no longer an ambassador). */
  async function cancelOpen(teamId: string, customerId: Types.ObjectId, kind: NudgeKind, userId: string): Promise<void> {
    await closeOpen({ teamId, customerId, kind }, [], { status: 'cancelled', closedBy: userId });
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
  async function claim(candidate: NudgeRecord): Promise<NudgeRecord | null> {
    const claimed = {
      status: 'sending' as const,
      nextAttemptAt: new Date(now().getTime() + domain.nudges.claimTimeoutMs),
      attempts: candidate.attempts + 1,
      claims: candidate.claims + 1,
    };
    const outcome = await writes.writeIfUnchanged({
      teamId: candidate.teamId,
      model: models.nudges,
      id: candidate._id,
      version: candidate.version,
      set: claimed,
    });
    return outcome === 'written' ? { ...candidate, ...claimed, version: candidate.version + 1 } : null;
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
    });
    return outcome === 'written';
  }

  /**
   * Records Slack's answer to a claimed nudge: sent, to be retried, or given
   * up. Returns null when the nudge changed meanwhile (its claim expired
   * and another instance took it, or it was answered): that change stands.
   */
  async function recordDelivery(nudge: NudgeRecord, outcome: DeliveryOutcome): Promise<NudgeRecord['status'] | null> {
    const giveUp = nudge.attempts >= domain.nudges.maxAttempts;
    const change = outcome.ok
      ? { set: { status: 'sent' as const, channel: outcome.channel, messageTs: outcome.ts, sentAt: now() }, unset: ['lastError'] }
      : {
          set: {
            status: giveUp ? ('failed' as const) : ('pending' as const),
            lastError: outcome.error,
            nextAttemptAt: new Date(now().getTime() + retryDelayMs(nudge.attempts, outcome.retryAfterMs)),
          },
        };
    const written = await writes.writeIfUnchanged({ teamId: nudge.teamId, model: models.nudges, id: nudge._id, version: nudge.version, ...change });
    return written === 'written' ? change.set.status : null;
  }

  async function get(teamId: string, nudgeId: string): Promise<NudgeRecord | null> {
    const _id = toObjectId(nudgeId);
    return _id ? models.nudges.findOne({ _id, teamId }).lean() : null;
  }

  /** The customer's open nudge of a kind (a card shows its next follow-up). */
  async function openFor(teamId: string, customerId: Types.ObjectId, kind: NudgeKind): Promise<NudgeRecord | null> {
    return models.nudges.findOne({ teamId, customerId, kind, status: { $in: OPEN_NUDGE_STATUSES } }).sort({ dueDate: 1 }).lean();
  }

  /** The customer's open nudges of a kind caused by one record (a referral's contact reminders). */
  async function openFrom(teamId: string, customerId: Types.ObjectId, kind: NudgeKind, sourceId: Types.ObjectId): Promise<NudgeRecord[]> {
    return models.nudges.find({ teamId, customerId, kind, status: { $in: OPEN_NUDGE_STATUSES }, sourceId }).lean();
  }

  /**
   * Moves a nudge to the same hour 1 day / 1 week from today (team time), if
   * the nudge pressed is still its latest state: a second press, or a press
   * on a nudge already answered, changes nothing.
   */
  async function snooze(teamId: string, ref: NudgeRef, userId: string, length: SnoozeLength): Promise<CloseResult> {
    const current = await get(teamId, ref.id);
    if (!current) return { status: 'notFound' };
    if (!isAnswerable(current) || (ref.version !== undefined && ref.version !== current.version)) return { status: 'closed' };
    const { timezone } = await settings.settingsFor(teamId);
    const dueDate = addDays(todayIn(now(), timezone), domain.nudges.snoozeDays[length]);
    const set = { status: 'pending' as const, dueDate, attempts: 0, nextAttemptAt: await dueInstant(teamId, dueDate), closedBy: userId };
    const { action, field } = SNOOZE_HISTORY[current.kind] ?? SNOOZED_OTHER;
    const entry = { teamId, customerId: current.customerId, action, userId, at: now(), changes: [{ field, from: current.dueDate, to: dueDate }] };
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.nudges,
      id: current._id,
      version: current.version,
      set,
      records: [{ model: models.history, doc: historyDoc(entry) }],
    });
    return outcome === 'written' ? { status: 'ok', nudge: { ...current, ...set, version: current.version + 1 } } : { status: 'closed' };
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
      if (!isAnswerable(n)) return null;
      const entry = { teamId, customerId: n.customerId, action: 'nudgeAnswered' as const, userId, at: now(), changes: [{ field: n.kind, from: undefined, to: did }] };
      return { set: { status: 'done', closedBy: userId }, records: did ? [{ model: models.history, doc: historyDoc(entry) }] : [] };
    });
    return done ? { status: 'ok', nudge: done } : { status: 'closed' };
  }

  return { schedule, supersede, cancelOpen, findDue, claim, cancel, defer, recordDelivery, get, openFor, openFrom, snooze, answer };
}

export type NudgeService = ReturnType<typeof createNudgeService>;
