import { LogLevel, webApi } from '@slack/bolt';
import type { Env } from '../config/env.js';

const SLACK_API_URL = 'https://slack.com/api/';
/** Slack answers these calls in well under a second; a slower answer means it cannot be reached. */
const CHECK_TIMEOUT_MS = 5000;

/** Who the bot is, as Bolt needs it to recognise its own messages. */
export interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

/**
 * A token Slack refused, or could not be asked about; the message is one line and never holds the token.
 * @internal Exported for its own tests; the app uses it here.
 */
export class SlackTokenError extends Error {
  override name = 'SlackTokenError';
}

type TokenName = 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN';

const WHERE_TO_FIX: Record<TokenName, string> = {
  SLACK_BOT_TOKEN: 'copy the Bot User OAuth Token again from OAuth & Permissions',
  SLACK_APP_TOKEN: 'make a new app-level token with connections:write under Basic Information → App-Level Tokens',
};

function client(env: Readonly<Env>, token: string): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: env.SLACK_API_URL ?? SLACK_API_URL,
    // Its own "http request failed" warning would only repeat our one line.
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: CHECK_TIMEOUT_MS,
  });
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause. */
function unreachableReason(original: Error): string {
  if (original.name === 'TimeoutError') return `no answer within ${CHECK_TIMEOUT_MS / 1000} s`;
  const cause = original.cause as { message?: unknown } | undefined;
  return typeof cause?.message === 'string' ? cause.message : original.message;
}

/** Slack's answer in one line, or the error unchanged when it is not Slack's. */
function explain(error: unknown, name: TokenName, url: string): unknown {
  const e = error as {
    code?: string;
    data?: { error?: string };
    original?: Error;
    statusCode?: number;
    retryAfter?: number;
  };
  switch (e.code ?? '') {
    case webApi.ErrorCode.PlatformError:
      return new SlackTokenError(`Slack refused ${name}: ${e.data?.error ?? 'unknown error'}; ${WHERE_TO_FIX[name]}`);
    case webApi.ErrorCode.RequestError:
      return new SlackTokenError(
        `could not reach Slack at ${url} to check ${name}: ${unreachableReason(e.original!)}; check this machine's network (a proxy or firewall in the way?) or SLACK_API_URL`,
      );
    case webApi.ErrorCode.HTTPError:
      return new SlackTokenError(
        `Slack at ${url} answered HTTP ${e.statusCode} when checking ${name}; is SLACK_API_URL right?`,
      );
    case webApi.ErrorCode.RateLimitedError:
      return new SlackTokenError(`Slack is rate-limiting the check of ${name}; start again in ${e.retryAfter} s`);
    default:
      return error;
  }
}

async function check<T>(
  env: Readonly<Env>,
  name: TokenName,
  token: string,
  call: (c: webApi.WebClient) => Promise<T>,
): Promise<T> {
  const c = client(env, token);
  try {
    return await call(c);
  } catch (error) {
    throw explain(error, name, c.slackApiUrl);
  }
}

/**
 * Asks Slack about the tokens before the app says it is ready, so a wrong,
 * revoked or placeholder token stops start-up with one line instead of
 * failing later inside Bolt. In Socket Mode the app token is checked with
 * the call Socket Mode starts with; the connection it offers is left unused.
 */
export async function verifySlackTokens(env: Readonly<Env>): Promise<BotIdentity> {
  // Installed through OAuth there is no token yet: each workspace's arrives with its install.
  if (!env.SLACK_BOT_TOKEN) return {};
  const token = env.SLACK_BOT_TOKEN;
  const auth = await check(env, 'SLACK_BOT_TOKEN', token, (c) => c.auth.test());
  if (env.SLACK_APP_TOKEN) await check(env, 'SLACK_APP_TOKEN', env.SLACK_APP_TOKEN, (c) => c.apps.connections.open({}));
  return { botId: auth.bot_id, botUserId: auth.user_id };
}
