/**
 * Writing responses: JSON bodies, the version header on every response, and
 * the one error body shape `{ error: { code, message, retryable } }`.
 */
import type { ServerResponse } from 'node:http';
import { DossierError, VERSION_HEADER, type ApiErrorBody } from '../../schema/index.js';

/** Seconds a client should wait before retrying a retryable 503. */
export const RETRY_AFTER_SECONDS = 1;

/** Sends `body` as JSON with `status`, the version header and any extra headers. */
export function sendJson(
  res: ServerResponse,
  version: string,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(payload.length),
    'cache-control': 'no-store',
    [VERSION_HEADER]: version,
    ...headers,
  });
  res.end(payload);
}

/** The API error body for a registered error. */
export function errorBody(error: DossierError): ApiErrorBody {
  return { error: { code: error.code, message: error.message, retryable: error.retryable } };
}

/**
 * Sends a registered error with its status. Retryable 503s carry
 * `Retry-After`. The connection stays open on purpose: the server discards
 * whatever is left of a refused body, so a sender still writing it reads our
 * answer instead of failing with EPIPE (the request timeout bounds the drain).
 */
export function sendError(res: ServerResponse, version: string, error: DossierError, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extra };
  if (error.retryable && error.status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
  sendJson(res, version, error.status, errorBody(error), headers);
}
