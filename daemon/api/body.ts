/**
 * Reads a request's JSON body within a size bound. The bound is enforced
 * while streaming, so an oversized body is refused without ever being held in
 * memory; a declared Content-Length over the bound is refused before reading.
 */
import type { IncomingMessage } from 'node:http';
import { DossierError } from '../../schema/index.js';

/** Media types accepted as JSON (parameters such as `charset=utf-8` are allowed). */
function isJsonMediaType(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}

/**
 * Checks the content type, reads at most `maxBytes`, and parses JSON.
 * Resolves `undefined` for an empty body sent without a content type.
 * Rejects with `DOSSIER_E_API_UNSUPPORTED_MEDIA` (415),
 * `DOSSIER_E_API_BODY_TOO_LARGE` (413) or `DOSSIER_E_API_BAD_JSON` (400).
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const contentType = req.headers['content-type'];
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw tooLarge(maxBytes, `declared ${declared} bytes`);
  }
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new DossierError('DOSSIER_E_API_UNSUPPORTED_MEDIA', `expected application/json (got ${JSON.stringify(contentType)})`);
  }
  const raw = await readBounded(req, maxBytes);
  if (raw.length === 0) return undefined;
  if (contentType === undefined) {
    throw new DossierError('DOSSIER_E_API_UNSUPPORTED_MEDIA', 'expected application/json (got no Content-Type)');
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (error) {
    throw new DossierError('DOSSIER_E_API_BAD_JSON', (error as Error).message, { cause: error });
  }
}

function readBounded(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        chunks.length = 0;
        // Keep draining (and discarding) so the sender can finish writing and read our 413.
        req.resume();
        reject(tooLarge(maxBytes, `more than ${maxBytes} bytes sent`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new DossierError('DOSSIER_E_API_BAD_REQUEST', `request body was cut off: ${error.message}`, { cause: error }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(maxBytes: number, detail: string): DossierError {
  return new DossierError('DOSSIER_E_API_BODY_TOO_LARGE', `limit is ${maxBytes} bytes; ${detail}`);
}
