import type { MongoMemoryServer } from 'mongodb-memory-server';

// Imports only packages: test/support/globalSetup.ts loads it outside Jest's module system.

const LIBRARY_STACK_WARNING = 'Starting the MongoMemoryServer Instance failed';

/** The first start downloads MongoDB, which looks like a hang unless announced; undefined once it is there. */
async function downloadNotice(): Promise<string | undefined> {
  const { DryMongoBinary } = await import('mongodb-memory-server');
  try {
    const options = await DryMongoBinary.generateOptions();
    if (await DryMongoBinary.locateBinary(options)) return undefined;
    return `downloading MongoDB ${options.version} once (about 100 MB) to ${options.downloadDir} (MONGOMS_DOWNLOAD_DIR changes where)...`;
  } catch {
    return undefined; // create() meets the same problem and reports it
  }
}

/**
 * mongodb-memory-server, announcing its download first. It prints any start-up
 * error with the library's stack before rethrowing it; callers report it in one
 * line instead, so that print is dropped.
 */
export async function startMongoMemoryServer(
  options: Parameters<typeof MongoMemoryServer.create>[0],
  notify: (message: string) => void,
): Promise<MongoMemoryServer> {
  const { MongoMemoryServer: Server } = await import('mongodb-memory-server');
  const notice = await downloadNotice();
  if (notice) notify(notice);
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith(LIBRARY_STACK_WARNING)) warn(...args);
  };
  try {
    return await Server.create(options);
  } finally {
    console.warn = warn;
  }
}
