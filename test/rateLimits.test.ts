import { Harness, NUDGE_CHANNEL, visibleText } from './support/harness.js';
import { cardsWithFollowUps, isReminder } from './support/visits.js';

/**
 * Slack answering 429 (Retry-After: 1) to every post in the nudge channel for
 * 30 seconds while follow-ups fall due: a rate limit means "wait", so every
 * one of them is posted once it lifts, none given up, none posted twice. (The
 * closing notes report the same with 1,000 reminders and three instances.)
 */

const COUNT = 10;
const DUE = '2026-11-25T09:00:00+08:00';

const followUpsDue = (h: Harness, prefix: string): Promise<string[]> =>
  cardsWithFollowUps(
    h,
    Array.from({ length: COUNT }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`),
    '2026-11-25',
  );

/** Scans on every instance every `everyMs` of the test's clock for `forMs`, as their schedulers would. */
async function scanThrough(h: Harness, everyMs: number, forMs: number): Promise<void> {
  const start = new Date(DUE).getTime();
  for (let at = start; at <= start + forMs; at += everyMs) await h.scanAt(new Date(at).toISOString());
}

async function expectEachPostedOnce(h: Harness, names: string[]): Promise<void> {
  const posted = h.fake.accepted('chat.postMessage').filter(isReminder);
  const perName = names.map(
    (name) => posted.filter((c) => visibleText(c.args.blocks).includes(`${name}的计划`)).length,
  );
  expect(perName).toEqual(names.map(() => 1));
  const nudges = h.db.collection('nudges');
  expect(await nudges.countDocuments({ kind: 'followUp', status: 'sent' })).toBe(COUNT);
  expect(await nudges.countDocuments({ kind: 'followUp', status: 'failed' })).toBe(0);
  // Each was posted at its first counted attempt: the rate limits used none up.
  expect(await nudges.countDocuments({ kind: 'followUp', status: 'sent', attempts: 1 })).toBe(COUNT);
}

describe('the nudge channel rate-limited for 30 seconds', () => {
  it('posts each of 10 due follow-ups once it lifts, none given up (one message each, two instances)', async () => {
    const h = await Harness.start({ instances: 2, env: { DIGEST_ABOVE: '1000' } });
    try {
      const names = await followUpsDue(h, '限流');
      h.fake.rateLimitUntil(NUDGE_CHANNEL, new Date(DUE).getTime() + 30_000);
      await scanThrough(h, 2_000, 40_000);
      expect(
        h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.error === 'ratelimited').length,
      ).toBeGreaterThan(0);
      await expectEachPostedOnce(h, names);
      // A rate limit stops posts to the channel for the rest of a scan: Slack is asked once per scan while it lasts.
      expect(h.fake.calls.filter((c) => c.error === 'ratelimited').length).toBeLessThanOrEqual(2 * 16);
    } finally {
      await h.stop();
    }
  }, 120_000);

  it('posts each of 10 due follow-ups once, in one digest listing each once, none given up', async () => {
    // One instance, so that all ten are claimed by one scan and go out as one digest.
    const h = await Harness.start();
    try {
      const names = await followUpsDue(h, '摘要限流');
      h.fake.rateLimitUntil(NUDGE_CHANNEL, new Date(DUE).getTime() + 30_000);
      await scanThrough(h, 2_000, 40_000);
      await expectEachPostedOnce(h, names);
      const digests = h.fake
        .accepted('chat.postMessage')
        .filter((c) => c.args.channel === NUDGE_CHANNEL && !c.args.thread_ts && !isReminder(c));
      const listed = names.map((name) => digests.filter((d) => visibleText(d.args.blocks).includes(name)).length);
      expect(listed).toEqual(names.map(() => 1));
      // Each reply is in the thread of the digest that lists it.
      for (const reply of h.fake.accepted('chat.postMessage').filter(isReminder)) {
        const digest = digests.find((d) => d.result!.ts === reply.args.thread_ts)!;
        const name = names.find((n) => visibleText(reply.args.blocks).includes(`${n}的计划`))!;
        expect(visibleText(digest.args.blocks)).toContain(name);
      }
    } finally {
      await h.stop();
    }
  }, 120_000);
});
