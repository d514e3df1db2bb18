import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A database server of the test's own, which the test can stop and start again with its data kept. */
export interface RestartableDatabase {
  uri: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      const done = (result: boolean) => {
        socket.destroy();
        resolve(result);
      };
      socket.once('connect', () => done(true)).once('error', () => done(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`database did not listen on port ${port} within ${timeoutMs} ms`);
}

/** CI's FerretDB binary (exported by scripts/ferretdb.sh), on a port and SQLite directory of its own. */
async function ferretdb(bin: string): Promise<RestartableDatabase> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cards-outage-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null) return;
    child = spawn(
      bin,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        `--state-dir=${dir}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGKILL');
    });
  };
  await start();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Elsewhere, a mongod of its own from mongodb-memory-server, restarted on the same port and data. */
async function memoryServer(): Promise<RestartableDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create();
  return {
    uri: server.getUri(),
    stop: async () => void (await server.stop({ doCleanup: false, force: false })),
    start: async () => void (await server.start(true)),
    dispose: async () => void (await server.stop({ doCleanup: true, force: true })),
  };
}

export function startRestartableDatabase(): Promise<RestartableDatabase> {
  const bin = process.env.FERRETDB_BIN;
  return bin ? ferretdb(bin) : memoryServer();
}
