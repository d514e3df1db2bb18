import {
  App,
  ErrorCode,
  HTTPReceiver,
  LogLevel,
  webApi,
  type AckFn,
  type CustomRoute,
  type ReceiverEvent,
  type InstallationStore,
  type Logger,
  type StateStore,
} from '@slack/bolt';
import type { Env } from '../config/env.js';
import { messagesFor } from '../i18n/index.js';
import type { ListenerDeps } from './deps.js';
import { guardFrontDoor } from './frontDoor.js';
import { describeRequest } from './listen.js';
import { registerListeners } from './listeners/index.js';
import { installFailurePage, installPage, installSuccessPage, quietInstallRefusals } from './oauth.js';
import type { BotIdentity } from './verifyTokens.js';

export interface SlackAppOptions {
  env: Readonly<Env>;
  /** From our own check of the bot token at start-up (see verifyTokens.ts); empty when installed through OAuth. */
  bot: BotIdentity;
  /** Set when installed to any workspace: where each workspace's token is kept, and the single-use OAuth states. */
  oauth?: { installationStore: InstallationStore; stateStore: StateStore };
  deps: ListenerDeps;
  logger: Logger;
  isHealthy: () => Promise<boolean>;
}

const healthRoute = (isHealthy: () => Promise<boolean>): CustomRoute => ({
  path: '/healthz',
  method: ['GET'],
  // Bolt calls a route and forgets it: the promise is kept here, and a failed check answers 503 rather than nothing.
  handler: (_req, res) => {
    void isHealthy()
      .catch(() => false)
      .then((healthy) => {
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
        res.end(healthy ? 'ok' : 'database unreachable');
      });
  },
});

/** Bolt's default paths: Slack's requests, and the install pages of an app installed through OAuth. */
const EVENTS_PATH = '/slack/events';
const INSTALL_PATH = '/slack/install';
const REDIRECT_PATH = '/slack/oauth_redirect';

/** What the installer asks each workspace for: the bot scopes of manifest.yml. */
const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'files:write',
  'users:read',
  'users:read.email',
  'files:read',
  'channels:read',
  'channels:history',
  'im:history',
];

/** Web API options for every client, the installer's included, so SLACK_API_URL reaches each call. */
function clientOptions(env: Readonly<Env>) {
  return {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    // A modal's trigger_id lives 3 seconds: a quick second try helps, a long retry loop does not.
    retryConfig: { retries: 1, minTimeout: 100, maxTimeout: 500 },
  };
}

/** Bolt's installer: /slack/install and /slack/oauth_redirect, its Web API calls sent where every other call goes. */
function installer(env: Readonly<Env>, oauth: NonNullable<SlackAppOptions['oauth']>) {
  return {
    clientId: env.SLACK_CLIENT_ID!,
    clientSecret: env.SLACK_CLIENT_SECRET!,
    stateSecret: env.SLACK_STATE_SECRET!,
    scopes: BOT_SCOPES,
    installationStore: oauth.installationStore,
    installerOptions: {
      stateStore: oauth.stateStore,
      stateVerification: true,
      clientOptions: clientOptions(env),
      renderHtmlForInstallPath: installPage(messagesFor(env.DEFAULT_LOCALE)),
      callbackOptions: {
        success: installSuccessPage(messagesFor(env.DEFAULT_LOCALE)),
        failure: installFailurePage(messagesFor(env.DEFAULT_LOCALE)),
      },
    },
  };
}

/** What Bolt, and the front door before it, log for a request whose signature is not the signing secret's. */
const SIGNATURE_MISMATCH = /Failed to verify authenticity: signature mismatch|its signature is invalid/;
const WRONG_SIGNATURE =
  'A request to /slack/events was refused (HTTP 401): its signature does not match SLACK_SIGNING_SECRET. ' +
  "If Slack's requests are all refused, copy the Signing Secret again (Basic Information → App Credentials) into SLACK_SIGNING_SECRET.";

/**
 * A warning about a refused signature as one line naming the setting to check: every request failing so means
 * SLACK_SIGNING_SECRET is wrong.
 */
const aboutSignature = (message: unknown): string =>
  SIGNATURE_MISMATCH.test(String(message)) ? WRONG_SIGNATURE : String(message);

