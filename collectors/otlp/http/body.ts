/**
 * Reading an HTTP request body under a size bound, sized or chunked, and
 * gunzipping it under the same bound (a zip bomb stops at the bound, it is
 * never inflated in full).
 */
import type { IncomingMessage } from 'node:http';
import { gunzip, gunzipSync } from 'node:zlib';

/** Why a body could not be read, with the HTTP status to answer (429: the receiver holds too many bytes right now). */
export class BodyError extends Error {
  readonly status: 400 | 413 | 415 | 429;
  constructor(status: 400 | 413 | 415 | 429, message: string) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
  }
}

/** Compressed bodies up to this size are inflated inline; larger ones on the thread pool. */
const INLINE_GUNZIP_BYTES = 64 * 1024;

/** A shared allowance of bytes held at once; `take` answers false when it is spent. */
export interface ByteBudget {
  take(bytes: number): boolean;
}

/**
 * Reads the whole body (at most `maxBytes`), decompressing `Content-Encoding:
 * gzip`. Every byte held (raw, then inflated) is taken from `budget` first;
 * the caller gives back what was taken.
 */
export async function readBody(req: IncomingMessage, maxBytes: number, budget: ByteBudget): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new BodyError(415, `Content-Encoding ${encoding} is not supported (use gzip or none)`);
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new BodyError(413, `body of ${declared} bytes exceeds the ${maxBytes}-byte bound`);
  }
  const raw = await collect(req, maxBytes, budget);
  if (encoding === 'identity') return raw;
  const inflated = await inflate(raw, maxBytes);
  if (!budget.take(inflated.length)) throw busy();
  return inflated;
}

function busy(): BodyError {
  return new BodyError(429, 'the receiver holds too many request bytes right now; retry later');
}

function collect(req: IncomingMessage, maxBytes: number, budget: ByteBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      const refusal = size > maxBytes ? new BodyError(413, `body exceeds the ${maxBytes}-byte bound`) : budget.take(chunk.length) ? null : busy();
      if (refusal) {
        cleanup();
        // Stop reading: the sender gets the answer and the connection is closed after it.
        req.pause();
        reject(refusal);
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
