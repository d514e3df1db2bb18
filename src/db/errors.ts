// Imports nothing: test/support/globalSetup.ts loads it outside Jest's module system.

/** MongoDB's duplicate-key error, raised when a unique index refuses a write. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

const UNAVAILABLE = /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed)Error$/;

/** The database could not be reached (down, restarting, network): worth "try again later", not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { name?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (UNAVAILABLE.test(e.name ?? '')) return true;
  }
  return false;
}
