import { LogLevel, type Logger } from '@slack/bolt';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Slack tokens (xoxb-, xoxp-, xapp-…): whatever a library puts in a log line, a token never reaches the log. */
const SLACK_TOKEN = /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g;
const HOLDS_TOKEN = new RegExp(SLACK_TOKEN.source);

function redact(part: unknown): unknown {
  if (typeof part === 'string') return part.replace(SLACK_TOKEN, '$1-[redacted]');
  if (part instanceof Error && HOLDS_TOKEN.test(`${part.message}${part.stack ?? ''}`)) {
    const copy = new Error(String(redact(part.message)));
    copy.name = part.name;
    copy.stack = String(redact(part.stack ?? ''));
    return copy;
  }
  return part;
}

/** Bolt's Logger interface on the console; one format for our lines and Bolt's. */
export function createLogger(level: `${LogLevel}`, name = 'customer-cards'): Logger {
  let current = level as LogLevel;
  let label = name;
  const write = (at: LogLevel, out: (...a: unknown[]) => void) => (...msgs: unknown[]) => {
    if (ORDER[at] >= ORDER[current]) out(`${new Date().toISOString()} ${at.toUpperCase()} [${label}]`, ...msgs.map(redact));
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
