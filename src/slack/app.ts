import { App, LogLevel, type CustomRoute, type Logger } from '@slack/bolt';
import type { Env } from '../config/env.js';
import type { ListenerDeps } from './deps.js';
import { registerListeners } from './listeners/index.js';

export interface SlackAppOptions {
  env: Readonly<Env>;
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

/**
 * The Bolt app: Socket Mode when an app token is configured, otherwise HTTP
 * on /slack/events. Bolt verifies every HTTP request's signature.
 */
export function createSlackApp({ env, deps, logger, isHealthy }: SlackAppOptions): App {
  const socketMode = Boolean(env.SLACK_APP_TOKEN);
  const app = new App({
    token: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    appToken: env.SLACK_APP_TOKEN,
    socketMode,
    logger,
    logLevel: env.LOG_LEVEL as LogLevel,
    customRoutes: [healthRoute(isHealthy)],
    ...(socketMode ? { installerOptions: { port: env.PORT } } : {}),
    clientOptions: {
      ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
      // A modal's trigger_id lives 3 seconds: a quick second try helps, a long retry loop does not.
      retryConfig: { retries: 1, minTimeout: 100, maxTimeout: 500 },
    },
  });
  registerListeners(app, deps);
  app.error(async (error) => logger.error(`listener failed: ${error.code ?? ''} ${error.message}`));
  return app;
}
