import { MongoBackend } from '@agendajs/mongo-backend';
import type { Logger } from '@slack/bolt';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import { FOLLOW_UP_SCAN_JOB } from './followUpScan.js';

export interface SchedulerOptions {
  db: Db;
  scanSeconds: number;
  scanFollowUps: () => Promise<unknown>;
  logger: Logger;
}

export interface Scheduler {
  /** Stops taking jobs, frees the ones this instance had queued, and waits for a running scan. */
  stop(): Promise<void>;
}

const MAX_POLL_SECONDS = 30;
/** A scan takes seconds; if its instance dies mid-scan, another may take the job after this long. */
const SCAN_LOCK_LIFETIME_MS = 2 * 60_000;

/**
 * Agenda on the app's own MongoDB connection. The scan is one repeating job:
 * Agenda's lock lets one instance run it at a time, and the claims inside it
 * keep a nudge single even if two scans overlap.
 */
export async function startScheduler({ db, scanSeconds, scanFollowUps, logger }: SchedulerOptions): Promise<Scheduler> {
  // Agenda arms a timer for each job due within one poll; a short poll keeps those timers short-lived.
  const pollMs = Math.min(scanSeconds, MAX_POLL_SECONDS) * 1000;
  const agenda = new Agenda({ backend: new MongoBackend({ mongo: db }), processEvery: pollMs });
  const running = new Set<Promise<unknown>>();
  agenda.on('error', (error) => logger.error(`scheduler: ${error.message}`));
  agenda.on(`fail:${FOLLOW_UP_SCAN_JOB}`, (error) => logger.error(`follow-up scan failed: ${error}`));
  agenda.define(
    FOLLOW_UP_SCAN_JOB,
    async () => {
      const scan = scanFollowUps();
      running.add(scan);
      await scan.finally(() => running.delete(scan));
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: SCAN_LOCK_LIFETIME_MS },
  );
  await agenda.start();
  await agenda.every(`${scanSeconds} seconds`, FOLLOW_UP_SCAN_JOB);
  return {
    async stop() {
      // Agenda's drain() would keep queued jobs locked for their whole lock lifetime; stop() frees them.
      await agenda.stop();
      await Promise.allSettled([...running]);
    },
  };
}
