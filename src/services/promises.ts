import { isValidObjectId, Types } from 'mongoose';
import { idFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { Models } from '../models/index.js';
import type { PromiseRecord } from '../models/promise.js';
import type { VisitRecord } from '../models/visit.js';
import type { CalendarDate } from '../time.js';
import type { PromiseInput } from '../validation/visitInput.js';
import { historyDoc } from './history.js';
import type { CardEvents, RecordedEvent } from './cardEvents.js';
import type { NudgeService } from './nudges.js';

interface Deps {
  models: Models;
  now: () => Date;
  nudges: NudgeService;
  writes: GuardedWrites;
  events: CardEvents;
}

export type KeepResult = { status: 'ok'; promise: PromiseRecord } | { status: 'kept' } | { status: 'notFound' };

export type RescheduleResult =
  { status: 'ok'; promise: PromiseRecord; previous: PromiseRecord } | { status: 'kept' } | { status: 'notFound' };

/**
 * The nudge a promise's current state names. Every change bumps the version,
 * so a promise moved (even back to an earlier date) or kept no longer names
 * its old nudge, which is then cancelled instead of posted.
 */
export const promiseNudgeId = (p: Pick<PromiseRecord, '_id' | 'version' | 'dueDate'>): Types.ObjectId =>
  idFor(`${p._id.toString()}:promise:${p.version}:${p.dueDate}`);

/**
 * 承诺: promises made on visits (the promise kind nudges the card's owner on their due day), kept or rescheduled once.
 */
export function createPromiseService({ models, now, nudges, writes, events }: Deps) {
  /**
   * Stores a visit's promises; ids come from the visit, so a replay adds nothing. The visit's announcement has them
   * nudged.
   */
  async function record(visit: VisitRecord, promises: PromiseInput[], userId: string): Promise<void> {
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
    }
  }

  async function get(teamId: string, promiseId: string): Promise<PromiseRecord | null> {
    return isValidObjectId(promiseId)
      ? models.promises.findOne({ _id: new Types.ObjectId(promiseId), teamId }).lean()
      : null;
  }

  /** Marks an open promise kept (who, when) and answers its nudge; a second press finds it already kept. */
  async function keep(teamId: string, promiseId: string, userId: string): Promise<KeepResult> {
    const current = await get(teamId, promiseId);
    if (!current) return { status: 'notFound' };
    const at = now();
    const kept = await writes.updateUntilWritten<PromiseRecord>(models.promises, teamId, current._id, (p) => {
      if (p.status !== 'open') return null;
      const entry = {
        teamId,
        customerId: p.customerId,
        action: 'promiseKept' as const,
        userId,
        at,
        changes: [{ field: 'promise', from: undefined, to: p.text }],
      };
      return {
        set: { status: 'kept', keptBy: userId, keptAt: at },
        records: [{ model: models.history, doc: historyDoc(entry) }],
      };
    });
    if (!kept) return { status: 'kept' };
    await nudges.answer(teamId, promiseNudgeId({ ...kept, version: kept.version - 1 }).toString(), userId);
    return { status: 'ok', promise: kept };
  }

  /**
   * Moves an open promise's due date, announced with it: its nudge moves with it (the old one closed, a new one
   * scheduled).
   */
  async function reschedule(
    teamId: string,
    promiseId: string,
    userId: string,
    dueDate: CalendarDate,
  ): Promise<RescheduleResult> {
    const current = await get(teamId, promiseId);
    if (!current) return { status: 'notFound' };
    // The same day again changes nothing (a new version would post its reminder again at once).
    if (current.status === 'open' && current.dueDate === dueDate)
      return { status: 'ok', promise: current, previous: current };
    let previous = current;
    let announced: RecordedEvent | undefined;
    const moved = await writes.updateUntilWritten<PromiseRecord>(models.promises, teamId, current._id, (p) => {
      previous = p;
      if (p.status !== 'open') return null;
      const changes = [
        { field: 'promise', from: undefined, to: p.text },
        { field: 'promiseDue', from: p.dueDate, to: dueDate },
      ];
      const entry = {
        teamId,
        customerId: p.customerId,
        action: 'promiseRescheduled' as const,
        userId,
        at: now(),
        changes,
      };
      const event = {
        type: 'promiseMoved',
        teamId,
        customerId: p.customerId.toString(),
        by: userId,
        promiseId: p._id.toString(),
        previousVersion: p.version,
        previousDueDate: p.dueDate,
      } as const;
      announced = events.withChange(event, `${p._id.toString()}:v${p.version + 1}:moved`);
      return { set: { dueDate }, records: [{ model: models.history, doc: historyDoc(entry) }, announced.record] };
    });
    if (!moved) return { status: 'kept' };
    await announced!.react();
    return { status: 'ok', promise: moved, previous };
  }

  return { record, get, keep, reschedule };
}

export type PromiseService = ReturnType<typeof createPromiseService>;
