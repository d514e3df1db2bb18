import type { Logger } from '@slack/bolt';
import { domain } from './config/domain.js';
import mongoose, { type Connection } from 'mongoose';
import { systemClock, type Clock } from './clock.js';
import { isOAuthMode, secretsOf, type Env } from './config/env.js';
import { createImportJob, IMPORT_JOB, type ImportJobData } from './jobs/importJob.js';
import { createNudgeScan, type ScanReport } from './jobs/nudgeScan.js';
import { startScheduler, type Scheduler } from './jobs/scheduler.js';
import { migrate } from './db/migrations.js';
import { createGuardedWrites } from './db/writeIfUnchanged.js';
import { createLogger } from './logger.js';
import { createModels, ensureIndexes } from './models/index.js';
import type { KindDeps } from './nudgeKinds/deps.js';
import { createKinds, KIND_SETTINGS, KIND_TRAITS } from './nudgeKinds/index.js';
import { createAmbassadorService } from './services/ambassadors.js';
import { createBriefService } from './services/briefs.js';
import { createPoolService } from './services/pool.js';
import { createCardService } from './services/cards.js';
import { createCaptureService } from './services/captures.js';
import { createCustomerService } from './services/customers.js';
import { createExportService } from './services/exports.js';
import { createNudgeService } from './services/nudges.js';
import { createOccasionService } from './services/occasions.js';
import { carryOverReminders } from './services/carryOver.js';
import { createCardEvents } from './services/cardEvents.js';
import { createReferralService } from './services/referrals.js';
import { createSegmentService, type SegmentReport } from './services/segments.js';
import { createHistoryService } from './services/history.js';
import { createHomeService } from './services/home.js';
import { createImportService } from './services/imports.js';
import { createInstallationService, type InstallationService } from './services/installations.js';
import { createMoneyService } from './services/money.js';
import { createPromiseService } from './services/promises.js';
import { createHandoverService } from './services/handover.js';
import { createTeamSettings } from './services/teamSettings.js';
import { createUserLocales } from './services/userLocale.js';
import { createVisitPlanService } from './services/visitPlan.js';
import { createVisitService } from './services/visits.js';
import { createWrapUpService } from './services/wrapUps.js';
import { createSlackApp } from './slack/app.js';
import { createHomeRefresher } from './slack/homePublisher.js';
import { createImportReporter } from './slack/importReporter.js';
import { createMessagePoster, POSTER_CLIENT_OPTIONS, realPacing, type Pacing } from './slack/messagePoster.js';
import { createInstallationStore, createStateStore } from './slack/oauth.js';
import { createRoles } from './slack/roles.js';
import { createTeamClients } from './slack/teamClients.js';
import { verifySlackTokens } from './slack/verifyTokens.js';

export interface ApplicationOptions {
  env: Readonly<Env>;
  mongoUri: string;
  /** Database name; defaults to the one in the URI. */
  dbName?: string;
  clock?: Clock;
  logger?: Logger;
  /**
   * How posts to one channel are spaced: real time by default (Slack's limit is); tests move their clock instead of
   * waiting.
   */
  pacing?: Partial<Pacing>;
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
  /** One run of the retention job: deletes the data of every team whose retention period after uninstalling is over. */
  purgeUninstalled(): Promise<string[]>;
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
    const ping = connection.db!.command({ ping: 1 }).then(
      () => true,
      () => false,
    );
    return Promise.race([ping, timeout]);
  };
}

/** Settings that name people or a channel of one workspace. */
const ONE_WORKSPACE_KEYS = ['NUDGE_CHANNEL_ID', 'FINANCE_USER_ID', 'MANAGER_USER_ID', 'ADMIN_USER_IDS'] as const;

/**
 * Ids of one workspace's people and channels, from the environment: they
 * mean something only in the one workspace a bot token serves. Installed to
 * any workspace, they would grant rights (admin, manager) in every one of
 * them, so there they apply nowhere; each workspace sets its own in its settings.
 */
function oneWorkspaceSettings(env: Readonly<Env>): Partial<Pick<Env, (typeof ONE_WORKSPACE_KEYS)[number]>> {
  return isOAuthMode(env) ? {} : env;
}

