import { describe, expect, it } from '@jest/globals';
import { refreshingCache } from '../src/services/refreshingCache.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store read through the cache: each read answers what the store holds when the read started, `delayMs` later. */
function store(initial: string, delayMs = 0) {
  let value = initial;
  const reads: string[] = [];
  return {
    reads,
    write: (next: string) => (value = next),
    load: async (key: string) => {
      const seen = value;
      reads.push(key);
      await sleep(delayMs);
      return seen;
    },
  };
}

describe('the settings and languages cache (refreshingCache)', () => {
  it('reads once while fresh; then answers at once with what it has while one read replaces it', async () => {
    const db = store('zh', 20);
    const cache = refreshingCache(100, db.load);
    expect(await cache.get('T1')).toBe('zh');
    expect(await cache.get('T1')).toBe('zh');
    expect(db.reads).toEqual(['T1']);
    db.write('en');
    await sleep(120);
    const t0 = performance.now();
    // Past fresh: no caller waits for the read (20 ms), the value read before answers.
    expect(await Promise.all([cache.get('T1'), cache.get('T1'), cache.get('T1')])).toEqual(['zh', 'zh', 'zh']);
    expect(performance.now() - t0).toBeLessThan(15);
    await sleep(40);
    expect(await cache.get('T1')).toBe('en');
    expect(db.reads).toEqual(['T1', 'T1']);
  });

  it('makes callers wait once a value is older than twice fresh, and callers arriving together share one read', async () => {
    const db = store('zh', 20);
    const cache = refreshingCache(50, db.load);
    expect(await Promise.all([cache.get('T1'), cache.get('T1'), cache.get('T2')])).toEqual(['zh', 'zh', 'zh']);
    expect(db.reads).toEqual(['T1', 'T2']);
    db.write('en');
    await sleep(110);
    expect(await cache.get('T1')).toBe('en');
    expect(db.reads).toEqual(['T1', 'T2', 'T1']);
  });

  it('a value written or forgotten here is never put back by a read that started before it', async () => {
    const db = store('zh', 40);
    const cache = refreshingCache(1_000, db.load);
    const early = cache.get('U1');
    db.write('en');
    cache.set('U1', 'en');
    expect(await early).toBe('zh');
    expect(await cache.get('U1')).toBe('en');
    const before = cache.get('U2');
    db.write('ja');
    cache.forget('U2');
    await before;
    expect(await cache.get('U2')).toBe('ja');
  });

  it('a failed read behind a value leaves it answering until the window closes; then the error reaches the caller', async () => {
    let fail = false;
    const cache = refreshingCache(40, async () => {
      if (fail) throw new Error('database gone');
      return 'zh';
    });
    expect(await cache.get('T1')).toBe('zh');
    fail = true;
    await sleep(50);
    expect(await cache.get('T1')).toBe('zh');
    await sleep(50);
    await expect(cache.get('T1')).rejects.toThrow('database gone');
  });
});
