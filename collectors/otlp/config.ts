/**
 * Configuration of the OTLP receiver: where its two doors listen and the
 * bounds it enforces. Every field has a default; `resolveOtlpConfig`
 * validates once at start and names the field and the value it refuses.
 */
import { DossierError, LIMITS } from '../../schema/index.js';

/** The OTLP receiver's settings (snake_case, as in the daemon's config). */
export interface OtlpConfig {
  /** OTLP/HTTP `HOST:PORT` on loopback, or `off`. Flag `--otlp-http`. */
  http: string;
  /** OTLP/gRPC `HOST:PORT` on loopback, or `off`. Flag `--otlp-grpc`. */
  grpc: string;
  /** Largest request body, checked before and after gzip decompression (413 / RESOURCE_EXHAUSTED above it). */
  max_body_bytes: number;
  /** Largest single attribute value; a record holding a larger one is rejected (partial success). */
  max_attribute_bytes: number;
  /** Export requests handled at once; more are answered 429 / UNAVAILABLE. */
  max_in_flight: number;
  /** Request bytes (after decompression) held at once across all requests; more are answered 429 / UNAVAILABLE. A lone request is always taken (up to `max_body_bytes`). */
  max_in_flight_bytes: number;
  /** `Retry-After` sent with 429 and 503 answers. */
  retry_after_seconds: number;
  /** Cumulative metric series remembered for delta conversion. */
  max_cumulative_series: number;
  /** Worker threads decoding big logs and traces requests beside the committing thread; 0 decodes everything inline. */
  decode_workers: number;
  /** Keep the text of `user_prompt` records (the daemon's `--prompt-text`); off keeps their length only. */
  include_prompt_text: boolean;
}

/** A host and TCP port to listen on (port 0: any free port). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** The receiver's defaults: the standard OTLP ports on 127.0.0.1. */
export function defaultOtlpConfig(): OtlpConfig {
  return {
    http: '127.0.0.1:4318',
    grpc: '127.0.0.1:4317',
    max_body_bytes: LIMITS.maxRequestBodyBytes,
    max_attribute_bytes: 1024 * 1024,
    max_in_flight: 32,
    max_in_flight_bytes: 64 * 1024 * 1024,
    retry_after_seconds: 2,
    max_cumulative_series: 50_000,
    decode_workers: 1,
    include_prompt_text: true,
  };
}

/** A validated config with its addresses parsed (`null` = door off). */
export interface ResolvedOtlpConfig extends OtlpConfig {
  httpAddress: ListenAddress | null;
  grpcAddress: ListenAddress | null;
}

/** Validates `config`; throws `DOSSIER_E_CONFIG_INVALID` reading `field: reason (got value)`. */
export function resolveOtlpConfig(config: OtlpConfig): ResolvedOtlpConfig {
  for (const [field, min] of [
    ['max_body_bytes', 1024],
    ['max_attribute_bytes', 64],
    ['max_in_flight', 1],
    ['max_in_flight_bytes', 1024],
    ['retry_after_seconds', 1],
    ['max_cumulative_series', 1],
    ['decode_workers', 0],
  ] as const) {
    const value = config[field];
    if (!Number.isSafeInteger(value) || value < min) {
      throw new DossierError('DOSSIER_E_CONFIG_INVALID', `otlp.${field}: must be an integer of at least ${min} (got ${JSON.stringify(value)})`);
    }
  }
  if (typeof config.include_prompt_text !== 'boolean') {
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `otlp.include_prompt_text: must be true or false (got ${JSON.stringify(config.include_prompt_text)})`);
  }
  return {
    ...config,
    httpAddress: parseListenAddress('otlp.http', config.http),
    grpcAddress: parseListenAddress('otlp.grpc', config.grpc),
  };
}

/**
 * Parses `HOST:PORT` (`[::1]:4318` for IPv6) or `off`. Only loopback hosts
 * are accepted: the doors must never be reachable from another machine.
 */
export function parseListenAddress(field: string, value: string): ListenAddress | null {
  const fail = (reason: string): never => {
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `${field}: ${reason} (got ${JSON.stringify(value)})`);
  };
  if (typeof value !== 'string') return fail('expected HOST:PORT or off');
  if (value === 'off') return null;
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!match) return fail('expected HOST:PORT or off');
  const host = (match[1] ?? match[2])!;
  const port = Number(match[3]);
  if (port > 65_535) return fail('port must be 0..65535');
  if (!isLoopback(host)) return fail('host must be a loopback address (127.0.0.1, ::1 or localhost)');
  return { host, port };
}

/** True for `localhost`, `::1` and any 127.0.0.0/8 address. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  const parts = host.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** `host:port` as shown to people (IPv6 in brackets). */
export function formatAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
