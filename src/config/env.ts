import { z } from 'zod';
import { isValidTimezone } from '../time.js';

/** What MongoDB refuses in a database name (on any server OS), besides being empty or over 63 bytes. */
const BAD_DATABASE_NAME = /[/\\. "$*<>:|?\0]/;

/**
 * What is wrong with a connection string that has the right scheme, found
 * before connecting (the driver's own words are "Unable to parse … with URL"
 * or "Invalid namespace specified"). Names only hosts and the database, never
 * the user or password.
 */
function mongoUriProblem(uri: string): string | undefined {
  // A wrong scheme is the regex's to report.
  if (!/^mongodb(\+srv)?:\/\//.test(uri)) return undefined;
  const rest = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const afterCredentials = rest.slice(rest.lastIndexOf('@') + 1);
  const [hostList = '', pathAndQuery = ''] = afterCredentials.split(/\/(.*)/s, 2);
  const hosts = hostList.split('?')[0]!.split(',');
  if (hosts.some((h) => h === '')) return 'names no host; write it as mongodb://host:27017/customer-cards';
  for (const host of hosts) {
    const port = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(host)?.[1];
    if (port !== undefined && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
      return `the port of ${host} must be a whole number from 1 to 65535`;
    }
  }
  if (uri.startsWith('mongodb+srv://') && (hosts.length > 1 || hosts[0]!.includes(':'))) {
    return 'a mongodb+srv:// address names one host and no port (the port comes from DNS)';
  }
  let database = pathAndQuery.split('?')[0]!;
  try {
    database = decodeURIComponent(database);
  } catch {
    return 'its database name is not valid percent-encoding';
  }
  if (database && (BAD_DATABASE_NAME.test(database) || Buffer.byteLength(database) > 63)) {
    return `the database name ${JSON.stringify(database)} is not one MongoDB accepts (no spaces or / \\ . " $ * < > : | ?, at most 63 bytes); use one such as customer-cards`;
  }
  return undefined;
}

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .refine(
      (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max,
      `must be a whole number from ${min} to ${max}`,
    )
    .transform(Number);

/**
 * Every setting the app reads from the environment; nothing else touches `process.env`.
 * Values arrive trimmed, with empty ones removed, so an empty value means the default.
 */
const EnvSchema = z.object({
  /** Single-workspace mode; leave it out to install to any workspace through OAuth (SLACK_CLIENT_ID…). */
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
  SLACK_CLIENT_ID: z.string().optional(),
  SLACK_CLIENT_SECRET: z.string().optional(),
  SLACK_STATE_SECRET: z.string().optional(),
  /** Encrypts installed workspaces' bot tokens at rest (AES-256-GCM). */
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 32 bytes written as 64 hex digits (openssl rand -hex 32)')
    .optional(),
  /** Days an uninstalled workspace's data is kept before it is deleted. */
  DATA_RETENTION_DAYS: wholeNumber(0, 3650).default(30),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
  SLACK_API_URL: z.url('must be a URL such as https://slack.com/api/').optional(),
  PORT: wholeNumber(0, 65535).default(3000),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .superRefine((uri, ctx) => {
      const problem = mongoUriProblem(uri);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  EMBEDDED_MONGO_DIR: z.string().default('.data/mongo'),
  DEFAULT_TIMEZONE: z
    .string()
    .refine(isValidTimezone, 'must be an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  DEFAULT_NUDGE_HOUR: wholeNumber(0, 23).default(9),
  DEFAULT_LOCALE: z.enum(['zh', 'en'], 'must be zh or en').default('zh'),
  NUDGE_CHANNEL_ID: z
    .string()
    .regex(/^[CGD][A-Z0-9]+$/, 'must be a channel ID such as C0123456789')
    .optional(),
  FINANCE_USER_ID: z
    .string()
    .regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user ID such as U0123456789')
    .optional(),
  MANAGER_USER_ID: z
    .string()
    .regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user ID such as U0123456789')
    .optional(),
  FOLLOWUP_SCAN_SECONDS: wholeNumber(1, 86400).default(60),
  /** Team-local hour from which the nightly segmentation runs. */
  SEGMENT_HOUR: wholeNumber(0, 23).default(2),
  /** Team-local hour when each salesperson with something to do gets the daily wrap-up. */
  WRAPUP_HOUR: wholeNumber(0, 23).default(18),
  /** Who may run admin commands such as `/card segments refresh`: Slack user IDs, comma-separated. */
  ADMIN_USER_IDS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .refine(
      (ids) => ids.every((id) => /^[UW][A-Z0-9]+$/.test(id)),
      'must be Slack user IDs such as U0123456789, separated by commas',
    )
    .default([]),
  /** More nudges than this due for one channel in one scan go out as one digest (default domain.nudges.digestAbove). */
  DIGEST_ABOVE: wholeNumber(1, 1000).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], 'must be debug, info, warn or error').default('info'),
});

export type Env = z.infer<typeof EnvSchema>;
type Key = keyof Env;

const KEYS = Object.keys(EnvSchema.shape) as Key[];

/** Never repeated in a message: tokens, the signing secret, and a URI that may carry a password. */
const SECRET = new Set<Key>([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MONGODB_URI',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'ENCRYPTION_KEY',
]);

const OAUTH_KEYS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'ENCRYPTION_KEY'] as const;

/** Installed to any workspace through Slack's OAuth, each served with its own stored token. */
/** What the log must never show: every secret the environment holds. */
export function secretsOf(env: Readonly<Env>): (string | undefined)[] {
  return [
    env.SLACK_BOT_TOKEN,
    env.SLACK_APP_TOKEN,
    env.SLACK_SIGNING_SECRET,
    env.SLACK_CLIENT_SECRET,
    env.SLACK_STATE_SECRET,
    env.ENCRYPTION_KEY,
  ];
}

export function isOAuthMode(env: Readonly<Env>): boolean {
  return env.SLACK_BOT_TOKEN === undefined;
}

/** The values .env.example ships with, and where the real value is found. */
const PLACEHOLDERS: Partial<Record<Key, { value: string; instead: string }>> = {
  SLACK_BOT_TOKEN: {
    value: 'xoxb-your-bot-token',
    instead: 'paste the Bot User OAuth Token (OAuth & Permissions → Install to Workspace)',
  },
  SLACK_APP_TOKEN: {
    value: 'xapp-your-app-token',
    instead:
      'paste an app-level token with connections:write (Basic Information → App-Level Tokens), or leave it empty for HTTP mode',
  },
};

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    /** Where the values were read from, when that helps to find the one to fix. */
    source?: string,
  ) {
    super(`Invalid configuration${source ? ` (${source})` : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Trimmed values of the keys the schema knows; empty ones are left out so that they take their default. */
function present(source: Record<string, string | undefined>): Partial<Record<Key, string>> {
  const values: Partial<Record<Key, string>> = {};
  for (const key of KEYS) {
    const value = source[key]?.trim();
    if (value) values[key] = value;
  }
  return values;
}

/** Parses an environment map; throws a ConfigError naming every problem at once. */
export function parseEnv(source: Record<string, string | undefined>): Readonly<Env> {
  const values = present(source);
  const result = EnvSchema.safeParse(values);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => describeIssue(issue, values))),
    ...placeholderProblems(values),
    ...modeProblems(values),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(result.data);
}

function describeIssue(issue: z.core.$ZodIssue, values: Partial<Record<Key, string>>): string {
  const key = issue.path[0] as Key | undefined;
  if (key === undefined) return `environment: ${issue.message}`;
  const value = values[key];
  if (value === undefined) return `${key}: is required`;
  return SECRET.has(key) ? `${key}: ${issue.message}` : `${key}: ${issue.message}, got ${JSON.stringify(value)}`;
}

function placeholderProblems(values: Partial<Record<Key, string>>): string[] {
  return Object.entries(PLACEHOLDERS)
    .filter(([key, placeholder]) => values[key as Key] === placeholder.value)
    .map(([key, placeholder]) => `${key}: is still the placeholder from .env.example; ${placeholder.instead}`);
}

/** Checked on the raw input so it is reported alongside every other problem. */
function modeProblems(values: Partial<Record<Key, string>>): string[] {
  const http =
    values.SLACK_APP_TOKEN || values.SLACK_SIGNING_SECRET
      ? []
      : ['SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is not set)'];
  return [...oauthProblems(values), ...http];
}

/** One workspace with SLACK_BOT_TOKEN, or any workspace with the OAuth settings: never both, never neither. */
function oauthProblems(values: Partial<Record<Key, string>>): string[] {
  const given = OAUTH_KEYS.filter((key) => values[key]);
  if (values.SLACK_BOT_TOKEN) {
    return given.some((key) => key !== 'ENCRYPTION_KEY')
      ? [`SLACK_BOT_TOKEN: set it for one workspace, or ${OAUTH_KEYS.join(', ')} to install to any workspace, not both`]
      : [];
  }
  // Without any OAuth setting this is the single-workspace setup missing its token.
  if (given.length === 0) return ['SLACK_BOT_TOKEN: is required'];
  const missing = OAUTH_KEYS.filter((key) => !values[key]).map(
    (key) => `${key}: is required to install to any workspace (when SLACK_BOT_TOKEN is not set)`,
  );
  const socket = values.SLACK_APP_TOKEN
    ? ['SLACK_APP_TOKEN: installing to any workspace runs in HTTP mode; leave SLACK_APP_TOKEN empty']
    : [];
  return [...missing, ...socket];
}
