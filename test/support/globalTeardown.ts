export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __MONGO__?: { stop(): Promise<unknown> } }).__MONGO__;
  await server?.stop();
}
