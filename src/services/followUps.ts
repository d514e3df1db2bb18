import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { ANSWERABLE_FOLLOW_UP_STATUSES, OPEN_FOLLOW_UP_STATUSES, type FollowUpRecord } from '../models/followUp.js';
import type { Models } from '../models/index.js';
import { addDays, instantAt, todayIn, type CalendarDate } from '../time.js';
import { historyDoc } from './history.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  writes: GuardedWrites;
}

export interface NewFollowUp {
  teamId: string;
  customerId: Types.ObjectId;
  visitId: Types.ObjectId;
  ownerId: string;
  dueDate: CalendarDate;
  plan?: string;
  createdBy: string;
}

export type SnoozeLength = keyof typeof domain.followUp.snoozeDays;

export type CloseResult =
  | { status: 'ok'; followUp: FollowUpRecord }
  | { status: 'closed' }
  | { status: 'notFound' };

/** What happened when Slack was asked to post a nudge. */
export type DeliveryOutcome =
  | { ok: true; channel: string; ts: string }
  | { ok: false; error: string; retryAfterMs?: number };

/** A posted nudge's buttons name the follow-up and the version it has once recorded as sent. */
export interface NudgeRef {
  id: string;
  version?: number;
}

function toObjectId(id: string): Types.ObjectId | null {
  return isValidObjectId(id) ? new Types.ObjectId(id) : null;
}

/** Retry delay after `attempts` failures: Slack's Retry-After when given, else doubling from the base. */
export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  return retryAfterMs ?? domain.followUp.retryBaseMs * 2 ** Math.max(0, attempts - 1);
}

/** The version a claimed follow-up has once its delivery is recorded: what its message's buttons answer. */
export const postedVersion = (claimed: FollowUpRecord): number => claimed.version + 1;

const isAnswerable = (f: FollowUpRecord) => ANSWERABLE_FOLLOW_UP_STATUSES.includes(f.status);

