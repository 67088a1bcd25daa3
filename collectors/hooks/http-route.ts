/**
 * `POST /v1/hooks/{framework}` for a plain Node HTTP server: the loopback
 * door on 127.0.0.1:4318 where Claude Code's `type: "http"` hooks post. The
 * composition root mounts it on whatever door offers routes (the OTLP door
 * does); the shape is structural, so this file depends on no other
 * collector. Answers like the socket route: `{}` after commit, registered
 * errors as `{ error: { code, message, retryable } }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DossierError, isDossierError } from '../../schema/errors.js';
import { LIMITS } from '../../schema/limits.js';
import { receiveHookCall, type HookIntake } from './receive.js';
import { metaFromHeaders } from './wire.js';

/** The route prefix; the framework is the one segment after it. */
export const HOOK_ROUTE_PREFIX = '/v1/hooks/';

/** A route as loopback doors take it: method, path prefix, handler. */
export interface HookHttpRoute {
  method: 'POST';
  path: string;
  prefix: true;
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/** Builds the route over one intake. `maxBodyBytes` bounds the body (default `LIMITS.maxRequestBodyBytes`). */
export function hookHttpRoute(intake: HookIntake, maxBodyBytes: number = LIMITS.maxRequestBodyBytes): HookHttpRoute {
  return {
    method: 'POST',
    path: HOOK_ROUTE_PREFIX,
    prefix: true,
    async handle(req, res, path) {
      try {
        const framework = frameworkOf(path);
        const payload = await readJson(req, maxBodyBytes);
        const header = (name: string): string | undefined => {
          const value = req.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        await receiveHookCall(intake, framework, payload, metaFromHeaders(header));
        send(res, 200, {});
      } catch (error) {
        const known = isDossierError(error) ? error : new DossierError('DOSSIER_E_INTERNAL');
        const headers: Record<string, string> = known.retryable && known.status === 503 ? { 'retry-after': '1' } : {};
        send(res, known.status, { error: { code: known.code, message: known.message, retryable: known.retryable } }, headers);
      }
    },
  };
}

function frameworkOf(path: string): string {
  const rest = path.slice(HOOK_ROUTE_PREFIX.length).replace(/\/$/, '');
  if (rest === '' || rest.includes('/')) throw new DossierError('DOSSIER_E_API_NOT_FOUND', `POST ${path}`);
  try {
    return decodeURIComponent(rest);
  } catch {
    throw new DossierError('DOSSIER_E_API_NOT_FOUND', `POST ${path}`);
  }
}

async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new DossierError('DOSSIER_E_API_UNSUPPORTED_MEDIA', `expected application/json (got ${JSON.stringify(req.headers['content-type'] ?? '')})`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      req.resume();
      throw new DossierError('DOSSIER_E_API_BODY_TOO_LARGE', `limit is ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  if (total === 0) throw new DossierError('DOSSIER_E_API_BAD_REQUEST', 'hook payload: empty body');
  try {
    return JSON.parse(Buffer.concat(chunks, total).toString('utf8')) as unknown;
  } catch (error) {
    throw new DossierError('DOSSIER_E_API_BAD_JSON', (error as Error).message, { cause: error });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
