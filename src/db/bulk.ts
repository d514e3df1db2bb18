import type { Model } from 'mongoose';
import { domain } from '../config/domain.js';
import { isDuplicateKey, isTransientWriteError } from './errors.js';

/** One document of a bulk insert that the server refused, by its place in the batch. */
interface Refusal {
  index: number;
  error: unknown;
}

/** The documents a bulk insert refused (ordered: false inserts all the others), or none. */
function refusalsOf(error: unknown, size: number): Refusal[] {
  const e = error as { writeErrors?: unknown };
  if (e.writeErrors === undefined) {
    // The whole batch failed (a transient abort, the database gone): no document was taken for certain.
    if (isTransientWriteError(error)) return Array.from({ length: size }, (_, index) => ({ index, error }));
    throw error;
  }
  const list = (Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors]) as { index: number; code?: number }[];
  return list.map((w) => ({ index: w.index, error: w }));
}

/**
 * Inserts many documents in one unordered bulk write (the server takes all it
 * can), straight through the driver: they are built whole by the caller,
 * `_id` and timestamps included. Resolves with those refused as duplicates
 * (a unique key taken: the same `_id`, or a card number), by their place in
 * `docs`, for the caller to tell apart; a document aborted as a transient
 * conflict (FerretDB 2's "deadlock detected") is tried again, and any other
 * refusal throws.
 */
export async function insertMany(model: Model<any>, docs: Record<string, unknown>[]): Promise<number[]> {
  let pending = docs.map((doc, index) => ({ doc, index }));
  const duplicates: number[] = [];
  for (let attempt = 0; pending.length > 0; attempt++) {
    let refused: Refusal[] = [];
    try {
      await model.collection.insertMany(
        pending.map((p) => p.doc),
        { ordered: false },
      );
    } catch (error) {
      refused = refusalsOf(error, pending.length);
    }
    const retry: typeof pending = [];
    for (const { index, error } of refused) {
      if (isDuplicateKey(error)) duplicates.push(pending[index]!.index);
      else if (isTransientWriteError(error) && attempt < domain.writes.maxRetries) retry.push(pending[index]!);
      else throw error instanceof Error ? error : new Error(`bulk insert refused a document: ${JSON.stringify(error)}`);
    }
    pending = retry;
  }
  return duplicates.sort((a, b) => a - b);
}

/** Inserts documents whose `_id` names what they are; those already there (a batch written again) are left as they are. */
export async function insertManyOnce(model: Model<any>, docs: Record<string, unknown>[]): Promise<void> {
  if (docs.length > 0) await insertMany(model, docs);
}

/** A document as the driver should store it: no `undefined` fields (the driver would write them as null). */
export function defined<T extends Record<string, unknown>>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as T;
}
