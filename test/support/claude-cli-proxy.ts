/**
 * A local "proxy" that refuses every connection by resetting it at once.
 * The CLI is pointed at it through HTTPS_PROXY/HTTP_PROXY so that whatever it
 * tries to reach besides the mock fails immediately instead of hanging on a
 * network that is not there; the count of attempts is kept for the report.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A running refusing proxy. */
export interface RefusingProxy {
  /** `http://127.0.0.1:<port>`, for HTTPS_PROXY/HTTP_PROXY. */
  readonly url: string;
  /** Connections refused so far (the CLI's egress attempts). */
  connections(): number;
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port. */
export async function startRefusingProxy(): Promise<RefusingProxy> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
