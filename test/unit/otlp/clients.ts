/**
 * Minimal clients for the receiver tests: a raw HTTP POST (sized or chunked,
 * any headers), a raw gRPC unary Export call (optionally gzip-compressed) and
 * a raw TCP write, so tests control every byte the receiver sees. Each call
 * uses a connection of its own unless given one to share (an HTTP keep-alive
 * agent, a {@link GrpcExportClient}), as real exporters do.
 */
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { request, type Agent } from 'node:http';
import { connect } from 'node:net';
import type { Signal } from '../../../collectors/otlp/model.js';

/** An HTTP answer. */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** POSTs `body` to `url + path`. `chunked` sends it without Content-Length, in pieces. */
export function httpPost(
  url: string,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
  options: { chunked?: boolean; method?: string; agent?: Agent } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: options.method ?? 'POST',
      headers: options.chunked ? headers : { 'Content-Length': String(body.length), ...headers },
      agent: options.agent ?? false,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.chunked) {
      const step = Math.max(1, Math.ceil(body.length / 4));
      for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
      req.end();
    } else req.end(body);
  });
}

const SERVICE_PATHS: Record<Signal, string> = {
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
};

/** A gRPC answer: the response bytes, or the error status. */
export type GrpcReply = { ok: true; body: Buffer } | { ok: false; code: number; details: string };

/** One gRPC channel for raw Export calls; concurrent calls share its connection as streams, as an OTLP exporter's do. */
export class GrpcExportClient {
  readonly #client: Client;

  constructor(address: string, options: { gzip?: boolean } = {}) {
    this.#client = new Client(address, credentials.createInsecure(), {
      'grpc.default_compression_algorithm': options.gzip ? 2 : 0,
      'grpc.max_send_message_length': 64 * 1024 * 1024,
    });
  }

  /** Calls `<Signal>Service/Export` with raw request bytes. */
  export(signal: Signal, body: Buffer, metadata: Record<string, string> = {}): Promise<GrpcReply> {
    const sent = new Metadata();
    for (const [k, v] of Object.entries(metadata)) sent.set(k, v);
    return new Promise<GrpcReply>((resolve) => {
      this.#client.makeUnaryRequest(
        SERVICE_PATHS[signal],
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        sent,
        { deadline: Date.now() + 20_000 },
        (err: ServiceError | null, value?: Buffer) => {
          resolve(err ? { ok: false, code: err.code, details: err.details } : { ok: true, body: value ?? Buffer.alloc(0) });
        },
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}

/** Calls `<Signal>Service/Export` with raw request bytes, on a channel of its own. */
export function grpcExport(
  address: string,
  signal: Signal,
  body: Buffer,
  options: { gzip?: boolean; metadata?: Record<string, string> } = {},
): Promise<GrpcReply> {
  const client = new GrpcExportClient(address, options);
  return client.export(signal, body, options.metadata).finally(() => client.close());
}

/** Writes `bytes` to a TCP port and resolves with whatever came back before the peer closed (or 2 s passed). */
export function rawTcp(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(done, 2000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', done);
    socket.on('error', done);
  });
}

/** Deterministic noise (a SHA-256 chain), so a case can never pass or fail by luck. */
export function noise(length: number, seed = 'dossier'): Buffer {
  const out: Buffer[] = [];
  let block = Buffer.from(seed);
  for (let n = 0; n < length; n += 32) out.push((block = createHash('sha256').update(block).digest()));
  return Buffer.concat(out).subarray(0, length);
}
