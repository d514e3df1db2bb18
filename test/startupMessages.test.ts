import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApplication } from '../src/application.js';
import { parseEnv } from '../src/config/env.js';
import { isDatabaseUnavailable } from '../src/db/errors.js';
import { databaseRefusedMessage, databaseUnreachableMessage, mongoHosts } from '../src/db/startupMessages.js';
import { FakeSlack } from './support/fakeSlack.js';
import { configuredMongoUri } from './support/mongoUri.js';

describe('what start-up says about MONGODB_URI', () => {
  it.each([
    ['mongodb://127.0.0.1:27017/customer-cards', '127.0.0.1:27017'],
    ['mongodb://localhost', 'localhost'],
    ['mongodb://ann:s3cret@db1:27017,db2:27017/cards?replicaSet=rs0', 'db1:27017,db2:27017'],
    [
      'mongodb+srv://ann:s3cret@cluster0.abcde.mongodb.net/?retryWrites=true&appName=Cluster0',
      'cluster0.abcde.mongodb.net',
    ],
    ['mongodb://ann:pa/ss?w@rd@db1/cards', 'db1'],
  ])('names the hosts of %s and nothing else', (uri, hosts) => {
    expect(mongoHosts(uri)).toBe(hosts);
  });

  it('says in one line which server, why, and what to do, without the password', () => {
    const uri = 'mongodb://ann:s%40cret@db1:27017/cards';
    const message = databaseUnreachableMessage(
      uri,
      'connect ECONNREFUSED db1:27017\n    at connect (net.js:1:1) ann:s@cret',
    );
    expect(message).toBe(
      'Cannot reach MongoDB at db1:27017 from MONGODB_URI (connect ECONNREFUSED db1:27017 at connect (net.js:1:1) ann:***). ' +
        'Start that server, set MONGODB_URI to one that runs, leave MONGODB_URI empty for an embedded MongoDB, ' +
        'or run `source scripts/ferretdb.sh` first.',
    );
    expect(databaseRefusedMessage(uri, 'Authentication failed for ann:s%40cret')).toBe(
      'MongoDB at db1:27017 from MONGODB_URI refused the connection (Authentication failed for ***). ' +
        'Check the user, password and options in MONGODB_URI.',
    );
  });

  it('gets an error it recognises as "unreachable" when the server is not there', async () => {
    const slack = new FakeSlack();
    await slack.start();
    const env = parseEnv({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'error',
    });
    const started = Date.now();
    const error = await createApplication({ env, mongoUri: 'mongodb://127.0.0.1:1/cards' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await slack.stop();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('MONGODB_URI for the tests', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cards-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is read from the project's .env when the environment has none, and only it", () => {
    writeFileSync(join(dir, '.env'), 'SLACK_BOT_TOKEN=xoxb-x\nMONGODB_URI=mongodb://from-dotenv:27017/\n');
    const env: NodeJS.ProcessEnv = {};
    expect(configuredMongoUri(dir, env)).toBe('mongodb://from-dotenv:27017/');
    expect(env).toEqual({});
  });

  it('comes from the environment first, even when blank, like the app', () => {
    writeFileSync(join(dir, '.env'), 'MONGODB_URI=mongodb://from-dotenv:27017/\n');
    expect(configuredMongoUri(dir, { MONGODB_URI: 'mongodb://from-env:27017/' })).toBe('mongodb://from-env:27017/');
    expect(configuredMongoUri(dir, { MONGODB_URI: '' })).toBeUndefined();
  });

  it('is unset when neither has one, or .env leaves it blank', () => {
    expect(configuredMongoUri(dir, {})).toBeUndefined();
    writeFileSync(join(dir, '.env'), 'MONGODB_URI=\n');
    expect(configuredMongoUri(dir, {})).toBeUndefined();
  });
});
