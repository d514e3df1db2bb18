import { webApi } from '@slack/bolt';
import type { DeliveryOutcome } from '../services/nudges.js';
import type { SlackMessage } from '../views/message.js';
import type { TeamClients } from './teamClients.js';

export interface MessagePoster {
  /** Posts as the bot of `teamId`'s workspace to `channel`, or as a reply in the thread of its message `threadTs`. */
  post(teamId: string, channel: string, message: SlackMessage, threadTs?: string): Promise<DeliveryOutcome>;
}

/** How posts to one channel are spaced; tests pass a `sleep` that moves their clock instead of waiting. */
export interface Pacing {
  intervalMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realPacing = (intervalMs: number): Pacing => ({
  intervalMs,
  // Monotonic: a wall clock set back must not make a post wait.
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

/**
 * Slack takes about one message per second per channel: each post waits for
 * its channel's next free slot, which is booked before waiting, so posts
 * running at once in this process queue up rather than burst.
 */
function createPacer({ intervalMs, now, sleep }: Pacing) {
  // A slot booked at a later time than now was booked on a clock since set back (a test's): it holds nothing.
  const slots = new Map<string, { at: number; bookedAt: number }>();
  const live = (slot: { at: number; bookedAt: number }, t: number) => slot.at > t && slot.bookedAt <= t;
  const book = (channel: string, at: number) => slots.set(channel, { at, bookedAt: now() });
  return {
    async turn(channel: string): Promise<void> {
      const t = now();
      const slot = slots.get(channel);
      const at = slot && live(slot, t) ? slot.at : t;
      // Past slots mean nothing: dropping them keeps the map as small as the channels posted to lately.
      for (const [key, s] of slots) if (!live(s, t)) slots.delete(key);
      book(channel, at + intervalMs);
      if (at > t) await sleep(at - t);
    },
    /** Slack asked this channel to wait: later posts to it wait as long. */
    holdOff(channel: string, ms: number): void {
      const slot = slots.get(channel);
      book(channel, Math.max(slot && live(slot, now()) ? slot.at : 0, now() + ms));
    },
  };
}

/** The client options the clients given to createMessagePoster must have: Slack's refusals come back, not retries. */
export const POSTER_CLIENT_OPTIONS = { rejectRateLimitedCalls: true, retryConfig: { retries: 0 } } as const;

function outcomeOf(error: unknown): DeliveryOutcome {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e.code === webApi.ErrorCode.RateLimitedError) {
    // Without a Retry-After, the follow-up's own back-off decides.
    return e.retryAfter === undefined ? { ok: false, error: 'ratelimited' } : { ok: false, error: 'ratelimited', retryAfterMs: e.retryAfter * 1000 };
  }
  if (e.code === webApi.ErrorCode.PlatformError) return { ok: false, error: e.data?.error ?? 'platform_error' };
  return { ok: false, error: e.message ?? String(error) };
}

/**
 * Posts scheduled messages. Slack's refusals come back as outcomes instead of
 * being retried in-process: the follow-up records them and a later scan, on
 * whichever instance, retries at the time Slack asked for.
 */
export function createMessagePoster(clients: TeamClients, pacing: Pacing): MessagePoster {
  const pacer = createPacer(pacing);
  return {
    async post(teamId, channel, message, threadTs) {
      // Channel ids are per workspace: each workspace's channels are paced apart.
      const lane = `${teamId}:${channel}`;
      await pacer.turn(lane);
      try {
        const client = await clients.clientFor(teamId);
        // The scan skips uninstalled teams; this is one uninstalled mid-scan.
        if (!client) return { ok: false, error: 'not_installed' };
        const result = await client.chat.postMessage({ channel, ...message, ...(threadTs ? { thread_ts: threadTs } : {}) });
        return { ok: true, channel: result.channel ?? channel, ts: result.ts ?? '' };
      } catch (error) {
        const outcome = outcomeOf(error);
        if (!outcome.ok && outcome.retryAfterMs !== undefined) pacer.holdOff(lane, outcome.retryAfterMs);
        return outcome;
      }
    },
  };
}
