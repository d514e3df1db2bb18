import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { MongoClient } from 'mongodb';
import { FakeSlack } from './support/fakeSlack.js';
import { OAUTH_ENV } from './support/harness.js';
import { SIGNING_SECRET, signatureHeaders, slashCommandBody } from './support/slackRequests.js';

/**
 * What anyone on the network may send the app's port: browsers, health
 * checkers, scanners. The real process (src/index.ts) is started, so a
 * request that ended it would show as the process gone, not as a failed test.
 */

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  dbName: string;
}

function databaseUri(dbName: string): string {
  const url = new URL(process.env.MONGODB_URI!);
  url.pathname = `/${dbName}`;
  return url.toString();
}

async function startApp(fake: FakeSlack, extra: Record<string, string>): Promise<Started> {
  const dbName = `cards_frontdoor_${Math.random().toString(16).slice(2, 10)}`;
  const { MONGODB_URI: _, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: {
      ...inherited,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      MONGODB_URI: databaseUri(dbName),
      PORT: '0',
      LOG_LEVEL: 'info',
      FOLLOWUP_SCAN_SECONDS: '3600',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start: ${output}`)), 60_000);
    const look = () => {
      const found = /listening on port (\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`app exited (${code}) while starting: ${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, dbName };
}

async function stopApp(started: Started): Promise<void> {
  if (started.child.exitCode === null) {
    const exited = new Promise((resolve) => started.child.once('exit', resolve));
    started.child.kill('SIGTERM');
    await exited;
  }
  const client = await MongoClient.connect(process.env.MONGODB_URI!);
  await client
    .db(started.dbName)
    .dropDatabase()
    .finally(() => client.close());
}

/** One raw HTTP request, its status; a connection the server drops is status 0. */
function send(
  base: string,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { method, agent: false, headers, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(-1);
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const STRAYS: [method: string, path: string, status: number][] = [
  ['GET', '/', 404],
  ['HEAD', '/', 404],
  ['GET', '/favicon.ico', 404],
  ['GET', '/robots.txt', 404],
  ['GET', '/slack/events', 405],
  ['PUT', '/slack/events', 405],
  ['DELETE', '/slack/events', 405],
  ['OPTIONS', '/slack/events', 405],
  ['PATCH', '/slack/events', 405],
  ['POST', '/healthz', 405],
  ['DELETE', '/healthz', 405],
  ['POST', '/anything', 404],
  ['GET', '/slack/events/../../etc/passwd', 404],
  ['GET', '/%zz', 404],
  ['POST', '/slack/install', 404],
];

describe('stray requests to the app', () => {
  let fake: FakeSlack;
  let app: Started;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    app = await startApp(fake, { SLACK_BOT_TOKEN: 'xoxb-test-token' });
  }, 90_000);

  afterAll(async () => {
    await stopApp(app);
    await fake.stop();
  });

  it('are each answered at once with 404 or 405, and the process keeps serving Slack', async () => {
    const statuses = [];
    for (const [method, path] of STRAYS) statuses.push([method, path, await send(app.url, method, path)]);
    expect(statuses).toEqual(STRAYS);
    expect(await send(app.url, 'GET', '/healthz')).toBe(200);
    const body = slashCommandBody({ teamId: 'T1', userId: 'U1SELLER' }, 'help', fake.responseUrl('help'));
    expect(
      await send(app.url, 'POST', '/slack/events', body, {
        'content-type': 'application/x-www-form-urlencoded',
        ...signatureHeaders(body),
      }),
    ).toBe(200);
    await fake.waitForResponse(fake.responseUrl('help'));
    expect(app.child.exitCode).toBeNull();
    expect(app.output()).not.toMatch(/HTTPReceiverDeferredRequestError|unhandled rejection/i);
  });

  it('answers a body over the size limit with 413, unsigned or signed, and keeps serving', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 'a');
    expect(
      await send(app.url, 'POST', '/slack/events', big, { 'content-type': 'application/x-www-form-urlencoded' }),
    ).toBe(413);
    const signed = signatureHeaders(big.toString());
    expect(
      await send(app.url, 'POST', '/slack/events', big, {
        'content-type': 'application/x-www-form-urlencoded',
        ...signed,
      }),
    ).toBe(413);
    expect(await send(app.url, 'GET', '/healthz')).toBe(200);
    expect(app.child.exitCode).toBeNull();
  });

  it('refuses a request cut off half-way and keeps serving', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${app.url}/slack/events`, {
        method: 'POST',
        agent: false,
        headers: { 'content-length': '1000' },
      });
      req.on('error', () => resolve());
      req.write('payload=%7B');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 200);
    });
    expect(await send(app.url, 'GET', '/healthz')).toBe(200);
    expect(app.child.exitCode).toBeNull();
  });
});

describe('stray requests to an app installed to any workspace', () => {
  let fake: FakeSlack;
  let app: Started;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    app = await startApp(fake, OAUTH_ENV);
  }, 90_000);

  afterAll(async () => {
    await stopApp(app);
    await fake.stop();
  });

  it('answers the install pages only to GET, and everything else with 404 or 405', async () => {
    expect(await send(app.url, 'GET', '/slack/install')).toBe(200);
    expect(await send(app.url, 'DELETE', '/slack/install')).toBe(405);
    expect(await send(app.url, 'PUT', '/slack/oauth_redirect')).toBe(405);
    for (const [method, path, status] of STRAYS.filter(([, p]) => p !== '/slack/install')) {
      expect([method, path, await send(app.url, method, path)]).toEqual([method, path, status]);
    }
    expect(await send(app.url, 'GET', '/healthz')).toBe(200);
    expect(app.child.exitCode).toBeNull();
  });
});
