import { Harness, type HarnessOptions } from './harness.js';
import { startRestartableDatabase, type RestartableDatabase } from './restartableDatabase.js';

export interface HarnessSetup {
  /**
   * After each test, expect the fake Slack to have refused nothing real Slack would (Block Kit limits included). On
   * unless false.
   */
  checkPayloads?: boolean;
  /**
   * And that the app logged no warning or error in that test: the lines are taken, so one test's warnings fail that
   * test alone.
   */
  checkLogs?: boolean;
  /** How long starting may take, when longer than a test may. */
  timeout?: number;
  /**
   * Stops the harness in afterAll; a file that started something for it (a database, a proxy) wraps `stopHarness` with
   * that.
   */
  stop?: (stopHarness: () => Promise<void>) => Promise<void>;
}

/**
 * The setup every test file shares: starts a Harness in beforeAll (with
 * `options`, or what `options()` resolves to once what it needs has started),
 * stops it in afterAll, and checks after each test what `setup` says.
 * Returns the harness, to be used inside tests and hooks: until it has
 * started, using it throws.
 */
export function useHarness(
  options: HarnessOptions | (() => HarnessOptions | Promise<HarnessOptions>) = {},
  setup: HarnessSetup = {},
): Harness {
  let started: Harness | undefined;
  const current = (): Harness => {
    if (!started) throw new Error('the harness is used before beforeAll started it');
    return started;
  };

  beforeAll(async () => {
    started = await Harness.start(typeof options === 'function' ? await options() : options);
  }, setup.timeout);

  afterAll(async () => {
    const harness = current();
    const stopHarness = () => harness.stop();
    await (setup.stop ? setup.stop(stopHarness) : stopHarness());
  });

  if (setup.checkPayloads !== false || setup.checkLogs) {
    afterEach(() => {
      if (setup.checkPayloads !== false) expect(current().fake.invalidPayloads).toEqual([]);
      if (setup.checkLogs) expect(current().logs.splice(0)).toEqual([]);
    });
  }

  // Stands for the harness beforeAll starts: what a test reads or sets on it, it reads or sets on that one.
  return new Proxy({} as Harness, {
    get: (_, key) => Reflect.get(current(), key),
    set: (_, key, value) => Reflect.set(current(), key, value),
    has: (_, key) => Reflect.has(current(), key),
  });
}

/**
 * useHarness on a database server of the file's own, which its tests may stop
 * and start again: started before the harness; started again, if a test left
 * it stopped, before the harness drops its data; disposed of after.
 */
export function useHarnessOnRestartableDatabase(
  options: HarnessOptions,
  setup: HarnessSetup = {},
): { h: Harness; database: RestartableDatabase } {
  let started: RestartableDatabase | undefined;
  const current = (): RestartableDatabase => {
    if (!started) throw new Error('the database is used before beforeAll started it');
    return started;
  };
  const database: RestartableDatabase = {
    get uri() {
      return current().uri;
    },
    stop: () => current().stop(),
    start: () => current().start(),
    dispose: () => current().dispose(),
  };
  const h = useHarness(
    async () => {
      started = await startRestartableDatabase();
      return { ...options, mongoUri: started.uri };
    },
    {
      ...setup,
      stop: async (stopHarness) => {
        await database.start().catch(() => undefined);
        await stopHarness();
        await database.dispose();
      },
    },
  );
  return { h, database };
}
