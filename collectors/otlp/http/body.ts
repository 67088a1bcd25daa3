/**
 * Reading an HTTP request body under a size bound, sized or chunked, and
 * gunzipping it under the same bound (a zip bomb stops at the bound, it is
 * never inflated in full).
 */
import type { IncomingMessage } from 'node:http';
import { gunzip, gunzipSync } from 'node:zlib';

/** Why a body could not be read, with the HTTP status to answer. */
export class BodyError extends Error {
  readonly status: 400 | 413 | 415;
  constructor(status: 400 | 413 | 415, message: string) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
  }
}

/** Compressed bodies up to this size are inflated inline; larger ones on the thread pool. */
const INLINE_GUNZIP_BYTES = 64 * 1024;

/** Reads the whole body (at most `maxBytes`), decompressing `Content-Encoding: gzip`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new BodyError(415, `Content-Encoding ${encoding} is not supported (use gzip or none)`);
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new BodyError(413, `body of ${declared} bytes exceeds the ${maxBytes}-byte bound`);
  }
  const raw = await collect(req, maxBytes);
  return encoding === 'identity' ? raw : inflate(raw, maxBytes);
}

function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        // Stop reading: the sender is told 413 and the connection is closed after the answer.
        req.pause();
        reject(new BodyError(413, `body exceeds the ${maxBytes}-byte bound`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new BodyError(400, `body could not be read: ${err.message}`));
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

async function inflate(compressed: Buffer, maxBytes: number): Promise<Buffer> {
  try {
    if (compressed.length <= INLINE_GUNZIP_BYTES) return gunzipSync(compressed, { maxOutputLength: maxBytes });
    return await new Promise<Buffer>((resolve, reject) => {
      gunzip(compressed, { maxOutputLength: maxBytes }, (err, out) => (err ? reject(err) : resolve(out)));
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new BodyError(413, `decompressed body exceeds the ${maxBytes}-byte bound`);
    }
    throw new BodyError(400, `gzip body is corrupt or truncated: ${e.message}`);
  }
}
