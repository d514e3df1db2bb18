import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApplication } from '../src/application.js';
import { parseEnv } from '../src/config/env.js';
import { SlackTokenError, verifySlackTokens } from '../src/slack/verifyTokens.js';
import { FakeSlack } from './support/fakeSlack.js';
import { Harness } from './support/harness.js';
import { SIGNING_SECRET } from './support/slackRequests.js';

const BOT_TOKEN = 'xoxb-test-token';
const APP_TOKEN = 'xapp-test-token';

let fake: FakeSlack;

beforeEach(async () => {
  fake = new FakeSlack();
  await fake.start();
});

afterEach(async () => {
  await fake.stop();
});

const envFor = (extra: Record<string, string> = {}) =>
  parseEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    LOG_LEVEL: 'error',
    ...extra,
  });

const boot = (extra: Record<string, string> = {}) =>
  createApplication({
    env: envFor(extra),
    mongoUri: process.env.MONGODB_URI!,
    dbName: `cards_test_${randomBytes(6).toString('hex')}`,
  });

/** A port nothing listens on: bound, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startupError(start: Promise<unknown>): Promise<Error> {
  const error = await start.then(
    () => undefined,
    (e: Error) => e,
  );
  if (!error) throw new Error('start-up succeeded');
  expect(error).toBeInstanceOf(SlackTokenError);
  expect(error.message).not.toContain('\n');
  expect(error.message).not.toContain(BOT_TOKEN);
  expect(error.message).not.toContain(APP_TOKEN);
  return error;
}

describe('checking the Slack tokens at start-up', () => {
  it('stops with one line naming the bot token Slack refused, and why', async () => {
    fake.failNext('auth.test', { error: 'invalid_auth' });
    const error = await startupError(boot());
    expect(error.message).toBe(
      'Slack refused SLACK_BOT_TOKEN: invalid_auth; copy the Bot User OAuth Token again from OAuth & Permissions',
    );
  });

  it('says Slack could not be reached, and where it looked', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}/api/`;
    const error = await startupError(boot({ SLACK_API_URL: url }));
    // The reason is the network's (ECONNREFUSED outside Jest, where its sandbox drops the error's cause).
    expect(error.message).toMatch(new RegExp(`^could not reach Slack at ${url} to check SLACK_BOT_TOKEN: \\S`));
    expect(error.message).toMatch(
      /; check this machine's network \(a proxy or firewall in the way\?\) or SLACK_API_URL$/,
    );
  });

  it('in Socket Mode stops with one line naming a refused app token', async () => {
    fake.failNext('apps.connections.open', { error: 'invalid_auth' });
    const error = await startupError(boot({ SLACK_APP_TOKEN: APP_TOKEN }));
    expect(error.message).toBe(
      'Slack refused SLACK_APP_TOKEN: invalid_auth; make a new app-level token with connections:write under Basic Information → App-Level Tokens',
    );
    expect(fake.accepted('auth.test')).toHaveLength(1);
  });

  it('in Socket Mode accepts tokens Slack accepts, and learns who the bot is', async () => {
    await expect(verifySlackTokens(envFor({ SLACK_APP_TOKEN: APP_TOKEN }))).resolves.toEqual({
      botId: 'BBOT',
      botUserId: 'UBOT',
    });
    expect(fake.accepted('apps.connections.open')).toHaveLength(1);
  });

  it('asks Slack about the bot once at start-up and gives Bolt the answer, so no request asks again', async () => {
    const h = await Harness.start();
    try {
      await h.command('help');
      await h.command('help');
      expect(h.fake.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });
});
