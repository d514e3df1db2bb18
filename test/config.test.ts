import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv as parseDotEnv } from 'node:util';
import { ConfigError, parseEnv } from '../src/config/env.js';
import { findProjectDir, loadEnv } from '../src/config/loadEnv.js';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const valid = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('fills in the documented defaults', () => {
    expect(parseEnv(valid)).toMatchObject({
      PORT: 3000,
      DEFAULT_TIMEZONE: 'Asia/Shanghai',
      DEFAULT_NUDGE_HOUR: 9,
      DEFAULT_LOCALE: 'zh',
      FOLLOWUP_SCAN_SECONDS: 60,
      EMBEDDED_MONGO_DIR: '.data/mongo',
    });
  });

  it('names every problem at once', () => {
    expect(
      problems({
        SLACK_BOT_TOKEN: 'xapp-wrong-kind',
        PORT: 'eighty',
        DEFAULT_TIMEZONE: 'Mars/Olympus',
        DEFAULT_NUDGE_HOUR: '25',
        MONGODB_URI: 'postgres://x',
        NUDGE_CHANNEL_ID: '#sales',
      }),
    ).toEqual([
      'SLACK_BOT_TOKEN: must be a bot token starting with xoxb-',
      expect.stringMatching(/^PORT: /),
      'MONGODB_URI: must start with mongodb:// or mongodb+srv://',
      'DEFAULT_TIMEZONE: must be an IANA time zone such as Asia/Shanghai, got "Mars/Olympus"',
      expect.stringMatching(/^DEFAULT_NUDGE_HOUR: /),
      'NUDGE_CHANNEL_ID: must be a channel ID such as C0123456789, got "#sales"',
      'SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is not set)',
    ]);
  });

  it('says which variables are missing', () => {
    expect(problems({})).toEqual([
      'SLACK_BOT_TOKEN: is required',
      'SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is not set)',
    ]);
  });

  it('needs no signing secret in Socket Mode', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
  });

  describe('installing to any workspace (OAuth)', () => {
    const oauth = {
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret',
      ENCRYPTION_KEY: 'ab'.repeat(32),
    };

    it('needs no bot token when the OAuth settings are all there, and keeps data 30 days by default', () => {
      expect(problems(oauth)).toEqual([]);
      expect(parseEnv(oauth)).toMatchObject({ SLACK_CLIENT_ID: '1.2', DATA_RETENTION_DAYS: 30 });
      expect(parseEnv(oauth).SLACK_BOT_TOKEN).toBeUndefined();
    });

    it('names each missing OAuth setting', () => {
      expect(problems({ ...oauth, SLACK_STATE_SECRET: '', ENCRYPTION_KEY: undefined })).toEqual([
        'SLACK_STATE_SECRET: is required to install to any workspace (when SLACK_BOT_TOKEN is not set)',
        'ENCRYPTION_KEY: is required to install to any workspace (when SLACK_BOT_TOKEN is not set)',
      ]);
    });

    it('refuses a bot token together with the OAuth settings, and Socket Mode with OAuth', () => {
      expect(problems({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
        'SLACK_BOT_TOKEN: set it for one workspace, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, ENCRYPTION_KEY to install to any workspace, not both',
      ]);
      expect(problems({ ...oauth, SLACK_APP_TOKEN: 'xapp-1' })).toEqual([
        'SLACK_APP_TOKEN: installing to any workspace runs in HTTP mode; leave SLACK_APP_TOKEN empty',
      ]);
    });

    it('wants a 32-byte hex encryption key and never repeats the OAuth secrets', () => {
      const message = new ConfigError(problems({ ...oauth, ENCRYPTION_KEY: 'not-hex-key-secret' })).message;
      expect(message).toContain('ENCRYPTION_KEY: must be 32 bytes written as 64 hex digits');
      expect(message).not.toContain('not-hex-key-secret');
      expect(problems({ ...oauth, ENCRYPTION_KEY: 'ab'.repeat(31) })).toHaveLength(1);
    });
  });

  it('never echoes a secret value in its messages', () => {
    const message = new ConfigError(problems({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_SIGNING_SECRET: 's' }))
      .message;
    expect(message).not.toContain('xoxp-user-token-secret');
  });

  it.each(['', '   '])('takes an empty value (%j) for every variable as its default', (blank) => {
    const defaults = parseEnv(valid);
    const keys = Object.keys(defaults).filter((k) => !(k in valid));
    const blanks = Object.fromEntries(keys.map((k) => [k, blank]));
    expect(keys).toEqual(
      expect.arrayContaining(['PORT', 'DEFAULT_NUDGE_HOUR', 'DEFAULT_TIMEZONE', 'EMBEDDED_MONGO_DIR', 'LOG_LEVEL']),
    );
    expect(parseEnv({ ...valid, ...blanks })).toEqual(defaults);
    expect(
      parseEnv({ ...valid, SLACK_APP_TOKEN: blank, SLACK_API_URL: blank, MONGODB_URI: blank, NUDGE_CHANNEL_ID: blank }),
    ).toEqual(defaults);
  });

  it('treats an empty required value as missing', () => {
    expect(problems({ SLACK_BOT_TOKEN: ' ', SLACK_SIGNING_SECRET: '' })).toEqual([
      'SLACK_BOT_TOKEN: is required',
      'SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is not set)',
    ]);
  });

  it.each([
    ['PORT', 'abc', 'PORT: must be a whole number from 0 to 65535, got "abc"'],
    ['PORT', '65536', 'PORT: must be a whole number from 0 to 65535, got "65536"'],
    ['PORT', '80.5', 'PORT: must be a whole number from 0 to 65535, got "80.5"'],
    ['DEFAULT_NUDGE_HOUR', '9am', 'DEFAULT_NUDGE_HOUR: must be a whole number from 0 to 23, got "9am"'],
    ['DEFAULT_NUDGE_HOUR', '-1', 'DEFAULT_NUDGE_HOUR: must be a whole number from 0 to 23, got "-1"'],
    ['FOLLOWUP_SCAN_SECONDS', '0', 'FOLLOWUP_SCAN_SECONDS: must be a whole number from 1 to 86400, got "0"'],
    ['FOLLOWUP_SCAN_SECONDS', '1e3', 'FOLLOWUP_SCAN_SECONDS: must be a whole number from 1 to 86400, got "1e3"'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL: must be debug, info, warn or error, got "verbose"'],
    ['DEFAULT_LOCALE', 'fr', 'DEFAULT_LOCALE: must be zh or en, got "fr"'],
    ['SLACK_API_URL', 'slack', 'SLACK_API_URL: must be a URL such as https://slack.com/api/, got "slack"'],
  ])('reports a malformed %s (%j) as malformed, quoting it', (key, value, message) => {
    expect(problems({ ...valid, [key]: value })).toEqual([message]);
  });

  it.each([
    [
      'mongodb://127.0.0.1:99999/cards',
      'MONGODB_URI: the port of 127.0.0.1:99999 must be a whole number from 1 to 65535',
    ],
    [
      'mongodb://ann:s3cret@db1:27o17/cards',
      'MONGODB_URI: the port of db1:27o17 must be a whole number from 1 to 65535',
    ],
    [
      'mongodb://ann:s3cret@127.0.0.1:27017/my cards',
      'MONGODB_URI: the database name "my cards" is not one MongoDB accepts (no spaces or / \\ . " $ * < > : | ?, at most 63 bytes); use one such as customer-cards',
    ],
    [
      'mongodb://127.0.0.1/cards.v2?retryWrites=true',
      'MONGODB_URI: the database name "cards.v2" is not one MongoDB accepts (no spaces or / \\ . " $ * < > : | ?, at most 63 bytes); use one such as customer-cards',
    ],
    [
      'mongodb+srv://cluster0.example.net:27017/cards',
      'MONGODB_URI: a mongodb+srv:// address names one host and no port (the port comes from DNS)',
    ],
  ])('refuses MONGODB_URI %s before connecting, saying what is wrong and never the password', (uri, message) => {
    expect(problems({ ...valid, MONGODB_URI: uri })).toEqual([message]);
  });

  it.each([
    'mongodb://localhost',
    'mongodb://ann:p%40ss@db1:27017,db2:27018/客户卡?replicaSet=rs0',
    'mongodb+srv://ann:s3cret@cluster0.abcde.mongodb.net/?retryWrites=true',
    'mongodb://[::1]:27017/cards',
  ])('accepts MONGODB_URI %s', (uri) => {
    expect(problems({ ...valid, MONGODB_URI: uri })).toEqual([]);
  });

  it('reads surrounding spaces as no part of a value', () => {
    expect(parseEnv({ ...valid, PORT: ' 8080 ', LOG_LEVEL: ' debug' })).toMatchObject({
      PORT: 8080,
      LOG_LEVEL: 'debug',
    });
  });

  it(".env.example says what an empty ADMIN_USER_IDS means: the workspace's admins and owners, not nobody", () => {
    const text = readFileSync(join(projectDir, '.env.example'), 'utf8');
    const comment = text.slice(0, text.indexOf('ADMIN_USER_IDS=')).split('\n\n').at(-1)!;
    expect(comment).not.toMatch(/Empty: nobody/);
    expect(comment).toContain("Empty: only the workspace's admins and owners");
  });

  it('refuses the placeholders .env.example ships with, saying what to paste', () => {
    const example = parseDotEnv(readFileSync(join(projectDir, '.env.example'), 'utf8'));
    expect(problems(example)).toEqual([
      'SLACK_BOT_TOKEN: is still the placeholder from .env.example; paste the Bot User OAuth Token (OAuth & Permissions → Install to Workspace)',
      expect.stringMatching(/^SLACK_APP_TOKEN: is still the placeholder from \.env\.example; paste an app-level token/),
    ]);
  });

  it('refuses the bot token placeholder in HTTP mode too', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-your-bot-token', SLACK_SIGNING_SECRET: 's' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: is still the placeholder from \.env\.example; /),
    ]);
  });
});

