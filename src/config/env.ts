import { z } from 'zod';
import { isValidTimezone } from '../time.js';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Every setting the app reads from the environment; nothing else touches `process.env`. */
const EnvSchema = z.object({
    SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must be a bot token starting with xoxb-'),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.pipe(
      z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
    ),
    SLACK_API_URL: optionalText.pipe(z.url('must be a URL such as https://slack.com/api/').optional()),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    MONGODB_URI: optionalText.pipe(
      z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
    ),
    EMBEDDED_MONGO_DIR: z.string().trim().min(1).default('.data/mongo'),
    DEFAULT_TIMEZONE: z
      .string()
      .trim()
      .default('Asia/Shanghai')
      .refine(isValidTimezone, 'must be an IANA time zone such as Asia/Shanghai'),
    DEFAULT_NUDGE_HOUR: z.coerce.number().int().min(0).max(23).default(9),
    DEFAULT_LOCALE: z.enum(['zh', 'en']).default('zh'),
    NUDGE_CHANNEL_ID: optionalText.pipe(
      z.string().regex(/^[CGD][A-Z0-9]+$/, 'must be a channel ID such as C0123456789').optional(),
    ),
    FOLLOWUP_SCAN_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment map; throws a ConfigError naming every problem at once. */
export function parseEnv(source: Record<string, string | undefined>): Readonly<Env> {
  const result = EnvSchema.safeParse(source);
  const problems = [
    ...(result.success ? [] : result.error.issues.map(describeIssue)),
    ...modeProblems(source),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(result.data);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.join('.') || 'environment';
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return `${key}: ${missing ? 'is required' : issue.message}`;
}

/** Checked on the raw input so it is reported alongside every other problem. */
function modeProblems(source: Record<string, string | undefined>): string[] {
  const isSet = (key: string) => (source[key] ?? '').trim() !== '';
  return isSet('SLACK_APP_TOKEN') || isSet('SLACK_SIGNING_SECRET')
    ? []
    : ['SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is not set)'];
}
