import { webApi } from '@slack/bolt';
import type { DeliveryOutcome } from '../services/nudges.js';
import type { SlackMessage } from '../views/message.js';
import type { TeamClients } from './teamClients.js';

export interface MessagePoster {
  /** Posts as the bot of `teamId`'s workspace. */
  post(teamId: string, channel: string, message: SlackMessage): Promise<DeliveryOutcome>;
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
export function createMessagePoster(clients: TeamClients): MessagePoster {
  return {
    async post(teamId, channel, message) {
      try {
        const client = await clients.clientFor(teamId);
        // The scan skips uninstalled teams; this is one uninstalled mid-scan.
        if (!client) return { ok: false, error: 'not_installed' };
        const result = await client.chat.postMessage({ channel, ...message });
        return { ok: true, channel: result.channel ?? channel, ts: result.ts ?? '' };
      } catch (error) {
        return outcomeOf(error);
      }
    },
  };
}