/** Bolt's logger for the receiver, its refused signatures said as aboutSignature says them. */
function namingTheSigningSecret(logger: Logger): Logger {
  return {
    debug: (...msgs) => logger.debug(...msgs),
    info: (...msgs) => logger.info(...msgs),
    warn: (...msgs) => (msgs.length === 1 ? logger.warn(aboutSignature(msgs[0])) : logger.warn(...msgs)),
    error: (...msgs) => logger.error(...msgs),
    setLevel: (level) => logger.setLevel(level),
    getLevel: () => logger.getLevel(),
    setName: (name) => logger.setName(name),
  };
}

/**
 * HTTP mode: Bolt's receiver, which verifies every request's signature, behind our checks of its timestamp and shape.
 */
function httpReceiver(
  env: Readonly<Env>,
  logger: Logger,
  routes: CustomRoute[],
  oauth: SlackAppOptions['oauth'],
): HTTPReceiver {
  // Installed through OAuth, a refused install (cancelled, a stale link) is one warning line, not an error with a
  // stack.
  const receiverLogger = namingTheSigningSecret(oauth ? quietInstallRefusals(logger) : logger);
  const receiver = new HTTPReceiver({
    signingSecret: env.SLACK_SIGNING_SECRET!,
    logger: receiverLogger,
    customRoutes: routes,
    ...(oauth ? installer(env, oauth) : {}),
  });
  const others: Record<string, string[]> = Object.fromEntries(routes.map((r) => [r.path, [r.method].flat()]));
  if (oauth) Object.assign(others, { [INSTALL_PATH]: ['GET'], [REDIRECT_PATH]: ['GET'] });
  receiver.requestListener = guardFrontDoor(
    receiver.requestListener,
    env.SLACK_SIGNING_SECRET!,
    { events: EVENTS_PATH, others },
    (m) => logger.warn(aboutSignature(m)),
  );
  return receiver;
}

/**
 * A signed request no listener takes (an action or a shortcut of an older
 * message, a modal closed, a read-only modal submitted) would wait for Bolt's
 * unhandled-request timeout, past Slack's 3 seconds. Bolt runs every listener
 * before processEvent resolves, so one still unacknowledged then never will
 * be: it is answered at once, with nothing.
 */
function answerWhatNoListenerTook(app: App): void {
  const process = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    let acked = false;
    const ack: AckFn<unknown> = async (response) => {
      acked = true;
      await event.ack(response);
    };
    await process({ ...event, ack });
    // A workflow step's function_executed waits for its own complete() or fail(), not for an ack.
    if (!acked && event.body.event?.type !== 'function_executed') await event.ack();
  };
}

interface StepExecution {
  event?: { type?: unknown; function_execution_id?: unknown; bot_access_token?: unknown };
}

/**
 * A workflow step executed in a workspace that has not installed the app
 * (or uninstalled it) reaches no listener: Bolt finds no token for it. It is
 * failed with a reason, through the token Slack issued for that one
 * execution, never with another workspace's, and nothing else runs.
 */
async function failUnservedStep(env: Readonly<Env>, logger: Logger, body: unknown): Promise<boolean> {
  const event = (body as StepExecution).event;
  if (event?.type !== 'function_executed') return false;
  const { function_execution_id: executionId, bot_access_token: token } = event;
  if (typeof executionId !== 'string' || typeof token !== 'string') return false;
  logger.warn(`${describeRequest(body)}: a workflow step of a workspace the app does not serve was failed`);
  await new webApi.WebClient(token, clientOptions(env)).functions
    .completeError({ function_execution_id: executionId, error: messagesFor(env.DEFAULT_LOCALE).steps.notInstalled })
    .catch((error: Error) => logger.warn(`could not fail the step: ${error.message}`));
  return true;
}

/**
 * The Bolt app: Socket Mode when an app token is configured, otherwise HTTP
 * on /slack/events. Without a bot token, Bolt's installer serves the OAuth
 * routes and each request is authorised with its workspace's stored token.
 */
export function createSlackApp({ env, bot, oauth, deps, logger, isHealthy }: SlackAppOptions): App {
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
      : { receiver: httpReceiver(env, logger, routes, oauth) }),
    clientOptions: clientOptions(env),
    extendedErrorHandler: true,
  });
  registerListeners(app, deps);
  answerWhatNoListenerTook(app);
  // Listeners catch their own failures; this logs what fails around them (never the context: it holds the token).
  app.error(async ({ error, body }: { error: Error & { code?: string }; body: unknown }) => {
    if (error.code === ErrorCode.AuthorizationError && (await failUnservedStep(env, logger, body))) return;
    logger.error(`${describeRequest(body)}: ${error.code ?? ''} ${error.message}`);
  });
  return app;
}
