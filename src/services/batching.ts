/** Many items a batch at a time, as a cursor's documents are read. */
export async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * `work` on each batch as it is read, up to `width` batches at once (their
 * round trips overlap, the database working on one while the app prepares
 * the next). The first failure stops it, once the batches under way are done.
 */
export async function eachBatchInFlight<T>(
  batches: AsyncIterable<T>,
  width: number,
  work: (batch: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  const failures: unknown[] = [];
  for await (const batch of batches) {
    if (running.size >= width) await Promise.race(running);
    if (failures.length > 0) break;
    // Caught at once, so a batch failing while the loop waits on the next read is never an unhandled rejection.
    const done: Promise<void> = work(batch)
      .catch((error: unknown) => {
        failures.push(error);
      })
      .finally(() => running.delete(done));
    running.add(done);
  }
  await Promise.all(running);
  if (failures.length > 0) throw failures[0];
}
