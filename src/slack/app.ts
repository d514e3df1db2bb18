import { App, HTTPReceiver, LogLevel, type CustomRoute, type Logger } from '@slack/bolt';
import type { Env } from '../config/env.js';
import type { ListenerDeps } from './deps.js';
import { guardFrontDoor } from './frontDoor.js';
import { describeRequest } from './listen.js';
import { registerListeners } from './listeners/index.js';
import type { BotIdentity } from './verifyTokens.js';

export interface SlackAppOptions {
  env: Readonly<Env>;
  /** From our own check of the bot token at start-up (see verifyTokens.ts). */
  bot: BotIdentity;
  deps: ListenerDeps;
  logger: Logger;
  isHealthy: () => Promise<boolean>;
}

const healthRoute = (isHealthy: () => Promise<boolean>): CustomRoute => ({
  path: '/healthz',
  method: ['GET'],
  handler: async (_req, res) => {
    const healthy = await isHealthy();
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(healthy ? 'ok' : 'database unreachable');
  },
});

/** HTTP mode: Bolt's receiver, which verifies every request's signature, behind our checks of its timestamp and shape. */
function httpReceiver(env: Readonly<Env>, logger: Logger, routes: CustomRoute[]): HTTPReceiver {
  const receiver = new HTTPReceiver({ signingSecret: env.SLACK_SIGNING_SECRET!, logger, customRoutes: routes });
  receiver.requestListener = guardFrontDoor(receiver.requestListener, env.SLACK_SIGNING_SECRET!, (m) => logger.warn(m));
  return receiver;
}

/**
 * The Bolt app: Socket Mode when an app token is configured, otherwise HTTP
 * on /slack/events.
 */
export function createSlackApp({ env, bot, deps, logger, isHealthy }: SlackAppOptions): App {
  const socketMode = Boolean(env.SLACK_APP_TOKEN);
  const routes = [healthRoute(isHealthy)];
  const app = new App({
    token: env.SLACK_BOT_TOKEN,
    // Bolt's own auth.test would run unawaited and crash the process on a refused token; ours already ran.
    tokenVerificationEnabled: false,
    botId: bot.botId,
    botUserId: bot.botUserId,
    logger,
    logLevel: env.LOG_LEVEL as LogLevel,
    ...(socketMode
      ? { socketMode, appToken: env.SLACK_APP_TOKEN, customRoutes: routes, installerOptions: { port: env.PORT } }
      : { receiver: httpReceiver(env, logger, routes) }),
    clientOptions: {
      ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
      // A modal's trigger_id lives 3 seconds: a quick second try helps, a long retry loop does not.
      retryConfig: { retries: 1, minTimeout: 100, maxTimeout: 500 },
    },
    extendedErrorHandler: true,
  });
  registerListeners(app, deps);
  // Listeners catch their own failures; this logs what fails around them (never the context: it holds the token).
  app.error(async ({ error, body }: { error: Error & { code?: string }; body: unknown }) => logger.error(`${describeRequest(body)}: ${error.code ?? ''} ${error.message}`));
  return app;
}
