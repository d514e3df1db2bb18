import { createApplication } from './application.js';
import { ConfigError, isOAuthMode, secretsOf } from './config/env.js';
import { loadEnv } from './config/loadEnv.js';
import { EmbeddedMongoError, startEmbeddedMongo, type EmbeddedMongo } from './db/embedded.js';
import { isDatabaseUnavailable } from './db/errors.js';
import {
  databaseNotFoundMessage,
  databaseUnreachableMessage,
  isHostNotFound,
  portUnavailableMessage,
} from './db/startupMessages.js';
import { createLogger } from './logger.js';

/** Start-up problems a user can fix get one clear message and exit code 1, no stack trace. */
function exitWith(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) exitWith(`${error.message}\nSee .env.example for every setting.`);
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL, secretsOf(env));
  // A promise nobody awaited must not take every request down with it: log it and keep serving.
  // A thrown exception still ends the process (Node's default), as its state can no longer be trusted.
  process.on('unhandledRejection', (reason) =>
    logger.error(
      `unhandled rejection (kept running): ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`,
    ),
  );
  let embedded: EmbeddedMongo | undefined;
  if (!env.MONGODB_URI) {
    try {
      embedded = await startEmbeddedMongo(env.EMBEDDED_MONGO_DIR, logger);
    } catch (error) {
      if (error instanceof EmbeddedMongoError) exitWith(error.message);
      throw error;
    }
  }
  const application = await createApplication({ env, mongoUri: env.MONGODB_URI ?? embedded!.uri, logger }).catch(
    async (error: unknown) => {
      await embedded?.stop().catch(() => undefined);
      if (env.MONGODB_URI && isDatabaseUnavailable(error))
        exitWith(databaseUnreachableMessage(env.MONGODB_URI, (error as Error).message));
      if (env.MONGODB_URI && isHostNotFound(error))
        exitWith(databaseNotFoundMessage(env.MONGODB_URI, (error as Error).message));
      throw error;
    },
  );
  const { port } = await application.start().catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    // Nothing is listening to stop; the embedded database is, and keeps its data if left to exit.
    await embedded?.stop().catch(() => undefined);
    return exitWith(portUnavailableMessage(env.PORT, error.code));
  });
  const routes = isOAuthMode(env) ? '/slack/events; installs at /slack/install' : '/slack/events';
  logger.info(
    env.SLACK_APP_TOKEN
      ? 'customer cards running in Socket Mode'
      : `customer cards listening on port ${port} (${routes})`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing in-flight work, then stopping`);
    await application.stop();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: Error) => exitWith(`customer cards could not start: ${error.message}`));
