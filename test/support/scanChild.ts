/**
 * One app instance in a process of its own that runs a single follow-up scan
 * and exits, so a test can kill it (SIGKILL) in the middle of the scan.
 *   node --import tsx test/support/scanChild.ts   (env: MONGODB_URI, DB_NAME, SLACK_API_URL, NOW, DIGEST_ABOVE)
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
  ...(process.env.DIGEST_ABOVE ? { DIGEST_ABOVE: process.env.DIGEST_ABOVE } : {}),
  LOG_LEVEL: 'error',
});
const app = await createApplication({
  env,
  mongoUri: process.env.MONGODB_URI!,
  dbName: process.env.DB_NAME,
  clock: new FakeClock(process.env.NOW!),
});
const report = await app.scanNudges();
console.log(JSON.stringify(report));
await app.stop();
