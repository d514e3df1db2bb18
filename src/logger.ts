import { LogLevel, type Logger } from '@slack/bolt';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Slack tokens (xoxb-, xoxp-, xapp-…): whatever a library puts in a log line, a token never reaches the log. */
const SLACK_TOKEN = /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g;
const HOLDS_TOKEN = new RegExp(SLACK_TOKEN.source);

/** Secrets shorter than this are not looked for: they would blank ordinary words. */
const MIN_SECRET_LENGTH = 8;

function redactor(secrets: readonly string[]) {
  const text = (value: string) =>
    secrets.reduce((v, secret) => v.split(secret).join('[redacted]'), value.replace(SLACK_TOKEN, '$1-[redacted]'));
  const holds = (value: string) => HOLDS_TOKEN.test(value) || secrets.some((secret) => value.includes(secret));
  return (part: unknown): unknown => {
    if (typeof part === 'string') return text(part);
    if (part instanceof Error && holds(`${part.message}${part.stack ?? ''}`)) {
      const copy = new Error(text(part.message));
      copy.name = part.name;
      copy.stack = text(part.stack ?? '');
      return copy;
    }
    return part;
  };
}

/**
 * Bolt's Logger interface on the console; one format for our lines and
 * Bolt's. `secrets` (the signing and client secrets…) are blanked wherever
 * they appear: at debug, Slack's Web API client logs each request's body,
 * and the installer's oauth.v2.access carries the client secret.
 */
export function createLogger(
  level: `${LogLevel}`,
  secrets: readonly (string | undefined)[] = [],
  name = 'customer-cards',
): Logger {
  let current = level as LogLevel;
  let label = name;
  const redact = redactor(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH));
  const write =
    (at: LogLevel, out: (...a: unknown[]) => void) =>
    (...msgs: unknown[]) => {
      if (ORDER[at] >= ORDER[current])
        out(`${new Date().toISOString()} ${at.toUpperCase()} [${label}]`, ...msgs.map(redact));
    };
  return {
    debug: write(LogLevel.DEBUG, console.debug),
    info: write(LogLevel.INFO, console.info),
    warn: write(LogLevel.WARN, console.warn),
    error: write(LogLevel.ERROR, console.error),
    setLevel: (l) => void (current = l),
    getLevel: () => current,
    setName: (n) => void (label = n),
  };
}