describe('finding .env', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cards-project-'));
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('takes the project folder from where the code is, not from the working directory', () => {
    expect(findProjectDir(join(projectDir, 'src', 'config'))).toBe(projectDir);
    expect(findProjectDir(join(projectDir, 'dist', 'src', 'config'))).toBe(projectDir);
    mkdirSync(join(tmp, 'dist', 'src', 'config'), { recursive: true });
    writeFileSync(join(tmp, 'package.json'), '{}');
    expect(findProjectDir(join(tmp, 'dist', 'src', 'config'))).toBe(tmp);
  });

  it("reads the project's .env, with real environment variables winning", () => {
    writeFileSync(
      join(tmp, '.env'),
      'SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_SIGNING_SECRET=file-secret\nPORT=4000\nLOG_LEVEL=warn\n',
    );
    expect(process.cwd()).not.toBe(tmp);
    expect(loadEnv({ projectDir: tmp, environment: { LOG_LEVEL: 'debug' } })).toMatchObject({
      SLACK_BOT_TOKEN: 'xoxb-from-file',
      PORT: 4000,
      LOG_LEVEL: 'debug',
    });
  });

  it("keeps the embedded database in the project's folder unless told an absolute path", () => {
    const environment = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadEnv({ projectDir: tmp, environment }).EMBEDDED_MONGO_DIR).toBe(join(tmp, '.data', 'mongo'));
    expect(
      loadEnv({ projectDir: tmp, environment: { ...environment, EMBEDDED_MONGO_DIR: '/srv/cards' } })
        .EMBEDDED_MONGO_DIR,
    ).toBe('/srv/cards');
  });

  it('says where it looked when a problem remains', () => {
    const missing = () => loadEnv({ projectDir: tmp, environment: {} });
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(`no ${join(tmp, '.env')}; read from the environment only`);
    writeFileSync(join(tmp, '.env'), 'PORT=abc\n');
    expect(() => loadEnv({ projectDir: tmp, environment: {} })).toThrow(
      `read from ${join(tmp, '.env')} and the environment`,
    );
  });
});
