/**
 * One entry point for decoding an OTLP export request body, whatever its
 * encoding and whether the route named the signal.
 */
import { decodeJsonRequest } from './json/signals.js';
import type { DecodeLimits, DecodedRequest, Encoding, Signal } from './model.js';
import { readEnvelope } from './proto/envelope.js';
import { readLogRecord } from './proto/logs.js';
import { readMetric } from './proto/metrics.js';
import { sniffProtobufSignal } from './proto/sniff.js';
import { readSpan } from './proto/traces.js';
import { WireReader } from './proto/wire.js';

export { DecodeError } from './proto/wire.js';

/** Default decoding bounds. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxAttributeBytes: 1024 * 1024, maxValueDepth: 16 };

/**
 * Decodes `body`. `signal` null means the route did not say (`POST /`): the
 * signal is read from the body. Returns `empty` for a body that carries no
 * item of any signal (answered with plain success). Throws `DecodeError`.
 */
export function decodeRequest(
  body: Buffer,
  encoding: Encoding,
  signal: Signal | null,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): DecodedRequest | 'empty' {
  if (encoding === 'json') return decodeJsonRequest(body, signal, limits);
  const chosen = signal ?? sniffProtobufSignal(body);
  if (chosen === 'empty') return 'empty';
  const r = new WireReader(body, { maxStringBytes: limits.maxAttributeBytes, maxDepth: limits.maxValueDepth, ignoredBodies: limits.ignoredBodies });
  switch (chosen) {
    case 'logs':
      return { signal: 'logs', groups: readEnvelope(r, readLogRecord) };
    case 'metrics':
      return { signal: 'metrics', groups: readEnvelope(r, readMetric) };
    case 'traces':
      return { signal: 'traces', groups: readEnvelope(r, readSpan) };
  }
}
