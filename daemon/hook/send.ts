/**
 * Sends one hook call to the daemon: `POST /v1/hooks/{framework}` over the
 * Unix socket, the payload bytes as the body and the forwarder's facts as
 * headers. One deadline covers connect, send and reply, because the agent
 * waits for the hook the whole time.
 *
 * The request is written by hand on a `node:net` socket (already loaded for
 * the stdin pipe) rather than through `node:http`, whose client machinery
 * costs a forwarder run several milliseconds to load; only the reply's
 * status line is read, since the daemon sends it after the commit.
 */
import { connect } from 'node:net';
import { metaToHeaders, type ForwardedMeta } from '../../collectors/hooks/wire.js';

/**
 * `delivered`: committed (2xx). `refused`: the daemon said the call itself is
 * bad (4xx other than 429); spooling it would only fail again.
 * `unavailable`: no daemon, a timeout, 429 or 5xx: spool it.
 */
export type SendOutcome = 'delivered' | 'refused' | 'unavailable';

/** Where and how long. */
export interface SendTarget {
  socket: string;
  framework: string;
  timeoutMs: number;
}

/** Posts the call and resolves its outcome; never rejects. */
export function sendHookCall(target: SendTarget, body: Buffer, meta: ForwardedMeta): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let reply = '';
    const socket = connect(target.socket);
    const finish = (outcome: SendOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('unavailable'), target.timeoutMs);
    socket.once('connect', () => socket.write(Buffer.concat([Buffer.from(requestHead(target.framework, body.length, meta), 'latin1'), body])));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      const end = reply.indexOf('\r\n');
      if (end < 0) return reply.length > 1024 ? finish('unavailable') : undefined;
      finish(outcomeOf(reply.slice(0, end)));
    });
    socket.once('error', () => finish('unavailable'));
    socket.once('close', () => finish('unavailable'));
  });
}

/** The request line and headers. Header values are ASCII: meta encodes anything else. */
function requestHead(framework: string, length: number, meta: ForwardedMeta): string {
  const headers: Record<string, string> = {
    host: 'localhost',
    'content-type': 'application/json',
    'content-length': String(length),
    connection: 'close',
    ...metaToHeaders(meta),
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `POST /v1/hooks/${encodeURIComponent(framework)} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

/** Maps `HTTP/1.1 200 OK` to an outcome. */
function outcomeOf(statusLine: string): SendOutcome {
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 400 && status < 500 && status !== 429) return 'refused';
  return 'unavailable';
}
