import { webApi } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { isSlackUserId } from '../domain/slackIds.js';
import type { MessagePoster, PostedCheck, PostTag } from '../jobs/nudgeDelivery.js';
import type { DeliveryOutcome } from '../services/nudges.js';
import type { TeamClients } from './teamClients.js';

/** Message metadata event types: posts are tagged so a lapsed claim can be told from a lost post. */
const NUDGE_EVENT = 'customer_cards_nudge';
const DIGEST_EVENT = 'customer_cards_digest';

function metadataOf(tag: PostTag): { event_type: string; event_payload: Record<string, string> } {
  return 'nudge' in tag
    ? { event_type: NUDGE_EVENT, event_payload: { nudge_id: tag.nudge } }
    : { event_type: DIGEST_EVENT, event_payload: { nudge_ids: tag.digestOf.join(',') } };
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

const isNudge = (m: HistoryMessage, id: string) =>
  m.metadata?.event_type === NUDGE_EVENT && m.metadata.event_payload?.nudge_id === id;
const listsNudge = (m: HistoryMessage, id: string) =>
  m.metadata?.event_type === DIGEST_EVENT &&
  typeof m.metadata.event_payload?.nudge_ids === 'string' &&
  m.metadata.event_payload.nudge_ids.split(',').includes(id);

/** Refusals that asking again will not change: the bot cannot read that conversation's history. */
const NO_HISTORY = new Set([
  'missing_scope',
  'not_in_channel',
  'channel_not_found',
  'method_not_supported_for_channel_type',
  'not_allowed_token_type',
]);

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

function outcomeOf(error: unknown): Extract<DeliveryOutcome, { ok: false }> {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e.code === webApi.ErrorCode.RateLimitedError) {
    // Without a Retry-After, the pipeline's own wait decides.
    return {
      ok: false,
      error: 'ratelimited',
      rateLimited: true,
      ...(e.retryAfter === undefined ? {} : { retryAfterMs: e.retryAfter * 1000 }),
    };
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
  /** A page of a conversation's messages since `oldest`, or of a thread's replies. */
  async function page(
    client: webApi.WebClient,
    channel: string,
    oldest: string,
    cursor: string | undefined,
    threadTs?: string,
  ) {
    const args = {
      channel,
      oldest,
      limit: domain.nudges.historyPageSize,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    };
    const result = threadTs
      ? await client.conversations.replies({ ...args, ts: threadTs })
      : await client.conversations.history(args);
    return {
      messages: (result.messages ?? []) as HistoryMessage[],
      next: result.response_metadata?.next_cursor || undefined,
    };
  }

  /** Reads history page by page, newest pages first, until `look` finds something or the pages run out. */
  async function search<T>(
    client: webApi.WebClient,
    channel: string,
    oldest: string,
    look: (m: HistoryMessage) => T | undefined,
    threadTs?: string,
  ) {
    let cursor: string | undefined;
    for (let pages = 0; pages < domain.nudges.historyMaxPages; pages++) {
      const { messages, next } = await page(client, channel, oldest, cursor, threadTs);
      for (const m of messages) {
        const found = look(m);
        if (found !== undefined) return { found };
      }
      if (!next) return { found: undefined };
      cursor = next;
    }
    return { found: undefined, cutShort: true };
  }

  return {
    async post(teamId, channel, message, { tag, threadTs }) {
      // Channel ids are per workspace: each workspace's channels are paced apart.
      const lane = `${teamId}:${channel}`;
      await pacer.turn(lane);
      try {
        const client = await clients.clientFor(teamId);
        // The scan skips uninstalled teams; this is one uninstalled mid-scan.
        if (!client) return { ok: false, error: 'not_installed' };
        const result = await client.chat.postMessage({
          channel,
          ...message,
          metadata: metadataOf(tag),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
        return { ok: true, channel: result.channel ?? channel, ts: result.ts ?? '' };
      } catch (error) {
        const outcome = outcomeOf(error);
        if (outcome.rateLimited) pacer.holdOff(lane, outcome.retryAfterMs ?? domain.nudges.rateLimitedWaitMs);
        return outcome;
      }
    },

    async update(teamId, channel, ts, message, tag) {
      try {
        const client = await clients.clientFor(teamId);
        if (!client) return { ok: false, error: 'not_installed' };
        await client.chat.update({ channel, ts, ...message, metadata: metadataOf(tag) });
        return { ok: true, channel, ts };
      } catch (error) {
        return outcomeOf(error);
      }
    },

    async findPosted(teamId, channel, nudgeId, since): Promise<PostedCheck> {
      try {
        const client = await clients.clientFor(teamId);
        if (!client) return { found: 'unknown', error: 'not_installed', retry: true };
        // A DM is posted to by user id; its history is read by the DM's own id.
        const conversation = isSlackUserId(channel)
          ? (await client.conversations.open({ users: channel })).channel?.id
          : channel;
        if (!conversation) return { found: 'unknown', error: 'no_dm', retry: true };
        const oldest = (since.getTime() / 1000).toFixed(6);
        const own = await search(client, conversation, oldest, (m) =>
          m.ts === undefined
            ? undefined
            : isNudge(m, nudgeId)
              ? { own: true, ts: m.ts }
              : listsNudge(m, nudgeId)
                ? { own: false, ts: m.ts }
                : undefined,
        );
        if (own.found?.own) return { found: 'posted', channel: conversation, ts: own.found.ts };
        if (own.found) {
          const threadTs = own.found.ts;
          const reply = await search(
            client,
            conversation,
            oldest,
            (m) => (isNudge(m, nudgeId) ? m.ts : undefined),
            threadTs,
          );
          if (reply.found) return { found: 'posted', channel: conversation, ts: reply.found };
          return reply.cutShort
            ? { found: 'unknown', error: 'history_too_long', retry: false }
            : { found: 'inDigest', threadTs };
        }
        return own.cutShort ? { found: 'unknown', error: 'history_too_long', retry: false } : { found: 'nothing' };
      } catch (error) {
        const { error: code, rateLimited } = outcomeOf(error);
        return { found: 'unknown', error: code, retry: rateLimited === true || !NO_HISTORY.has(code) };
      }
    },
  };
}
