import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Logger } from '@slack/bolt';
import { Agenda, InMemoryNotificationChannel } from 'agenda';
import type { Db } from 'mongodb';
import { domain } from '../config/domain.js';
import type { KindJob } from '../nudgeKinds/kind.js';
import { IMPORT_JOB, type ImportJobData } from './importJob.js';
import { NUDGE_SCAN_JOB } from './nudgeScan.js';

export interface SchedulerOptions {
  db: Db;
  scanSeconds: number;
  scanNudges: () => Promise<unknown>;
  refreshSegments: () => Promise<unknown>;
  /** Deletes the data of teams whose retention period after uninstalling is over. */
  purgeUninstalled: () => Promise<unknown>;
  /** The reminder kinds' own jobs (a replan of the pool's warnings…), each queued by its kind for one team. */
  kindJobs: readonly KindJob[];
  /** Writes one import (`/card import`); `touch` renews the job's lock between its steps. */
  runImport: (data: ImportJobData, touch: () => Promise<void>) => Promise<unknown>;
  logger: Logger;
}

export interface Scheduler {
  /** Queues a kind's job for a team: started at once here, finished by another instance if this one dies. */
  queue(job: string, data: { teamId: string }): Promise<void>;
  /** Queues an import's job, likewise. */
  queueImport(data: ImportJobData): Promise<void>;
  /** Stops taking jobs, frees the ones this instance had queued, and waits for a running scan. */
  stop(): Promise<void>;
}

const MAX_POLL_SECONDS = 30;
const JOBS_COLLECTION = 'agendaJobs';
/** A scan takes seconds; if its instance dies mid-scan, another may take the job after this long. */
const SCAN_LOCK_LIFETIME_MS = 2 * 60_000;
const RETIRED_SCAN_JOB = 'followups.scan';
const SEGMENT_REFRESH_JOB = 'segments.refresh';
/** A refresh of a large team takes minutes; the day's claim, not this lock, keeps it to one run. */
const SEGMENT_LOCK_LIFETIME_MS = 30 * 60_000;
const PURGE_JOB = 'installations.purge';
/** Deleting a large team's documents takes minutes; the claim on its installation keeps it to one run. */
const PURGE_LOCK_LIFETIME_MS = 30 * 60_000;

/**
 * Counts job runs from start to Agenda's 'complete', which fires after Agenda
 * has saved the run (and released its lock), so shutdown can wait for that.
 */
function trackRuns(agenda: Agenda) {
  let active = 0;
  agenda.on('start', () => void (active += 1));
  agenda.on('complete', () => {
    active -= 1;
    if (active === 0) agenda.emit('idle');
  });
  return {
    finished: () =>
      active === 0 ? Promise.resolve() : new Promise<void>((resolve) => agenda.once('idle', () => resolve())),
  };
}

/**
 * Agenda on the app's own MongoDB connection. The scan is one repeating job:
 * Agenda's lock lets one instance run it at a time, and the claims inside it
 * keep a nudge single even if two scans overlap.
 */
export async function startScheduler({
  db,
  scanSeconds,
  scanNudges,
  refreshSegments,
  purgeUninstalled,
  kindJobs,
  runImport,
  logger,
}: SchedulerOptions): Promise<Scheduler> {
  // Agenda arms a timer for each job due within one poll; a short poll keeps those timers short-lived.
  const pollMs = Math.min(scanSeconds, MAX_POLL_SECONDS) * 1000;
  const name = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  // The in-memory channel starts a job queued here at once, rather than at the next poll; other instances still find it
  // by polling.
  const backend = new MongoBackend({ mongo: db, collection: JOBS_COLLECTION });
  const agenda = new Agenda({
    name,
    backend,
    processEvery: pollMs,
    notificationChannel: new InMemoryNotificationChannel(),
  });
  const runs = trackRuns(agenda);
  agenda.on('error', (error) => logger.error(`scheduler: ${error.message}`));
  agenda.on(`fail:${NUDGE_SCAN_JOB}`, (error) => logger.error(`nudge scan failed: ${error}`));
  agenda.define(NUDGE_SCAN_JOB, async () => void (await scanNudges()), {
    concurrency: 1,
    lockLimit: 1,
    lockLifetime: SCAN_LOCK_LIFETIME_MS,
  });
  agenda.on(`fail:${SEGMENT_REFRESH_JOB}`, (error) => logger.error(`segment refresh failed: ${error}`));
  agenda.define(SEGMENT_REFRESH_JOB, async () => void (await refreshSegments()), {
    concurrency: 1,
    lockLimit: 1,
    lockLifetime: SEGMENT_LOCK_LIFETIME_MS,
  });
  agenda.on(`fail:${PURGE_JOB}`, (error) => logger.error(`purge of uninstalled teams failed: ${error}`));
  agenda.define(PURGE_JOB, async () => void (await purgeUninstalled()), {
    concurrency: 1,
    lockLimit: 1,
    lockLifetime: PURGE_LOCK_LIFETIME_MS,
  });
  for (const job of kindJobs) {
    agenda.on(`fail:${job.name}`, (error) => logger.error(`${job.name} failed: ${error}`));
    agenda.define<{ teamId: string }>(job.name, async ({ attrs }) => void (await job.run(attrs.data)), {
      concurrency: 1,
      lockLifetime: job.lockLifetimeMs,
      removeOnComplete: true,
    });
  }
  // An import is not a reminder kind's: the scheduler defines its job. Two may run at once on an instance; the lock,
  // renewed after each step, lets another instance take one whose instance died.
  agenda.on(`fail:${IMPORT_JOB}`, (error) => logger.error(`import failed: ${error}`));
  agenda.define<ImportJobData>(IMPORT_JOB, async (job) => void (await runImport(job.attrs.data, () => job.touch())), {
    concurrency: 2,
    lockLifetime: domain.import.lockLifetimeMs,
    removeOnComplete: true,
  });
  await agenda.start();
  // The follow-up scan of earlier releases is now the nudge scan.
  await agenda.cancel({ name: RETIRED_SCAN_JOB });
  await agenda.every(`${scanSeconds} seconds`, NUDGE_SCAN_JOB);
  await agenda.every(`${domain.segments.checkEveryMinutes} minutes`, SEGMENT_REFRESH_JOB);
  await agenda.every(`${domain.oauth.purgeEveryMinutes} minutes`, PURGE_JOB);
  return {
    async queue(job, data) {
      await agenda.now(job, data);
    },
    async queueImport(data) {
      await agenda.now(IMPORT_JOB, data);
    },
    async stop() {
      // Agenda's drain() would keep queued jobs locked for their whole lock lifetime; stop() frees them.
      await agenda.stop();
      await runs.finished();
      // A poll already in flight when stop() ran can still lock a job after it; free what is ours.
      await db
        .collection(JOBS_COLLECTION)
        .updateMany({ lastModifiedBy: name, lockedAt: { $ne: null } }, { $unset: { lockedAt: '' } });
    },
  };
}
