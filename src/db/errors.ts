// Imports nothing: test/support/globalSetup.ts loads it outside Jest's module system.

/** MongoDB's duplicate-key error, raised when a unique index refuses a write. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

/**
 * A write the server aborted because it collided with another one in flight,
 * not because it was wrong: MongoDB's WriteConflict, or PostgreSQL-backed
 * servers (FerretDB 2 + DocumentDB) aborting one of two inserts of the same
 * unique key with "deadlock detected". Trying again is the answer.
 */
export function isTransientWriteError(error: unknown): boolean {
  const e = error as {
    code?: number;
    message?: string;
    errorLabels?: string[];
    hasErrorLabel?: (label: string) => boolean;
  };
  return (
    e.code === 112 ||
    e.hasErrorLabel?.('TransientTransactionError') === true ||
    /deadlock detected/i.test(e.message ?? '')
  );
}

const UNAVAILABLE = /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed)Error$/;

/** The database could not be reached (down, restarting, network): worth "try again later", not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { name?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (UNAVAILABLE.test(e.name ?? '')) return true;
  }
  return false;
}
