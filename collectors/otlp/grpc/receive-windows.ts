/**
 * Wider HTTP/2 receive windows for the gRPC door. HTTP/2 lets a client send
 * 64 KB per stream, and 64 KB per connection in all, before the server's
 * event loop reads the data and acknowledges it. A full OTLP batch is about
 * 300 KB, and the receiver's thread commits for milliseconds at a time, so
 * each export stalled several times waiting for that thread, and a few
 * concurrent exports shared 64 KB between them: with gRPC the daemon sat
 * idle a quarter of the time and committed 30–32k records/s where HTTP/1.1
 * (whose kernel socket buffers take the whole body) committed 40–45k.
 *
 * grpc-js has no option for a server's windows, so this wraps one grpc-js
 * internal (the method that creates its HTTP/2 servers) and widens each new
 * session with Node's public `Http2Session` API. A test checks the windows a
 * client is granted, so a grpc-js change that drops the hook fails loudly;
 * at run time the door then works as before, only slower.
 */
import type { Server } from '@grpc/grpc-js';
import type { Http2Server, ServerHttp2Session } from 'node:http2';

/** Bytes one call may send before the door reads them: a full batch, with room to spare. */
export const STREAM_RECEIVE_WINDOW_BYTES = 1024 * 1024;

/** Bytes all calls of one connection may have sent before the door reads them. */
export const CONNECTION_RECEIVE_WINDOW_BYTES = 4 * 1024 * 1024;

/** The grpc-js internal wrapped here; private in its typings. */
interface Http2ServerFactory {
  createHttp2Server?: (this: Server, ...args: unknown[]) => Http2Server;
}

/**
 * Makes every HTTP/2 session `server` opens from now on grant the wider
 * windows. Call before binding. Returns false (and changes nothing) when
 * this grpc-js no longer has the internal it wraps.
 */
export function widenReceiveWindows(server: Server): boolean {
  const factory = server as unknown as Http2ServerFactory;
  const create = factory.createHttp2Server;
  if (typeof create !== 'function') return false;
  factory.createHttp2Server = function (this: Server, ...args: unknown[]): Http2Server {
    const http2Server = create.apply(this, args);
    http2Server.on('session', widenSession);
    return http2Server;
  };
  return true;
}

function widenSession(session: ServerHttp2Session): void {
  try {
    session.setLocalWindowSize(CONNECTION_RECEIVE_WINDOW_BYTES);
    session.settings({ initialWindowSize: STREAM_RECEIVE_WINDOW_BYTES });
  } catch {
    // A session closed (or broken) before it was widened keeps the defaults; nothing is lost.
  }
}
