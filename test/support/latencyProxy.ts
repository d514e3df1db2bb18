import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP proxy on loopback in front of the database: while `delayMs` is set,
 * every chunk the server sends back waits that long, as on a loaded machine
 * or a distant database, so a save takes as long as a test needs it to.
 */
export class LatencyProxy {
  delayMs = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  /** A proxy for the database in `uri` (mongodb://host:port/…); `uri()` gives the same URI through it. */
  static async for(uri: string): Promise<LatencyProxy> {
    const { hostname, port } = new URL(uri);
    const proxy = new LatencyProxy({ host: hostname, port: Number(port || 27017) });
    await proxy.start();
    return proxy;
  }

  uri(original: string): string {
    const url = new URL(original);
    url.host = `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return url.toString();
  }

  private async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (this.delayMs === 0) return void client.write(chunk);
        upstream.pause();
        setTimeout(() => {
          client.write(chunk);
          upstream.resume();
        }, this.delayMs);
      });
      upstream.on('end', () => client.end());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
