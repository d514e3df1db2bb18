import { webApi, type Logger } from '@slack/bolt';
import mongoose, { type Connection } from 'mongoose';
import { systemClock, type Clock } from './clock.js';
import type { Env } from './config/env.js';
import { createNudgeScan, type ScanReport } from './jobs/nudgeScan.js';
import { startScheduler } from './jobs/scheduler.js';
import { migrate } from './db/migrations.js';
import { createGuardedWrites } from './db/writeIfUnchanged.js';
import { createLogger } from './logger.js';
import { createModels, ensureIndexes } from './models/index.js';
import { createNudgeKinds } from './nudgeKinds/index.js';
import { createAmbassadorService } from './services/ambassadors.js';
import { createBriefService } from './services/briefs.js';
import { createCadenceService } from './services/cadence.js';
import { createPoolService } from './services/pool.js';
import { createCardService } from './services/cards.js';
import { createCustomerService } from './services/customers.js';
import { createExportService } from './services/exports.js';
import { createFollowUpService } from './services/followUps.js';
import { createNudgeService } from './services/nudges.js';
import { carryOverReminders } from './services/carryOver.js';
import { createReferralService } from './services/referrals.js';
import { createSegmentService, type SegmentReport } from './services/segments.js';
import { createHistoryService } from './services/history.js';
import { createHomeService } from './services/home.js';
import { createMoneyService } from './services/money.js';
import { createPromiseService } from './services/promises.js';
import { createTeamSettings } from './services/teamSettings.js';
import { createVisitPlanService } from './services/visitPlan.js';
import { createVisitService } from './services/visits.js';
import { createWrapUpService } from './services/wrapUps.js';
import { createSlackApp } from './slack/app.js';
import { createHomeRefresher } from './slack/homePublisher.js';
import { createMessagePoster } from './slack/messagePoster.js';
import { createRoles } from './slack/roles.js';
import { verifySlackTokens } from './slack/verifyTokens.js';

export interface ApplicationOptions {
  env: Readonly<Env>;
  mongoUri: string;
  /** Database name; defaults to the one in the URI. */
  dbName?: string;
  clock?: Clock;
  logger?: Logger;
}

export interface Application {
  /** Starts taking Slack traffic; in HTTP mode resolves with the bound port. */
  start(listen?: { port: number; host?: string }): Promise<{ port?: number }>;
  /** Stops taking work, lets in-flight requests and jobs finish, then closes MongoDB. */
  stop(): Promise<void>;
  /** One nudge scan, as the scheduled job runs it. */
  scanNudges(): Promise<ScanReport>;
  /** One run of the segmentation job: every team whose segmentation hour has come and that was not refreshed today. */
  refreshSegments(): Promise<SegmentReport[]>;
  /** Schedules the reminders an earlier release left unscheduled, as boot does. */
  carryOverReminders(): Promise<void>;
  connection: Connection;
}

const PING_TIMEOUT_MS = 1000;
/**
 * How long an operation waits for a reachable server. Short, so that with the
 * database gone a command still answers "temporarily unavailable" inside
 * Slack's 3 seconds; the driver keeps reconnecting in the background.
 */
const SERVER_SELECTION_TIMEOUT_MS = 1500;

async function connect(uri: string, dbName: string | undefined): Promise<Connection> {
  return mongoose
    .createConnection(uri, {
      ...(dbName ? { dbName } : {}),
      autoIndex: false,
      // Fail fast instead of queueing operations while disconnected: the user gets an answer, the scan retries later.
      bufferCommands: false,
      serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    })
    .asPromise();
}

function pinger(connection: Connection): () => Promise<boolean> {
  return async () => {
    const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, PING_TIMEOUT_MS, false).unref());
    const ping = connection.db!.command({ ping: 1 }).then(() => true, () => false);
    return Promise.race([ping, timeout]);
  };
}

