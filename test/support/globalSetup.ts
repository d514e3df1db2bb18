/**
 * Tests use MONGODB_URI when it is set (CI starts FerretDB); otherwise one
 * mongodb-memory-server for the whole run. Each test file makes its own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) return;
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create();
  (globalThis as { __MONGO__?: unknown }).__MONGO__ = server;
  process.env.MONGODB_URI = server.getUri();
}
