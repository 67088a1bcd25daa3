/**
 * Free loopback ports for the daemon's TCP doors. The daemon must be told
 * its ports up front (the CLI's settings name them), so the test asks the
 * kernel for free ones and hands them over; ports are never reused within a
 * run, which keeps two scenarios from racing for one.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

const handedOut = new Set<number>();

function oneFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `count` distinct ports that were free a moment ago and were not handed out before in this process. */
export async function freePorts(count: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < count) {
    const port = await oneFreePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    out.push(port);
  }
  return out;
}