export function createFollowUpService({ models, now, settings, writes }: Deps) {
  async function dueInstant(teamId: string, dueDate: CalendarDate): Promise<Date> {
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    return instantAt(dueDate, nudgeHour, timezone);
  }

  /** Closes the customer's other open follow-ups: the new one replaces them. */
  async function supersedeOthers(teamId: string, customerId: Types.ObjectId, keep: Types.ObjectId, userId: string): Promise<void> {
    const open = await models.followUps
      .find({ teamId, customerId, status: { $in: OPEN_FOLLOW_UP_STATUSES }, _id: { $ne: keep } }, { _id: 1 })
      .lean();
    for (const { _id } of open) {
      await writes.updateUntilWritten<FollowUpRecord>(models.followUps, teamId, _id, (f) =>
        OPEN_FOLLOW_UP_STATUSES.includes(f.status) ? { set: { status: 'superseded', closedBy: userId } } : null,
      );
    }
  }

  /**
   * A new follow-up replaces the customer's earlier open one; the old one is
   * kept, marked superseded. Its id comes from the visit, so logging the same
   * visit twice schedules it once.
   */
  async function scheduleFollowUp(input: NewFollowUp): Promise<void> {
    const _id = idFor(`${input.visitId.toString()}:followUp`);
    await writes.insertOnce(models.followUps, {
      ...input,
      _id,
      status: 'pending',
      version: 1,
      attempts: 0,
      claims: 0,
      nextAttemptAt: await dueInstant(input.teamId, input.dueDate),
    });
    await supersedeOthers(input.teamId, input.customerId, _id, input.createdBy);
  }

  /** The team's nudges due now, oldest first: candidates, not yet claimed. */
  async function findDueFollowUps(teamId: string): Promise<FollowUpRecord[]> {
    return models.followUps
      .find({ teamId, status: { $in: ['pending', 'sending'] }, nextAttemptAt: { $lte: now() } })
      .sort({ nextAttemptAt: 1 })
      .limit(domain.followUp.scanBatch)
      .lean();
  }

  /**
   * Takes a due nudge for this instance, or null if another instance took it
   * or it changed (superseded, done, snoozed) since it was read. A claim whose
   * instance died expires after claimTimeoutMs and is taken again.
   */
  async function claimFollowUp(candidate: FollowUpRecord): Promise<FollowUpRecord | null> {
    const claimed = {
      status: 'sending' as const,
      nextAttemptAt: new Date(now().getTime() + domain.followUp.claimTimeoutMs),
      attempts: candidate.attempts + 1,
      claims: candidate.claims + 1,
    };
    const outcome = await writes.writeIfUnchanged({
      teamId: candidate.teamId,
      model: models.followUps,
      id: candidate._id,
      version: candidate.version,
      set: claimed,
    });
    return outcome === 'written' ? { ...candidate, ...claimed, version: candidate.version + 1 } : null;
  }

  /**
   * Records Slack's answer to a claimed nudge: sent, to be retried, or given
   * up. Returns null when the follow-up changed meanwhile (its claim expired
   * and another instance took it, or it was answered): that change stands.
   */
  async function recordDelivery(followUp: FollowUpRecord, outcome: DeliveryOutcome): Promise<FollowUpRecord['status'] | null> {
    const giveUp = followUp.attempts >= domain.followUp.maxAttempts;
    const change = outcome.ok
      ? { set: { status: 'sent' as const, channel: outcome.channel, messageTs: outcome.ts, sentAt: now() }, unset: ['lastError'] }
      : {
          set: {
            status: giveUp ? ('failed' as const) : ('pending' as const),
            lastError: outcome.error,
            nextAttemptAt: new Date(now().getTime() + retryDelayMs(followUp.attempts, outcome.retryAfterMs)),
          },
        };
    const written = await writes.writeIfUnchanged({
      teamId: followUp.teamId,
      model: models.followUps,
      id: followUp._id,
      version: followUp.version,
      ...change,
    });
    return written === 'written' ? change.set.status : null;
  }

  async function getFollowUp(teamId: string, followUpId: string): Promise<FollowUpRecord | null> {
    const _id = toObjectId(followUpId);
    return _id ? models.followUps.findOne({ _id, teamId }).lean() : null;
  }

  /**
   * Moves a nudge to the same hour 1 day / 1 week from today (team time), if
   * the nudge pressed is still the follow-up's latest state: a second press,
   * or a press on a nudge already answered, changes nothing.
   */
  async function snoozeFollowUp(teamId: string, ref: NudgeRef, userId: string, length: SnoozeLength): Promise<CloseResult> {
    const current = await getFollowUp(teamId, ref.id);
    if (!current) return { status: 'notFound' };
    if (!isAnswerable(current) || (ref.version !== undefined && ref.version !== current.version)) return { status: 'closed' };
    const { timezone } = await settings.settingsFor(teamId);
    const dueDate = addDays(todayIn(now(), timezone), domain.followUp.snoozeDays[length]);
    const at = now();
    const set = { status: 'pending' as const, dueDate, attempts: 0, nextAttemptAt: await dueInstant(teamId, dueDate), closedBy: userId };
    const entry = {
      teamId,
      customerId: current.customerId,
      action: 'followUpSnoozed' as const,
      userId,
      at,
      changes: [{ field: 'nextFollowUpDate', from: current.dueDate, to: dueDate }],
    };
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.followUps,
      id: current._id,
      version: current.version,
      set,
      records: [{ model: models.history, doc: historyDoc(entry) }],
    });
    return outcome === 'written' ? { status: 'ok', followUp: { ...current, ...set, version: current.version + 1 } } : { status: 'closed' };
  }

  /** A visit logged from a nudge answers it, whatever else happened to it meanwhile. */
  async function completeFollowUp(teamId: string, followUpId: string, userId: string): Promise<CloseResult> {
    const _id = toObjectId(followUpId);
    if (!_id) return { status: 'notFound' };
    const done = await writes.updateUntilWritten<FollowUpRecord>(models.followUps, teamId, _id, (f) =>
      isAnswerable(f) ? { set: { status: 'done', closedBy: userId } } : null,
    );
    return done ? { status: 'ok', followUp: done } : { status: 'closed' };
  }

  return { scheduleFollowUp, findDueFollowUps, claimFollowUp, recordDelivery, snoozeFollowUp, completeFollowUp, getFollowUp };
}

export type FollowUpService = ReturnType<typeof createFollowUpService>;
