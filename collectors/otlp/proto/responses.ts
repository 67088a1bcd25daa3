/**
 * The bodies dossier answers OTLP exports with: `Export…ServiceResponse`
 * (with `partial_success` only when something was rejected) and, for
 * failures, `google.rpc.Status`, each in protobuf or JSON to match the
 * request.
 */
import type { Encoding, Signal } from '../model.js';

/** The partial-success count field's JSON name, per signal. */
const REJECTED_JSON_NAME: Record<Signal, string> = {
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
  traces: 'rejectedSpans',
};

/**
 * An export response. With `rejected` 0 it is the empty message (full
 * success); otherwise `partial_success` carries the count and the message.
 * The three signals' responses share field numbers, so only JSON names differ.
 */
export function exportResponse(signal: Signal, encoding: Encoding, rejected: number, message: string): Buffer {
  if (encoding === 'json') {
    if (rejected === 0) return Buffer.from('{}');
    return Buffer.from(JSON.stringify({ partialSuccess: { [REJECTED_JSON_NAME[signal]]: String(rejected), errorMessage: message } }));
  }
  if (rejected === 0) return Buffer.alloc(0);
  return lengthPrefixed(1, Buffer.concat([varintField(1, rejected), stringField(2, message)]));
}

/** A `google.rpc.Status` body: gRPC code and message (the body of OTLP/HTTP failure responses). */
export function statusBody(encoding: Encoding, grpcCode: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code: grpcCode, message }));
  return Buffer.concat([varintField(1, grpcCode), stringField(2, message)]);
}

function varintField(field: number, value: number): Buffer {
  return Buffer.concat([varint(field << 3), varint(value)]);
}

function stringField(field: number, text: string): Buffer {
  return lengthPrefixed(field, Buffer.from(text, 'utf8'));
}

function lengthPrefixed(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

/** Unsigned varint of a non-negative safe integer. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
