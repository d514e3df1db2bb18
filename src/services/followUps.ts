import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { isDuplicateKey } from '../db/errors.js';
import { ANSWERABLE_FOLLOW_UP_STATUSES, type FollowUpRecord } from '../models/followUp.js';
import type { Models } from '../models/index.js';
import { addDays, instantAt, todayIn, type CalendarDate } from '../time.js';
import type { HistoryService } from './history.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  history: HistoryService;
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

function toObjectId(id: string): Types.ObjectId | null {
  return isValidObjectId(id) ? new Types.ObjectId(id) : null;
}

/** Retry delay after `attempts` failures: Slack's Retry-After when given, else doubling from the base. */
export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  return retryAfterMs ?? domain.followUp.retryBaseMs * 2 ** Math.max(0, attempts - 1);
}

export function createFollowUpService({ models, now, settings, history }: Deps) {
  async function dueInstant(teamId: string, dueDate: CalendarDate): Promise<Date> {
    const { nudgeHour, timezone } = await settings.settingsFor(teamId);
    return instantAt(dueDate, nudgeHour, timezone);
  }

  /** A new follow-up replaces the customer's earlier open one; the old one is kept, marked superseded. */
  async function scheduleFollowUp(input: NewFollowUp): Promise<FollowUpRecord> {
    const { teamId, customerId } = input;
    await models.followUps.updateMany(
      { teamId, customerId, status: { $in: ANSWERABLE_FOLLOW_UP_STATUSES } },
      { $set: { status: 'superseded', closedBy: input.createdBy } },
    );
    const created = await models.followUps.create({
      ...input,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: await dueInstant(teamId, input.dueDate),
    });
    return created.toObject();
  }

  /** Inserts the claim document for the candidate's next attempt; false if another instance did first. */
  async function takeClaim(candidate: FollowUpRecord, at: Date): Promise<boolean> {
    try {
      const claimId = `${candidate._id.toString()}:${candidate.claims + 1}`;
      await models.nudgeClaims.create({ _id: claimId, teamId: candidate.teamId, followUpId: candidate._id, claimedAt: at });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
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
   * Takes a due nudge for this instance, or null if another instance took this
   * attempt or it stopped being due (superseded, done, snoozed) since it was read.
   * A claim left by a crashed instance expires after claimTimeoutMs.
   */
  async function claimFollowUp(candidate: FollowUpRecord): Promise<FollowUpRecord | null> {
    const at = now();
    if (!(await takeClaim(candidate, at))) return null;
    const claimed = { status: 'sending' as const, nextAttemptAt: new Date(at.getTime() + domain.followUp.claimTimeoutMs) };
    const { modifiedCount } = await models.followUps.updateOne(
      { _id: candidate._id, teamId: candidate.teamId, status: { $in: ['pending', 'sending'] }, nextAttemptAt: { $lte: at } },
      { $set: claimed, $inc: { attempts: 1, claims: 1 } },
    );
    return modifiedCount === 1 ? { ...candidate, ...claimed, attempts: candidate.attempts + 1, claims: candidate.claims + 1 } : null;
  }

  /** Records Slack's answer to a claimed nudge: sent, to be retried, or given up. */
  async function recordDelivery(followUp: FollowUpRecord, outcome: DeliveryOutcome): Promise<FollowUpRecord['status']> {
    const filter = { _id: followUp._id, teamId: followUp.teamId, status: 'sending' as const };
    if (outcome.ok) {
      await models.followUps.updateOne(filter, {
        $set: { status: 'sent', channel: outcome.channel, messageTs: outcome.ts, sentAt: now() },
        $unset: { lastError: '' },
      });
      return 'sent';
    }
    const giveUp = followUp.attempts >= domain.followUp.maxAttempts;
    const nextAttemptAt = new Date(now().getTime() + retryDelayMs(followUp.attempts, outcome.retryAfterMs));
    const status = giveUp ? 'failed' : 'pending';
    await models.followUps.updateOne(filter, { $set: { status, lastError: outcome.error, nextAttemptAt } });
    return status;
  }

  async function closeFollowUp(
    teamId: string,
    followUpId: string,
    userId: string,
    update: (f: FollowUpRecord) => Promise<object>,
  ): Promise<CloseResult> {
    const current = await getFollowUp(teamId, followUpId);
    if (!current) return { status: 'notFound' };
    const updated = await models.followUps
      .findOneAndUpdate(
        { _id: current._id, teamId, status: { $in: ANSWERABLE_FOLLOW_UP_STATUSES } },
        { $set: { ...(await update(current)), closedBy: userId } },
        { returnDocument: 'after' },
      )
      .lean();
    return updated ? { status: 'ok', followUp: updated } : { status: 'closed' };
  }

  /** Moves a nudge to the same hour 1 day / 1 week from today (team time). */
  async function snoozeFollowUp(teamId: string, followUpId: string, userId: string, length: SnoozeLength) {
    const { timezone } = await settings.settingsFor(teamId);
    const dueDate = addDays(todayIn(now(), timezone), domain.followUp.snoozeDays[length]);
    const result = await closeFollowUp(teamId, followUpId, userId, async () => ({
      status: 'pending',
      dueDate,
      attempts: 0,
      nextAttemptAt: await dueInstant(teamId, dueDate),
    }));
    if (result.status === 'ok') {
      await history.recordHistory({
        teamId,
        customerId: result.followUp.customerId,
        action: 'followUpSnoozed',
        userId,
        at: now(),
        changes: [{ field: 'nextFollowUpDate', from: undefined, to: dueDate }],
      });
    }
    return result;
  }

  /** A visit logged from a nudge answers it. */
  async function completeFollowUp(teamId: string, followUpId: string, userId: string): Promise<CloseResult> {
    return closeFollowUp(teamId, followUpId, userId, async () => ({ status: 'done' }));
  }

  async function getFollowUp(teamId: string, followUpId: string): Promise<FollowUpRecord | null> {
    const _id = toObjectId(followUpId);
    return _id ? models.followUps.findOne({ _id, teamId }).lean() : null;
  }

  return { scheduleFollowUp, findDueFollowUps, claimFollowUp, recordDelivery, snoozeFollowUp, completeFollowUp, getFollowUp };
}

export type FollowUpService = ReturnType<typeof createFollowUpService>;
