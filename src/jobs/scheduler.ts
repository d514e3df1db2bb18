import { MongoBackend } from '@agendajs/mongo-backend';
import type { Logger } from '@slack/bolt';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import { FOLLOW_UP_SCAN_JOB } from './followUpScan.js';

export interface SchedulerOptions {
  db: Db;
  scanInterval: string;
  scanFollowUps: () => Promise<unknown>;
  logger: Logger;
}

/**
 * Agenda on the app's own MongoDB connection. The scan is one repeating job:
 * Agenda's lock lets one instance run it at a time, and the claims inside it
 * keep a nudge single even if two scans overlap.
 */
export async function startScheduler({ db, scanInterval, scanFollowUps, logger }: SchedulerOptions): Promise<Agenda> {
  const agenda = new Agenda({ backend: new MongoBackend({ mongo: db }), processEvery: scanInterval });
  agenda.on('error', (error) => logger.error(`scheduler: ${error.message}`));
  agenda.on(`fail:${FOLLOW_UP_SCAN_JOB}`, (error) => logger.error(`follow-up scan failed: ${error}`));
  agenda.define(FOLLOW_UP_SCAN_JOB, async () => void (await scanFollowUps()), { concurrency: 1, lockLimit: 1 });
  await agenda.start();
  await agenda.every(scanInterval, FOLLOW_UP_SCAN_JOB);
  return agenda;
}
