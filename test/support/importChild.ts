/**
 * One app instance in a process of its own, serving Slack's requests over
 * HTTP with its scheduler running, so a test can press Import on it and kill
 * it (SIGKILL) while its job writes the import. Prints its port on stdout.
 *   node --import tsx test/support/importChild.ts   (env: MONGODB_URI, DB_NAME, SLACK_API_URL, NOW)
 */
import { createApplication } from '../../src/application.js';
import { parseEnv } from '../../src/config/env.js';
import { FakeClock } from './fakeClock.js';
import { SIGNING_SECRET } from './slackRequests.js';

const env = parseEnv({
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: process.env.SLACK_API_URL,
  NUDGE_CHANNEL_ID: process.env.NUDGE_CHANNEL_ID,
  FOLLOWUP_SCAN_SECONDS: '3600',
  LOG_LEVEL: 'error',
});
const app = await createApplication({
  env,
  mongoUri: process.env.MONGODB_URI!,
  dbName: process.env.DB_NAME,
  clock: new FakeClock(process.env.NOW!),
});
const { port } = await app.start({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ port }));
