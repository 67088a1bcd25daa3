/**
 * Sends one hook call to the daemon: `POST /v1/hooks/{framework}` over the
 * Unix socket, the payload bytes as the body and the forwarder's facts as
 * headers. One deadline covers connect, send and reply, because the agent
 * waits for the hook the whole time.
 */
import { request } from 'node:http';
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
    const finish = (outcome: SendOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request(
      {
        socketPath: target.socket,
        method: 'POST',
        path: `/v1/hooks/${encodeURIComponent(target.framework)}`,
        headers: {
          ...metaToHeaders(meta),
          'content-type': 'application/json',
          'content-length': String(body.length),
          connection: 'close',
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        finish(status >= 200 && status < 300 ? 'delivered' : status >= 400 && status < 500 && status !== 429 ? 'refused' : 'unavailable');
      },
    );
    const timer = setTimeout(() => {
      finish('unavailable');
      req.destroy();
    }, target.timeoutMs);
    req.on('error', () => finish('unavailable'));
    req.end(body);
  });
}