/** What start-up says about settings it ignores because the app is installed to any workspace. */
function ignoredInOAuthMode(env: Readonly<Env>): string[] {
  if (!isOAuthMode(env)) return [];
  return ONE_WORKSPACE_KEYS.filter((key) => {
    const value = env[key];
    return Array.isArray(value) ? value.length > 0 : value !== undefined;
  });
}

/**
 * The services over a connection, wired once (for the app and for the
 * benches that drive them directly), and the reminder kinds that react to
 * what the services announce. `queue` starts a kind's job (the scheduler's,
 * once it runs).
 */
export function buildServices(
  connection: Connection,
  env: Readonly<Env>,
  now: () => Date,
  queue: KindDeps['queue'] = notQueued,
  queueImport: (data: ImportJobData) => Promise<void> = (data) => notQueued(`${IMPORT_JOB} ${data.importId}`),
) {
  const models = createModels(connection);
  const writes = createGuardedWrites(models, now);
  const events = createCardEvents(models, now);
  const people = oneWorkspaceSettings(env);
  const defaults = {
    locale: env.DEFAULT_LOCALE,
    timezone: env.DEFAULT_TIMEZONE,
    nudgeHour: env.DEFAULT_NUDGE_HOUR,
    nudgeChannel: people.NUDGE_CHANNEL_ID,
    financeUserIds: people.FINANCE_USER_ID ? [people.FINANCE_USER_ID] : [],
    managerUserIds: people.MANAGER_USER_ID ? [people.MANAGER_USER_ID] : [],
    segmentHour: env.SEGMENT_HOUR,
    adminUserIds: people.ADMIN_USER_IDS ?? [],
    wrapUpHour: env.WRAPUP_HOUR,
  };
  const settings = createTeamSettings({ models, now, writes, events }, defaults, KIND_SETTINGS);
  const userLocales = createUserLocales(models);
  const history = createHistoryService(models);
  const nudges = createNudgeService({ models, now, settings, writes, traits: KIND_TRAITS });
  const { contactKinds } = nudges;
  const referrals = createReferralService({ models, now, settings, nudges, writes, events });
  const ambassadors = createAmbassadorService({ models, nudges });
  const pool = createPoolService({ models, now, settings, writes, events });
  const customers = createCustomerService({ models, now, settings, history, writes, referrals, events });
  const segments = createSegmentService({ models, now, settings, writes, events });
  const money = createMoneyService({ models, now, customers, settings, writes, referrals, segments, events });
  const cards = createCardService({ models, now, settings, customers, nudges, money, referrals });
  const briefs = createBriefService({ cards });
  const promises = createPromiseService({ models, now, nudges, writes, events });
  const visits = createVisitService({ models, now, customers, nudges, history, promises, writes, referrals, events });
  const captures = createCaptureService({ now, customers, visits, history });
  const wrapUps = createWrapUpService({ models, contactKinds });
  const exports = createExportService({ models, settings, now });
  const occasions = createOccasionService({ models });
  const home = createHomeService({ models, now, contactKinds, occasions });
  const visitPlan = createVisitPlanService({ models, contactKinds });
  const handover = createHandoverService({ models, now, settings, writes, nudges, events });
  const imports = createImportService({
    models,
    now,
    settings,
    writes,
    events,
    customers,
    money,
    referrals,
    segments,
    queueImport,
  });
  const kinds = createKinds({ models, now, nudges, settings, referrals, ambassadors, pool, wrapUps, queue });
  // Every change to a card is announced here once: the kinds react, and Home's counts start again from it.
  events.subscribe(async (announced) => {
    for (const teamId of new Set(announced.map((event) => event.teamId))) home.changed(teamId);
    await kinds.react(announced);
  });
  return {
    models,
    settings,
    userLocales,
    history,
    writes,
    events,
    kinds,
    customers,
    money,
    cards,
    briefs,
    nudges,
    promises,
    visits,
    captures,
    referrals,
    ambassadors,
    pool,
    segments,
    wrapUps,
    visitPlan,
    exports,
    home,
    occasions,
    handover,
    imports,
  };
}

/** Before the scheduler runs (a bench driving the services alone), a kind's job cannot be started. */
async function notQueued(job: string): Promise<void> {
  throw new Error(`no scheduler runs to start ${job}`);
}

