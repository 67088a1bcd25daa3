/**
 * OTLP/HTTP failure answers: a `google.rpc.Status` body in the request's own
 * encoding, as the OTLP/HTTP specification asks ("the same Content-Type in
 * the response as it received in the request"), for the export routes and
 * for what the door refuses before any route runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Encoding } from '../model.js';
import { statusBody } from '../proto/responses.js';

/** gRPC status codes used in `google.rpc.Status` bodies. */
export const GRPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** The Content-Type each OTLP encoding is answered with. */
const CONTENT_TYPES: Record<Encoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** The body encoding named by a Content-Type header, or null when it is neither OTLP encoding. */
export function encodingOf(contentType: string | undefined): Encoding | null {
  const media = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return null;
}

/** Sends `body` with the encoding's Content-Type; a response already started is left alone. */
export function sendEncoded(res: ServerResponse, status: number, encoding: Encoding, body: Buffer, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': CONTENT_TYPES[encoding], 'Content-Length': body.length, ...headers });
  res.end(body);
}

/**
 * Answers `status` with a `google.rpc.Status` body in the request's encoding
 * (JSON when the request names neither OTLP encoding). A response whose
 * headers are already out is cut instead: its client sees the failure.
 */
export function sendFailure(req: IncomingMessage, res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const encoding = encodingOf(req.headers['content-type']) ?? 'json';
  sendEncoded(res, status, encoding, statusBody(encoding, grpcCodeOf(status), message), headers);
}

function grpcCodeOf(status: number): number {
  switch (status) {
    case 403:
      return GRPC.PERMISSION_DENIED;
    case 404:
      return GRPC.NOT_FOUND;
    case 405:
      return GRPC.UNIMPLEMENTED;
    default:
      return status >= 500 ? GRPC.INTERNAL : GRPC.INVALID_ARGUMENT;
  }
}
