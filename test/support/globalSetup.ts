import { createRequire } from 'node:module';
import { MongoClient } from 'mongodb';

/**
 * Jest runs this file outside its module system, where the `.js` names our
 * TypeScript imports use do not resolve. So the few modules it needs are
 * required by their `.ts` names through Jest's transform; they import no module
 * of ours in turn.
 */
const load = createRequire(import.meta.url);
const { isDatabaseUnavailable } = load('../../src/db/errors.ts') as typeof import('../../src/db/errors.js');
const { startMongoMemoryServer } = load(
  '../../src/db/memoryServer.ts',
) as typeof import('../../src/db/memoryServer.js');
const messages = load('../../src/db/startupMessages.ts') as typeof import('../../src/db/startupMessages.js');
const { configuredMongoUri } = load('./mongoUri.ts') as typeof import('./mongoUri.js');

const REACHABLE_WITHIN_MS = 3000;

/** Jest prints a failed global setup's stack; this one's stack is just its message. */
function oneLineError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/** One connect and ping, so a dead MONGODB_URI fails the run once, in one line, instead of in every test. */
async function checkDatabase(uri: string): Promise<void> {
  let client: MongoClient | undefined;
  try {
    client = new MongoClient(uri, {
      serverSelectionTimeoutMS: REACHABLE_WITHIN_MS,
      connectTimeoutMS: REACHABLE_WITHIN_MS,
    });
    await client.connect();
    await client.db().command({ ping: 1 });
  } catch (error) {
    const reason = (error as Error).message;
    throw oneLineError(
      isDatabaseUnavailable(error)
        ? messages.databaseUnreachableMessage(uri, reason)
        : messages.databaseRefusedMessage(uri, reason),
    );
  } finally {
    await client?.close();
  }
}

/** Whether every host of the connection string is this machine (a seed list counts as remote). */
function isThisMachine(uri: string): boolean {
  if (uri.startsWith('mongodb+srv://')) return false;
  return messages
    .mongoHosts(uri)
    .split(',')
    .every((host) => /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i.test(host));
}

/**
 * Tests use MONGODB_URI when it is set, in the environment or `.env` (CI
 * starts FerretDB); otherwise one mongodb-memory-server for the whole run.
 * Each test file makes its own database.
 */
export default async function globalSetup(globalConfig: { rootDir: string }): Promise<void> {
  const uri = configuredMongoUri(globalConfig.rootDir, process.env);
  if (uri) {
    // Said before anything is created there: a shared or production server would get the test databases.
    if (!isThisMachine(uri)) {
      console.log(
        `npm test uses MONGODB_URI at ${messages.mongoHosts(uri)}, which is not this machine: each test file creates a database ` +
          'named cards_test_<random> there and drops it when done. Point MONGODB_URI at a server meant for tests.',
      );
    }
    await checkDatabase(uri);
    process.env.MONGODB_URI = uri;
    return;
  }
  try {
    const server = await startMongoMemoryServer({}, (notice) => console.log(`MONGODB_URI is not set: ${notice}`));
    (globalThis as { __MONGO__?: unknown }).__MONGO__ = server;
    process.env.MONGODB_URI = server.getUri();
  } catch (error) {
    throw oneLineError(
      `MONGODB_URI is not set and mongodb-memory-server could not start MongoDB (${messages.oneLine((error as Error).message)}). ` +
        'Set MONGODB_URI to a running MongoDB, or run `source scripts/ferretdb.sh && npm test`.',
    );
  }
}
