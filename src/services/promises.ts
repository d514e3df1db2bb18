import { isValidObjectId, Types } from 'mongoose';
import { idFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { Models } from '../models/index.js';
import type { PromiseRecord } from '../models/promise.js';
import type { VisitRecord } from '../models/visit.js';
import type { CalendarDate } from '../time.js';
import type { PromiseInput } from '../validation/visitInput.js';
import { historyDoc } from './history.js';
import type { NudgeService } from './nudges.js';

interface Deps {
  models: Models;
  now: () => Date;
  nudges: NudgeService;
  writes: GuardedWrites;
}

const ADOPT_BATCH = 500;

type NudgedPromise = Pick<PromiseRecord, '_id' | 'teamId' | 'customerId' | 'text' | 'dueDate' | 'version'>;

export type KeepResult = { status: 'ok'; promise: PromiseRecord } | { status: 'kept' } | { status: 'notFound' };

export type RescheduleResult = { status: 'ok'; promise: PromiseRecord; previous: PromiseRecord } | { status: 'kept' } | { status: 'notFound' };

/**
 * The nudge a promise's current state names. Every change bumps the version,
 * so a promise moved (even back to an earlier date) or kept no longer names
 * its old nudge, which is then cancelled instead of posted.
 */
export const promiseNudgeId = (p: Pick<PromiseRecord, '_id' | 'version' | 'dueDate'>): Types.ObjectId =>
  idFor(`${p._id.toString()}:promise:${p.version}:${p.dueDate}`);

/** 承诺: promises made on visits, nudged to the card's owner on their due day, kept or rescheduled once. */
export function createPromiseService({ models, now, nudges, writes }: Deps) {
  async function scheduleNudge(promise: NudgedPromise, ownerId: string, createdBy: string): Promise<void> {
    const { teamId, customerId, dueDate, text } = promise;
    await nudges.schedule({ _id: promiseNudgeId(promise), teamId, kind: 'promise', customerId, sourceId: promise._id, ownerId, dueDate, plan: text, createdBy });
  }

  /** Stores a visit's promises and schedules their nudges; ids come from the visit, so a replay adds nothing. */
  async function record(visit: VisitRecord, promises: PromiseInput[], ownerId: string, userId: string): Promise<void> {
    for (const [i, input] of promises.entries()) {
      const row = {
        ...input,
        _id: idFor(`${visit._id.toString()}:promise:${i}`),
        teamId: visit.teamId,
        customerId: visit.customerId,
        visitId: visit._id,
        status: 'open' as const,
        version: 1,
        createdBy: userId,
      };
      await writes.insertOnce(models.promises, row);
      await scheduleNudge(row, ownerId, userId);
    }
  }

  async function get(teamId: string, promiseId: string): Promise<PromiseRecord | null> {
    return isValidObjectId(promiseId) ? models.promises.findOne({ _id: new Types.ObjectId(promiseId), teamId }).lean() : null;
  }

  /** Marks an open promise kept (who, when) and answers its nudge; a second press finds it already kept. */
  async function keep(teamId: string, promiseId: string, userId: string): Promise<KeepResult> {
    const current = await get(teamId, promiseId);
    if (!current) return { status: 'notFound' };
    const at = now();
    const kept = await writes.updateUntilWritten<PromiseRecord>(models.promises, teamId, current._id, (p) => {
      if (p.status !== 'open') return null;
      const entry = { teamId, customerId: p.customerId, action: 'promiseKept' as const, userId, at, changes: [{ field: 'promise', from: undefined, to: p.text }] };
      return { set: { status: 'kept', keptBy: userId, keptAt: at }, records: [{ model: models.history, doc: historyDoc(entry) }] };
    });
    if (!kept) return { status: 'kept' };
    await nudges.answer(teamId, promiseNudgeId({ ...kept, version: kept.version - 1 }).toString(), userId);
    return { status: 'ok', promise: kept };
  }

  /** Moves an open promise's due date; its nudge moves with it (the old one closed, a new one scheduled). */
  async function reschedule(teamId: string, promiseId: string, userId: string, dueDate: CalendarDate): Promise<RescheduleResult> {
    const current = await get(teamId, promiseId);
    if (!current) return { status: 'notFound' };
    // The same day again changes nothing (a new version would post its reminder again at once).
    if (current.status === 'open' && current.dueDate === dueDate) return { status: 'ok', promise: current, previous: current };
    let previous = current;
    const moved = await writes.updateUntilWritten<PromiseRecord>(models.promises, teamId, current._id, (p) => {
      previous = p;
      if (p.status !== 'open') return null;
      const changes = [{ field: 'promise', from: undefined, to: p.text }, { field: 'promiseDue', from: p.dueDate, to: dueDate }];
      const entry = { teamId, customerId: p.customerId, action: 'promiseRescheduled' as const, userId, at: now(), changes };
      return { set: { dueDate }, records: [{ model: models.history, doc: historyDoc(entry) }] };
    });
    if (!moved) return { status: 'kept' };
    // The nudge goes to whoever owns the card now, as a visit's would.
    const customer = await models.customers.findOne({ _id: moved.customerId, teamId }, { ownerId: 1 }).lean();
    await scheduleNudge(moved, customer?.ownerId ?? userId, userId);
    await nudges.supersede(teamId, promiseNudgeId(previous), userId);
    return { status: 'ok', promise: moved, previous };
  }

  /**
   * Promises an earlier release stored had no version and no reminder: each
   * open one gets its nudge (to the card's owner now), then version 1, so a
   * boot interrupted half-way, or two booting at once, schedule each once.
   */
  async function adoptUnversioned(): Promise<void> {
    for (;;) {
      const batch = await models.promises.find({ version: { $exists: false } }).limit(ADOPT_BATCH).lean();
      for (const old of batch) {
        const card = await models.customers.findOne({ _id: old.customerId, teamId: old.teamId }, { ownerId: 1 }).lean();
        if (old.status === 'open') await scheduleNudge({ ...old, version: 1 }, card?.ownerId ?? old.createdBy, old.createdBy);
        await models.promises.updateOne({ _id: old._id, teamId: old.teamId, version: { $exists: false } }, { $set: { version: 1 } });
      }
      if (batch.length < ADOPT_BATCH) return;
    }
  }

  return { record, get, keep, reschedule, adoptUnversioned };
}

export type PromiseService = ReturnType<typeof createPromiseService>;
