/**
 * The OTLP/gRPC door: the logs, metrics and trace `Export` services on
 * `@grpc/grpc-js`. Messages are handed over as raw bytes (grpc-js has already
 * removed the frame and gunzipped under `grpc.max_receive_message_length`)
 * and decoded by the same code as OTLP/HTTP protobuf bodies.
 */
import {
  Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition,
  type ServiceError, type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Counters } from '../../../core/pipeline/counters.js';
import { DossierError } from '../../../schema/index.js';
import { formatAddress, type ListenAddress } from '../config.js';
import type { ExportOutcome, OtlpIngest } from '../ingest.js';
import type { Signal } from '../model.js';
import { exportResponse } from '../proto/responses.js';
import { widenReceiveWindows } from './receive-windows.js';

/** Fully qualified OTLP service names, per signal. */
const SERVICES: Record<Signal, string> = {
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
};

const identity = (b: Buffer): Buffer => b;

/**
 * Calls one connection may have open at once (the common HTTP/2 default).
 * grpc-js buffers each message whole before the handler sees it; beyond this,
 * a client's further calls wait in HTTP/2 instead of piling up here.
 */
const MAX_STREAMS_PER_CONNECTION = 100;

/** A gRPC server for the three OTLP export services. */
export class OtlpGrpcDoor {
  readonly #server: Server;
  readonly #wanted: ListenAddress;
  readonly #ingest: OtlpIngest;
  readonly #counters: Counters;
  #bound: ListenAddress | null = null;

  constructor(address: ListenAddress, ingest: OtlpIngest, counters: Counters, maxBodyBytes: number) {
    this.#wanted = address;
    this.#ingest = ingest;
    this.#counters = counters;
    this.#server = new Server({ 'grpc.max_receive_message_length': maxBodyBytes, 'grpc.max_concurrent_streams': MAX_STREAMS_PER_CONNECTION });
    widenReceiveWindows(this.#server);
    for (const signal of Object.keys(SERVICES) as Signal[]) {
      const definition: ServiceDefinition = {
        Export: {
          path: `/${SERVICES[signal]}/Export`,
          requestStream: false,
          responseStream: false,
          requestSerialize: identity,
          requestDeserialize: identity,
          responseSerialize: identity,
          responseDeserialize: identity,
          originalName: 'export',
        },
      };
      const implementation: UntypedServiceImplementation = {
        Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => this.#export(signal, call, callback),
      };
      this.#server.addService(definition, implementation);
    }
  }

  /** The address actually bound, or null before `listen`. */
  get address(): ListenAddress | null {
    return this.#bound;
  }

  /** Binds the port; a taken port rejects with `DOSSIER_E_DAEMON_PORT_IN_USE` naming it. */
  listen(): Promise<ListenAddress> {
    const where = formatAddress(this.#wanted);
    return new Promise((resolve, reject) => {
      this.#server.bindAsync(where, ServerCredentials.createInsecure(), (err, port) => {
        if (err) {
          reject(
            /EADDRINUSE|address already in use/i.test(err.message)
              ? new DossierError('DOSSIER_E_DAEMON_PORT_IN_USE', `OTLP/gRPC port ${where} is already in use`, { cause: err })
              : new DossierError('DOSSIER_E_INTERNAL', `OTLP/gRPC cannot listen on ${where}: ${err.message}`, { cause: err }),
          );
          return;
        }
        this.#bound = { host: this.#wanted.host, port };
        resolve(this.#bound);
      });
    });
  }

  /** Refuses new calls, lets calls in progress finish until `deadlineMs`, then cancels the rest. */
  close(deadlineMs: number): Promise<void> {
    if (this.#bound === null) {
      this.#server.forceShutdown();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#server.forceShutdown();
        resolve();
      }, Math.max(0, deadlineMs));
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #export(signal: Signal, call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void {
    this.#counters.inc('otlp.grpc.requests');
    if (call.metadata.get('origin').length > 0) {
      this.#counters.inc('otlp.grpc.refused_origin');
      return callback(failure(status.PERMISSION_DENIED, 'requests carrying an Origin header are refused'));
    }
    const refusal = this.#ingest.tryAcquire();
    if (refusal !== null) {
      this.#counters.inc('otlp.requests_refused_busy');
      return reply(signal, refusal, callback);
    }
    const bytes = call.request.length;
    if (!this.#ingest.reserveBytes(bytes)) {
      this.#ingest.release();
      this.#counters.inc('otlp.requests_refused_busy');
      return reply(signal, { kind: 'throttled', message: 'the receiver holds too many request bytes right now; retry later' }, callback);
    }
    this.#ingest
      .export(call.request, 'protobuf', signal)
      .then((outcome) => reply(signal, outcome, callback))
      .catch((err: unknown) => callback(failure(status.INTERNAL, String(err))))
      .finally(() => {
        this.#ingest.releaseBytes(bytes);
        this.#ingest.release();
      });
  }
}

function reply(signal: Signal, outcome: ExportOutcome, callback: sendUnaryData<Buffer>): void {
  switch (outcome.kind) {
    case 'ok':
      return callback(null, exportResponse(signal, 'protobuf', outcome.rejected, outcome.message));
    case 'invalid':
      return callback(failure(status.INVALID_ARGUMENT, outcome.message));
    // OTLP: back-pressure over gRPC MUST be UNAVAILABLE; RESOURCE_EXHAUSTED without
    // RetryInfo tells clients not to retry, which would drop the batch.
    case 'throttled':
    case 'unavailable':
      return callback(failure(status.UNAVAILABLE, outcome.message));
    case 'failed':
      return callback(failure(status.INTERNAL, outcome.message));
  }
}

function failure(code: status, details: string): Partial<ServiceError> {
  return { code, details, message: details };
}