/** The services over a connection, wired once: for the app and for the benches that drive them directly. */
export function buildServices(connection: Connection, env: Readonly<Env>, now: () => Date) {
  const models = createModels(connection);
  const settings = createTeamSettings(
    models,
    {
      locale: env.DEFAULT_LOCALE, timezone: env.DEFAULT_TIMEZONE, nudgeHour: env.DEFAULT_NUDGE_HOUR, nudgeChannel: env.NUDGE_CHANNEL_ID,
      financeUserId: env.FINANCE_USER_ID, managerUserId: env.MANAGER_USER_ID, segmentHour: env.SEGMENT_HOUR, adminUserIds: env.ADMIN_USER_IDS,
      wrapUpHour: env.WRAPUP_HOUR,
    },
    now,
  );
  const history = createHistoryService(models);
  const writes = createGuardedWrites(models, now);
  const nudges = createNudgeService({ models, now, settings, writes });
  const followUps = createFollowUpService({ nudges });
  const referrals = createReferralService({ models, now, settings, nudges, writes });
  const ambassadors = createAmbassadorService({ models, now, settings, nudges });
  const cadence = createCadenceService({ models, now, settings, nudges });
  const pool = createPoolService({ models, now, settings, writes, nudges, cadence });
  const customers = createCustomerService({ models, now, settings, history, writes, referrals, ambassadors, cadence, pool });
  const segments = createSegmentService({ models, now, settings, writes, cadence, pool });
  const money = createMoneyService({ models, now, customers, nudges, settings, writes, referrals, segments });
  const cards = createCardService({ models, now, settings, customers, followUps, money, referrals });
  const briefs = createBriefService({ cards });
  const promises = createPromiseService({ models, now, nudges, writes });
  const visits = createVisitService({ models, now, customers, nudges, followUps, ambassadors, cadence, pool, history, promises, writes, referrals });
  const wrapUps = createWrapUpService({ models });
  const exports = createExportService({ models, settings, now });
  const home = createHomeService({ models, now });
  const visitPlan = createVisitPlanService({ models });
  return { models, settings, history, writes, customers, money, cards, briefs, nudges, followUps, promises, visits, referrals, ambassadors, cadence, pool, segments, wrapUps, visitPlan, exports, home };
}

/**
 * Boots in a fixed order: Slack tokens → MongoDB → indexes → migrations → services → jobs → Slack app.
 * The tokens come first so that a refused one stops start-up before anything needs closing.
 */
export async function createApplication({ env, mongoUri, dbName, clock = systemClock, logger = createLogger(env.LOG_LEVEL) }: ApplicationOptions): Promise<Application> {
  const bot = await verifySlackTokens(env);
  const connection = await connect(mongoUri, dbName);
  const services = buildServices(connection, env, () => clock.now());
  await ensureIndexes(services.models);
  await migrate(services.models);
  await carryOverReminders(services);
  const poster = createMessagePoster(env.SLACK_BOT_TOKEN, env.SLACK_API_URL, logger);
  const homeClient = new webApi.WebClient(env.SLACK_BOT_TOKEN, { ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}), logger, retryConfig: { retries: 1 } });
  const refreshHome = createHomeRefresher({ ...services, now: () => clock.now(), client: homeClient, logger });
  const scanNudges = createNudgeScan({ ...services, kinds: createNudgeKinds(services), now: () => clock.now(), poster, logger, refreshHome });
  const scheduler = await startScheduler({ db: connection.db!, scanSeconds: env.FOLLOWUP_SCAN_SECONDS, scanNudges, refreshSegments: services.segments.refreshDue, logger });
  const app = createSlackApp({ env, bot, logger, isHealthy: pinger(connection), deps: { ...services, roles: createRoles(), refreshHome, now: () => clock.now(), logger, defaultLocale: env.DEFAULT_LOCALE } });

  return {
    connection,
    scanNudges,
    refreshSegments: services.segments.refreshDue,
    carryOverReminders: () => carryOverReminders(services),
    async start(listen = { port: env.PORT }) {
      if (env.SLACK_APP_TOKEN) {
        await app.start();
        return {};
      }
      const server = await app.start(listen);
      const address = server.address();
      return { port: typeof address === 'object' && address ? address.port : undefined };
    },
    async stop() {
      // Each step runs even if an earlier one failed (e.g. MongoDB already gone).
      const step = (label: string, work: () => Promise<unknown>) =>
        work().catch((error: Error) => logger.warn(`shutdown: ${label}: ${error.message}`));
      await step('stopping Slack app', () => app.stop());
      await step('stopping scheduler', () => scheduler.stop());
      await step('closing MongoDB', () => connection.close());
    },
  };
}
