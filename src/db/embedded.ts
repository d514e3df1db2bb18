import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '@slack/bolt';
import { startMongoMemoryServer } from './memoryServer.js';
import { oneLine } from './startupMessages.js';

export interface EmbeddedMongo {
  uri: string;
  stop(): Promise<void>;
}

export class EmbeddedMongoError extends Error {}

/**
 * A local mongod from mongodb-memory-server whose data stays in `dir`, so
 * cards survive restarts. Only for trying the app out; production sets MONGODB_URI.
 */
export async function startEmbeddedMongo(dir: string, logger: Logger): Promise<EmbeddedMongo> {
  const dbPath = resolve(dir);
  mkdirSync(dbPath, { recursive: true });
  try {
    const server = await startMongoMemoryServer({ instance: { dbPath, storageEngine: 'wiredTiger' } }, (notice) =>
      logger.info(`MONGODB_URI is not set: ${notice}`),
    );
    logger.info(`MONGODB_URI is not set: using an embedded MongoDB with its data in ${dbPath}`);
    return { uri: server.getUri(), stop: async () => void (await server.stop({ doCleanup: false })) };
  } catch (error) {
    throw new EmbeddedMongoError(
      `MONGODB_URI is not set and the embedded MongoDB could not start (${oneLine((error as Error).message)}). ` +
        'Set MONGODB_URI to a MongoDB server, e.g. mongodb://127.0.0.1:27017/customer-cards',
    );
  }
}
