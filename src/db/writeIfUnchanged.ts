import type { Model, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { insertMany, insertManyOnce } from './bulk.js';
import type { Models } from '../models/index.js';
import type { WriteIntentRecord, WriteIntentState } from '../models/writeIntent.js';
import { isDuplicateKey } from './errors.js';

/** A record that can be written only from the version the writer saw. */
export interface GuardedChange {
  teamId: string;
  model: Model<any>;
  /** A string for records named by one (a team). */
  id: Types.ObjectId | string;
  /** The version the writer read. */
  version: number;
  set?: Record<string, unknown>;
  unset?: string[];
  /** Documents that must exist exactly when the change happened (history entries), each with its own _id. */
  records?: { model: Model<any>; doc: Record<string, unknown> & { _id: Types.ObjectId } }[];
  /** Who asked: the same request arriving again is a replay, not a conflict. */
  requestKey?: string;
}

/** One record's change in a bulk guarded write, whose records all share one team and one model. */
export type BatchedChange = Omit<GuardedChange, 'teamId' | 'model'>;

/** written: this call changed it; replayed: the same request already did; conflict: someone else did. */
export type WriteOutcome = 'written' | 'replayed' | 'conflict' | 'notFound';

/** Inserts a document whose `_id` names what it is; one already there (a replay, a retry) is left as it is. */
export async function insertOnce(model: Model<any>, doc: Record<string, unknown>): Promise<void> {
  try {
    await model.create(doc);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

const intentId = (collection: string, id: Types.ObjectId | string, version: number) =>
  `${collection}:${id.toString()}:${version}`;

/** The claim on the step from the version the writer saw to the next, carrying the whole change. */
function intentOf(change: GuardedChange, at: Date): WriteIntentRecord {
  const collection = change.model.collection.collectionName;
  return {
    _id: intentId(collection, change.id, change.version + 1),
    teamId: change.teamId,
    targetCollection: collection,
    targetId: change.id,
    version: change.version + 1,
    state: 'pending',
    ...(change.requestKey ? { requestKey: change.requestKey } : {}),
    set: change.set ?? {},
    unset: change.unset ?? [],
    records: (change.records ?? []).map((r) => ({ into: r.model.collection.collectionName, doc: r.doc })),
    createdAt: at,
  };
}

/** The intent's change as an update that lands only on the version its writer saw. */
function stepOf(intent: WriteIntentRecord) {
  const unset = Object.fromEntries((intent.unset ?? []).map((field) => [field, '']));
  return {
    filter: { _id: intent.targetId, teamId: intent.teamId, version: intent.version - 1 },
    // `version` is set, not incremented, so applying twice lands on the same document.
    update: { $set: { ...intent.set, version: intent.version }, ...(intent.unset?.length ? { $unset: unset } : {}) },
  };
}

/**
 * Whether a claimed intent's change is on its record, as read back right after a bulk update that did not land them
 * all. Past its step: the step was ours to take, so it was taken (as recovery reads it). At its step: some records
 * (nudges) are also moved a step by a plain `$inc`, so it is ours only if what it sets that can be compared is there.
 */
function landedOn(intent: WriteIntentRecord, current: Record<string, unknown> & { version: number }): boolean {
  if (current.version !== intent.version) return current.version > intent.version;
  return Object.entries(intent.set ?? {}).every(
    ([field, value]) => (typeof value === 'object' && value !== null) || current[field] === value,
  );
}

/**
 * The one way to write "only if it is still as I saw it", atomic on MongoDB
 * and on FerretDB alike. FerretDB 1 runs update and findAndModify as a read
 * followed by a separate write, so a version filter alone lets two writers
 * through; an insert's `_id` uniqueness is atomic everywhere. So every step
 * from version v to v+1 is first claimed by inserting its intent, whose
 * `_id` names that step: exactly one writer who saw v gets it. The intent
 * carries the whole change, so when its writer dies half-way the next writer
 * to bump into it, or the scan, finishes it: nothing stays blocked.
 */
export function createGuardedWrites(models: Models, now: () => Date) {
  const byCollection = new Map<string, Model<any>>(
    Object.values(models).map((m) => [m.collection.collectionName, m as Model<any>]),
  );

  function modelOf(collection: string): Model<any> {
    const model = byCollection.get(collection);
    if (!model) throw new Error(`no model for collection ${collection}`);
    return model;
  }

  async function settleAll(teamId: string, ids: string[], state: WriteIntentState): Promise<void> {
    if (ids.length === 0) return;
    await models.writeIntents.updateMany(
      { _id: { $in: ids }, teamId, state: 'pending' },
      { $set: { state, settledAt: now() }, $unset: { set: '', unset: '', records: '' } },
    );
  }

  const settle = (intent: WriteIntentRecord, state: WriteIntentState) => settleAll(intent.teamId, [intent._id], state);

  /**
   * Applies an intent; safe to run again or by another instance (every step is
   * idempotent). `fresh`: its writer just claimed it, so a record already past
   * the old version was moved by someone else, never by this intent.
   */
  async function applyIntent(intent: WriteIntentRecord, fresh = false): Promise<WriteOutcome> {
    const target = modelOf(intent.targetCollection);
    const filter = { _id: intent.targetId, teamId: intent.teamId };
    const step = stepOf(intent);
    const { matchedCount } = await target.updateOne(step.filter, step.update);
    if (matchedCount === 0) {
      const current = await target.findOne(filter, { version: 1 }).lean<{ version: number }>();
      if (!current || fresh || current.version < intent.version) {
        await settle(intent, 'void');
        return current ? 'conflict' : 'notFound';
      }
    }
    // Each record is its own document with its own _id: they go in together, not one round trip after another.
    await Promise.all((intent.records ?? []).map((record) => insertOnce(modelOf(record.into), record.doc)));
    await settle(intent, 'applied');
    return 'written';
  }

  const isStale = (intent: WriteIntentRecord) =>
    now().getTime() - intent.createdAt.getTime() > domain.writes.intentLeaseMs;

  /** What an intent already taken for the step means for the writer who wanted it. */
  async function collision(id: string, requestKey: string | undefined): Promise<WriteOutcome> {
    const theirs = await models.writeIntents.findOne({ _id: id }).lean();
    if (!theirs) return 'conflict';
    if (requestKey && theirs.requestKey === requestKey) {
      if (theirs.state === 'void') return 'conflict';
      // The same request again, its change claimed but maybe not applied (its writer lost the database half-way): it is
      // ours to finish.
      if (theirs.state === 'pending') return (await applyIntent(theirs)) === 'written' ? 'replayed' : 'conflict';
      return 'replayed';
    }
    if (theirs.state === 'pending' && isStale(theirs)) await applyIntent(theirs);
    return 'conflict';
  }

  async function writeIfUnchanged(change: GuardedChange): Promise<WriteOutcome> {
    const intent = intentOf(change, now());
    try {
      await models.writeIntents.create(intent);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return collision(intent._id, change.requestKey);
    }
    return applyIntent(intent, true);
  }

  /**
   * Of claimed intents whose bulk update landed fewer than all, those that did
   * not, read back (rare: something moved a record between its read and the
   * update), each settled void with what it means for its writer.
   */
  async function missedOf(model: Model<any>, teamId: string, claimed: WriteIntentRecord[]) {
    const fields = Object.fromEntries(
      [...new Set(claimed.flatMap((i) => Object.keys(i.set ?? {})))].map((f) => [f, 1]),
    );
    const current = await model
      .find({ teamId, _id: { $in: claimed.map((i) => i.targetId) } }, { ...fields, version: 1 })
      .lean<(Record<string, unknown> & { _id: Types.ObjectId | string; version: number })[]>();
    const byId = new Map(current.map((c) => [c._id.toString(), c]));
    const missed = new Map<string, WriteOutcome>();
    for (const intent of claimed) {
      const record = byId.get(intent.targetId.toString());
      if (!record) missed.set(intent._id, 'notFound');
      else if (!landedOn(intent, record)) missed.set(intent._id, 'conflict');
    }
    await settleAll(teamId, [...missed.keys()], 'void');
    return missed;
  }

  /** Inserts every landed change's records, a bulk insert per collection; those already there are left as they are. */
  async function insertRecords(intents: WriteIntentRecord[]): Promise<void> {
    const byCollection = new Map<string, Record<string, unknown>[]>();
    for (const { into, doc } of intents.flatMap((i) => i.records ?? [])) {
      if (!byCollection.has(into)) byCollection.set(into, []);
      byCollection.get(into)!.push(doc);
    }
    for (const [into, docs] of byCollection) await insertManyOnce(modelOf(into), docs);
  }

  /**
   * Many records' guarded writes in a few round trips, with the one write's
   * guarantees for each: the intents are claimed in one unordered bulk insert
   * (a step someone else holds is theirs: that record is theirs too, told
   * apart as `writeIfUnchanged` does); the claimed changes land in one bulk of
   * version-filtered updates; their records are inserted, and their intents
   * settled, in one bulk each. A writer dying half-way leaves pending intents
   * that recovery finishes, as it finishes one. Returns each change's outcome, in order.
   */
  async function writeManyIfUnchanged(
    model: Model<any>,
    teamId: string,
    changes: readonly BatchedChange[],
  ): Promise<WriteOutcome[]> {
    const intents = changes.map((change) => intentOf({ ...change, teamId, model }, now()));
    const outcomes: WriteOutcome[] = intents.map(() => 'written');
    const taken = new Set(await insertMany(models.writeIntents, intents as unknown as Record<string, unknown>[]));
    for (const index of taken) outcomes[index] = await collision(intents[index]!._id, changes[index]!.requestKey);
    const claimed = intents.filter((_, index) => !taken.has(index));
    if (claimed.length === 0) return outcomes;
    const { matchedCount } = await model.bulkWrite(
      claimed.map((intent) => ({ updateOne: stepOf(intent) })),
      { ordered: false },
    );
    const missed =
      matchedCount === claimed.length ? new Map<string, WriteOutcome>() : await missedOf(model, teamId, claimed);
    const landed = claimed.filter((intent) => !missed.has(intent._id));
    await insertRecords(landed);
    await settleAll(
      teamId,
      landed.map((i) => i._id),
      'applied',
    );
    intents.forEach((intent, index) => {
      const outcome = missed.get(intent._id);
      if (outcome) outcomes[index] = outcome;
    });
    return outcomes;
  }

  /**
   * For a writer whose copy is already older than the record: was the next
   * step taken by this same request (a replay) or by someone else?
   */
  async function staleOutcome(
    model: Model<any>,
    id: Types.ObjectId,
    version: number,
    requestKey?: string,
  ): Promise<WriteOutcome> {
    return collision(intentId(model.collection.collectionName, id, version + 1), requestKey);
  }

  /**
   * Reads, decides and writes until the write lands on the version it read:
   * for changes that must happen whatever else changed meanwhile (closing a
   * follow-up). `decide` returns null when nothing (more) needs doing.
   */
  async function updateUntilWritten<T extends { _id: Types.ObjectId; version: number }>(
    model: Model<any>,
    teamId: string,
    id: Types.ObjectId,
    decide: (current: T) => Pick<GuardedChange, 'set' | 'unset' | 'records'> | null,
  ): Promise<T | null> {
    for (let attempt = 0; attempt < domain.writes.maxRetries; attempt++) {
      const current = await model.findOne({ _id: id, teamId }).lean<T>();
      const change = current && decide(current);
      if (!current || !change) return null;
      const outcome = await writeIfUnchanged({ teamId, model, id, version: current.version, ...change });
      if (outcome === 'written') return { ...current, ...change.set, version: current.version + 1 };
      if (outcome === 'notFound') return null;
    }
    throw new Error(
      `${model.collection.collectionName} ${id.toString()} kept changing; gave up after ${domain.writes.maxRetries} attempts`,
    );
  }

  /** Finishes the team's changes whose writers died before completing them, and forgets old finished ones. */
  async function tidyIntents(teamId: string): Promise<number> {
    const expired = new Date(now().getTime() - domain.writes.settledRetentionMs);
    await models.writeIntents.deleteMany({ teamId, state: { $in: ['applied', 'void'] }, createdAt: { $lt: expired } });
    return recoverStaleIntents(teamId);
  }

  async function recoverStaleIntents(teamId: string): Promise<number> {
    const cutoff = new Date(now().getTime() - domain.writes.intentLeaseMs);
    const stale = await models.writeIntents
      .find({ teamId, state: 'pending', createdAt: { $lt: cutoff } })
      .sort({ createdAt: 1 })
      .limit(domain.writes.recoveryBatch)
      .lean();
    for (const intent of stale) await applyIntent(intent);
    return stale.length;
  }

  return { writeIfUnchanged, writeManyIfUnchanged, staleOutcome, updateUntilWritten, tidyIntents, insertOnce };
}

export type GuardedWrites = ReturnType<typeof createGuardedWrites>;
