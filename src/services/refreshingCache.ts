/**
 * A value per key, read at most once per `freshMs` on this instance, with no
 * request waiting for the read that keeps it fresh: in its next `freshMs` a
 * value is still answered at once while one read replaces it behind it (so a
 * change saved on another instance shows here within twice `freshMs`, as one
 * read long). Older than that, or never read, the caller waits, and callers
 * asking together share one read. A failed background read leaves the value
 * to age; the next caller past the window reads again and sees the error.
 */
export function refreshingCache<V>(freshMs: number, load: (key: string) => Promise<V>) {
  const entries = new Map<string, { value: V; readAt: number }>();
  const reading = new Map<string, Promise<V>>();
  /** Bumped by every write and forget: a read started before one must not put back what it read. */
  const generations = new Map<string, number>();

  function read(key: string): Promise<V> {
    const pending = reading.get(key);
    if (pending) return pending;
    const started = performance.now();
    const generation = generations.get(key) ?? 0;
    const next = load(key)
      .then((value) => {
        if ((generations.get(key) ?? 0) === generation) entries.set(key, { value, readAt: started });
        return value;
      })
      .finally(() => {
        if (reading.get(key) === next) reading.delete(key);
      });
    reading.set(key, next);
    return next;
  }

  function invalidate(key: string): void {
    generations.set(key, (generations.get(key) ?? 0) + 1);
    reading.delete(key);
  }

  return {
    async get(key: string): Promise<V> {
      const entry = entries.get(key);
      const age = entry ? performance.now() - entry.readAt : Infinity;
      if (entry && age < freshMs) return entry.value;
      if (entry && age < 2 * freshMs) {
        read(key).catch(() => undefined);
        return entry.value;
      }
      return read(key);
    },
    /** What this instance just wrote: answered at once, fresh from now. */
    set(key: string, value: V): void {
      invalidate(key);
      entries.set(key, { value, readAt: performance.now() });
    },
    /** Forgotten: the next caller reads it. */
    forget(key: string): void {
      invalidate(key);
      entries.delete(key);
    },
  };
}
