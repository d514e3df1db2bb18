import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { FakeSlack } from './support/fakeSlack.js';
import { Harness, TEAM_A } from './support/harness.js';
import { payloadBody, postToSlackEndpoint, signatureHeaders, slashCommandBody } from './support/slackRequests.js';

/**
 * The usual start-up mistakes, made the way a new user makes them: the real
 * entry point (src/index.ts) started with a bad setting stops with one line
 * saying what to do, never a library's message or a stack trace.
 */
let slack: FakeSlack;

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
});

afterAll(async () => {
  await slack.stop();
});

/** `npm start` as it runs the app, with these settings on top of a working bot token and signing secret. */
function start(env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const { MONGODB_URI: _, ...inherited } = process.env;
  const child = spawn(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), resolve('src/index.ts')], {
    env: {
      ...inherited,
      SLACK_BOT_TOKEN: 'xoxb-startup',
      SLACK_SIGNING_SECRET: 'startup-secret',
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise((done) =>
    child.on('exit', (status) => (clearTimeout(killer), done({ status, output: output.trim() }))),
  );
}

describe('start-up mistakes, one line each', () => {
  it('a mongodb+srv:// cluster whose name does not resolve', async () => {
    const { status, output } = await start({ MONGODB_URI: 'mongodb+srv://ann:s3cret@cards-cluster.invalid/cards' });
    expect(status).toBe(1);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(
      /^Cannot find MongoDB at cards-cluster\.invalid from MONGODB_URI \(.*\): that host name does not resolve\. Check the host name in MONGODB_URI/,
    );
    expect(output).not.toContain('s3cret');
  }, 45_000);

  it('a port another instance is already listening on', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '0.0.0.0', r));
    const port = (busy.address() as { port: number }).port;
    const dbName = `cards_startup_${randomBytes(4).toString('hex')}`;
    try {
      const { status, output } = await start({
        MONGODB_URI: `${process.env.MONGODB_URI}${dbName}`,
        PORT: String(port),
      });
      expect(status).toBe(1);
      expect(output).toBe(
        `Port ${port} is already in use, perhaps by another instance of the app. Stop that one, or set PORT to a free port.`,
      );
    } finally {
      busy.close();
      const client = await MongoClient.connect(process.env.MONGODB_URI!);
      await client
        .db(dbName)
        .dropDatabase()
        .finally(() => client.close());
    }
  }, 45_000);

  it('a malformed port or database name in MONGODB_URI, before connecting, without the password', async () => {
    const { status, output } = await start({ MONGODB_URI: 'mongodb://ann:s3cret@127.0.0.1:99999/my cards' });
    expect(status).toBe(1);
    expect(output).toContain('MONGODB_URI: the port of 127.0.0.1:99999 must be a whole number from 1 to 65535');
    expect(output).not.toContain('s3cret');
    expect(output).not.toMatch(/Unable to parse|\n\s+at /);
  }, 45_000);
});

describe('a wrong signing secret', () => {
  it('refuses the request and logs one line naming SLACK_SIGNING_SECRET and where to copy it from', async () => {
    const h = await Harness.start();
    try {
      // A slash command as Slack sends it, and a press on a button: each signed with another app's secret.
      const command = slashCommandBody(TEAM_A, 'help', h.nextResponseUrl());
      const press = payloadBody({ type: 'block_actions', team: { id: 'T1' }, user: { id: 'U1' }, actions: [] });
      for (const body of [command, press]) {
        const res = await postToSlackEndpoint(h.instances[0]!.url, body, signatureHeaders(body, 'another-secret'));
        expect(res.status).toBe(401);
      }
      const line =
        /^WARN A request to \/slack\/events was refused \(HTTP 401\): its signature does not match SLACK_SIGNING_SECRET\. .*Basic Information → App Credentials/;
      expect(h.logs).toEqual([expect.stringMatching(line), expect.stringMatching(line)]);
    } finally {
      await h.stop();
    }
  });
});
