import { LogLevel, type Logger } from '@slack/bolt';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Bolt's Logger interface on the console; one format for our lines and Bolt's. */
export function createLogger(level: `${LogLevel}`, name = 'customer-cards'): Logger {
  let current = level as LogLevel;
  let label = name;
  const write = (at: LogLevel, out: (...a: unknown[]) => void) => (...msgs: unknown[]) => {
    if (ORDER[at] >= ORDER[current]) out(`${new Date().toISOString()} ${at.toUpperCase()} [${label}]`, ...msgs);
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
