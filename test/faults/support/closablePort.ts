import net from 'node:net';
import { freePort } from '../../support/freePort';

/**
 * A loopback port in front of a server that a test can close outright (connections are refused: ECONNREFUSED,
 * as when a service is down) and open again on the same number. Unlike `tcpProxy`'s cut, which accepts and then
 * resets, a refused connection proves the client never sent a byte.
 */
export interface ClosablePort {
  readonly port: number;
  /** `url` with its host and port replaced by this port's. */
  route(url: string): string;
  close(): Promise<void>;
  open(): Promise<void>;
  /** Connections forwarded since the port was created. */
  forwarded(): number;
  dispose(): Promise<void>;
}

export async function startClosablePort(
  target: { host: string; port: number },
  initially: 'open' | 'closed',
): Promise<ClosablePort> {
  const sockets = new Set<net.Socket>();
  let forwarded = 0;
  let server: net.Server | undefined;
  const port = await freePort();

  const listen = async () => {
    const s = net.createServer((client) => {
      forwarded++;
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    server = s;
  };
  const shut = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  if (initially === 'open') await listen();

  return {
    port,
    route(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString().replace(/\/$/, '');
    },
    close: shut,
    async open() {
      if (!server) await listen();
    },
    forwarded: () => forwarded,
    dispose: shut,
  };
}

export { freePort };