function createInstallations(
  models: ReturnType<typeof buildServices>['models'],
  env: Readonly<Env>,
  now: () => Date,
): InstallationService {
  return createInstallationService({
    models,
    now,
    encryptionKey: env.ENCRYPTION_KEY!,
    retentionDays: env.DATA_RETENTION_DAYS,
  });
}

/**
 * Boots in a fixed order: Slack tokens → MongoDB → indexes → migrations → services → jobs → Slack app.
 * The tokens come first so that a refused one stops start-up before anything needs closing.
 */
export async function createApplication({
  env,
  mongoUri,
  dbName,
  clock = systemClock,
  logger = createLogger(env.LOG_LEVEL, secretsOf(env)),
  pacing,
}: ApplicationOptions): Promise<Application> {
  const bot = await verifySlackTokens(env);
  const ignored = ignoredInOAuthMode(env);
  if (ignored.length > 0) {
    logger.warn(
      `${ignored.join(', ')}: ignored when installed to any workspace (they would apply in every workspace); each workspace's admins set the channel, finance and manager in Home → Edit settings`,
    );
  }
  const connection = await connect(mongoUri, dbName);
  // Kinds queue their jobs through the scheduler, which starts once the services exist.
  const jobs: Pick<Scheduler, 'queue' | 'queueImport'> = {
    queue: notQueued,
    queueImport: (data) => notQueued(`${IMPORT_JOB} ${data.importId}`),
  };
  const services = buildServices(
    connection,
    env,
    () => clock.now(),
    (job, data) => jobs.queue(job, data),
    (data) => jobs.queueImport(data),
  );
  const carryOver = () => carryOverReminders(services.models, services.settings.teamIds, services.kinds.carryOvers);
  await ensureIndexes(services.models);
  await migrate(services.models, () => clock.now());
  await carryOver();
  const installations = isOAuthMode(env) ? createInstallations(services.models, env, () => clock.now()) : undefined;
  const clientsWith = (options: Parameters<typeof createTeamClients>[1]) =>
    createTeamClients(
      { botToken: env.SLACK_BOT_TOKEN, installations, slackApiUrl: env.SLACK_API_URL, logger },
      options,
    );
  const poster = createMessagePoster(clientsWith(POSTER_CLIENT_OPTIONS), {
    ...realPacing(domain.nudges.channelIntervalMs),
    ...pacing,
  });
  const roles = createRoles();
  const refreshHome = createHomeRefresher({
    ...services,
    roles,
    now: () => clock.now(),
    clients: clientsWith({ retryConfig: { retries: 1 } }),
    logger,
  });
  const isServed = installations && ((teamId: string) => installations.isInstalled(teamId));
  const scanNudges = createNudgeScan({
    ...services,
    now: () => clock.now(),
    poster,
    logger,
    refreshHome,
    isServed,
    digestAbove: env.DIGEST_ABOVE ?? domain.nudges.digestAbove,
  });
  const purgeUninstalled = async () => (installations ? installations.purgeDue() : []);
  const runImport = createImportJob({
    imports: services.imports,
    reporter: createImportReporter({ ...services, clients: clientsWith({ retryConfig: { retries: 2 } }), logger }),
    logger,
  });
  const scheduler = await startScheduler({
    db: connection.db!,
    scanSeconds: env.FOLLOWUP_SCAN_SECONDS,
    scanNudges,
    refreshSegments: services.segments.refreshDue,
    purgeUninstalled,
    kindJobs: services.kinds.jobs,
    runImport,
    logger,
  });
  jobs.queue = (job, data) => scheduler.queue(job, data);
  jobs.queueImport = (data) => scheduler.queueImport(data);
  const oauth = installations && {
    installationStore: createInstallationStore(installations),
    stateStore: createStateStore(services.models, env.SLACK_STATE_SECRET!, () => clock.now()),
  };
  const app = createSlackApp({
    env,
    bot,
    oauth,
    logger,
    isHealthy: pinger(connection),
    deps: {
      ...services,
      installations,
      roles,
      refreshHome,
      now: () => clock.now(),
      logger,
      defaultLocale: env.DEFAULT_LOCALE,
      ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    },
  });

  return {
    connection,
    scanNudges,
    refreshSegments: services.segments.refreshDue,
    purgeUninstalled,
    carryOverReminders: carryOver,
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
