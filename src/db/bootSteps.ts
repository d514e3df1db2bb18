import type { Db } from 'mongodb';
import { isDuplicateKey } from './errors.js';

/** Boot steps done once per database, by name. */
const DONE = 'bootSteps';

/**
 * Runs a boot step unless this database has it recorded as done (under its
 * name or any earlier one), then records it. The step must be idempotent:
 * instances booting together, or a boot interrupted half-way, may run it twice.
 */
export async function onceForDatabase(db: Db, names: readonly string[], run: () => Promise<void>): Promise<void> {
  const done = db.collection<{ _id: string }>(DONE);
  if (await done.findOne({ _id: { $in: [...names] } })) return;
  await run();
  try {
    await done.insertOne({ _id: names[0]! });
  } catch (error) {
    // Another instance, booting at the same time, finished it too.
    if (!isDuplicateKey(error)) throw error;
  }
}
