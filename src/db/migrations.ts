import type { Models } from '../models/index.js';

/**
 * Brings documents written by earlier releases up to the current shape. Each
 * step only touches documents that lack what it adds, so running it on every
 * boot, from several instances at once, is harmless.
 */
export async function migrate(models: Models): Promise<void> {
  // Follow-ups became versioned records (every change goes through writeIfUnchanged).
  await models.followUps.updateMany({ version: { $exists: false } }, { $set: { version: 1 } });
}
