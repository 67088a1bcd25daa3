/**
 * The OTLP/HTTP routes: `POST /v1/logs`, `/v1/metrics`, `/v1/traces`, and
 * `POST /` (signal told from the body). Each answers in the request's own
 * encoding, per the OTLP/HTTP specification.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Counters } from '../../../core/pipeline/counters.js';
import type { ExportOutcome, OtlpIngest } from '../ingest.js';
import type { Encoding, Signal } from '../model.js';
import { exportResponse, statusBody } from '../proto/responses.js';
import { BodyError, readBody, type ByteBudget } from './body.js';
import type { HttpRoute } from './door.js';
import { encodingOf, GRPC, sendEncoded, sendFailure } from './status-reply.js';


/** What the routes need from the receiver. */
export interface OtlpRouteOptions {
  ingest: OtlpIngest;
  counters: Counters;
  maxBodyBytes: number;
  retryAfterSeconds: number;
}

/** The four OTLP export routes. */
export function otlpRoutes(options: OtlpRouteOptions): HttpRoute[] {
  const route = (path: string, signal: Signal | null): HttpRoute => ({
    method: 'POST',
    path,
    handle: (req, res) => handleExport(req, res, signal, options),
  });
  return [route('/v1/logs', 'logs'), route('/v1/metrics', 'metrics'), route('/v1/traces', 'traces'), route('/', null)];
}

async function handleExport(req: IncomingMessage, res: ServerResponse, signal: Signal | null, o: OtlpRouteOptions): Promise<void> {
  o.counters.inc('otlp.http.requests');
  const encoding = encodingOf(req.headers['content-type']);
  if (encoding === null) {
    o.counters.inc('otlp.requests_unsupported_media');
    req.resume();
    return sendFailure(req, res, 415, 'Content-Type must be application/x-protobuf or application/json');
  }
  const refusal = o.ingest.tryAcquire();
  if (refusal !== null) {
    o.counters.inc('otlp.requests_refused_busy');
    req.resume();
    return answer(res, refusal, encoding, signal, o);
  }
  let held = 0;
  const budget: ByteBudget = {
    take(bytes) {
      if (!o.ingest.reserveBytes(bytes, held)) return false;
      held += bytes;
      return true;
    },
  };
  try {
    let body: Buffer;
    try {
      body = await readBody(req, o.maxBodyBytes, budget);
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      return refuseBody(res, err, encoding, o);
    }
    answer(res, await o.ingest.export(body, encoding, signal), encoding, signal, o);
  } finally {
    o.ingest.releaseBytes(held);
    o.ingest.release();
  }
}

function refuseBody(res: ServerResponse, err: BodyError, encoding: Encoding, o: OtlpRouteOptions): void {
  const headers: Record<string, string> = { Connection: 'close' };
  let code: number = GRPC.INVALID_ARGUMENT;
  if (err.status === 429) {
    o.counters.inc('otlp.requests_refused_busy');
    headers['Retry-After'] = String(o.retryAfterSeconds);
    code = GRPC.RESOURCE_EXHAUSTED;
  } else if (err.status === 413) o.counters.inc('otlp.requests_too_large');
  else o.counters.inc('otlp.requests_invalid');
  sendEncoded(res, err.status, encoding, statusBody(encoding, code, err.message), headers);
}

function answer(res: ServerResponse, outcome: ExportOutcome, encoding: Encoding, signal: Signal | null, o: OtlpRouteOptions): void {
  const retry = { 'Retry-After': String(o.retryAfterSeconds) };
  switch (outcome.kind) {
    case 'ok':
      return sendEncoded(res, 200, encoding, exportResponse(outcome.signal ?? signal ?? 'logs', encoding, outcome.rejected, outcome.message));
    case 'invalid':
      return sendEncoded(res, 400, encoding, statusBody(encoding, GRPC.INVALID_ARGUMENT, outcome.message));
    case 'throttled':
      return sendEncoded(res, 429, encoding, statusBody(encoding, GRPC.RESOURCE_EXHAUSTED, outcome.message), retry);
    case 'unavailable':
      return sendEncoded(res, 503, encoding, statusBody(encoding, GRPC.UNAVAILABLE, outcome.message), retry);
    case 'failed':
      return sendEncoded(res, 500, encoding, statusBody(encoding, GRPC.INTERNAL, outcome.message));
  }
}
