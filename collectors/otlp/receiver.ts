/**
 * The OTLP receiver component: an OTLP/HTTP door and an OTLP/gRPC door in
 * front of one {@link OtlpIngest}. Starts quickly (binding is all it does),
 * stops intake first on shutdown and lets admitted requests commit before
 * their doors close.
 */
import type { Component, ComponentSettings } from '../../core/pipeline/component.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import { CHECKPOINT_COLLECTOR, CumulativeSeries } from './claude/cumulative.js';
import { IGNORED_BODIES } from './claude/logs.js';
import { formatAddress, resolveOtlpConfig, type ListenAddress, type OtlpConfig, type ResolvedOtlpConfig } from './config.js';
import { OtlpGrpcDoor } from './grpc/door.js';
import { LoopbackHttpDoor, type HttpRoute } from './http/door.js';
import { otlpRoutes } from './http/otlp-routes.js';
import { OtlpIngest } from './ingest.js';
import { DecodePool } from './offload/pool.js';
import { settleWithin } from '../wait.js';

/** A decode worker with nothing to do for this long is stopped; the next burst starts it again. */
const DECODE_WORKER_IDLE_MS = 30_000;

/** Where the receiver's doors listen once started (`null`: that door is off). */
export interface OtlpAddresses {
  http: ListenAddress | null;
  grpc: ListenAddress | null;
}

/** The running OTLP receiver. */
export class OtlpReceiver implements Component {
  readonly #settings: ComponentSettings;
  readonly #config: ResolvedOtlpConfig;
  readonly #ingest: OtlpIngest;
  readonly #cumulative: CumulativeSeries;
  readonly #http: LoopbackHttpDoor | null;
  readonly #grpc: OtlpGrpcDoor | null;
  #shutdown: Promise<void> | null = null;
  #pool: DecodePool | null = null;
  #doorBroken = false;

  /** Validates `config` (throws `DOSSIER_E_CONFIG_INVALID`) and loads the cumulative-series checkpoints. */
  constructor(settings: ComponentSettings, config: OtlpConfig, sink: EventSink) {
    this.#settings = settings;
    this.#config = resolveOtlpConfig(config);
    const c = this.#config;
    this.#cumulative = new CumulativeSeries(settings.checkpoints.load(CHECKPOINT_COLLECTOR), c.max_cumulative_series);
    this.#ingest = new OtlpIngest(sink, settings.counters, settings.now, this.#cumulative, {
      limits: { maxAttributeBytes: c.max_attribute_bytes, maxValueDepth: 16, ignoredBodies: IGNORED_BODIES },
      maxInFlight: c.max_in_flight,
      maxInFlightBytes: c.max_in_flight_bytes,
      mapping: { includePromptText: c.include_prompt_text },
    });
    this.#http = c.httpAddress ? new LoopbackHttpDoor(c.httpAddress, settings.counters, 'OTLP/HTTP') : null;
    const routes = otlpRoutes({
      ingest: this.#ingest,
      counters: settings.counters,
      maxBodyBytes: c.max_body_bytes,
      retryAfterSeconds: c.retry_after_seconds,
    });
    if (this.#http) for (const route of routes) this.#http.route(route);
    this.#grpc = c.grpcAddress ? new OtlpGrpcDoor(c.grpcAddress, this.#ingest, settings.counters, c.max_body_bytes) : null;
  }

  /**
   * Adds a route to the loopback HTTP door (e.g. `POST /v1/hooks/{framework}`
   * from the composition root); it inherits the Origin / Host guard. Returns
   * false when the HTTP door is off.
   */
  addHttpRoute(route: HttpRoute): boolean {
    if (this.#http === null) return false;
    this.#http.route(route);
    return true;
  }

  /** Binds the configured doors; a taken port rejects with `DOSSIER_E_DAEMON_PORT_IN_USE` and nothing stays bound. */
  async start(): Promise<void> {
    const log = this.#settings.logger;
    if (this.#config.decode_workers > 0) {
      this.#pool = new DecodePool({
        size: this.#config.decode_workers,
        idleMs: DECODE_WORKER_IDLE_MS,
        onBroken: (reason) => log.error({ reason }, 'OTLP decode worker lost: decoding on the main thread from now on'),
      });
      this.#ingest.usePool(this.#pool);
    }
    // Running with no door is allowed (a config may turn both off) but receives nothing: say so once.
    if (this.#http === null && this.#grpc === null) log.warn('OTLP receiver has both doors off (--otlp-http off, --otlp-grpc off): it receives nothing');
    try {
      if (this.#http) log.info({ address: formatAddress(await this.#http.listen((err) => this.#doorFailed(err))) }, 'OTLP/HTTP listening');
      if (this.#grpc) log.info({ address: formatAddress(await this.#grpc.listen()) }, 'OTLP/gRPC listening');
    } catch (err) {
      await Promise.all([this.#http?.close(0), this.#grpc?.close(0), this.#pool?.close()]);
      throw err;
    }
  }

  /** Idempotent: refuses new exports, then waits (until the deadline) for admitted ones to commit and closes both doors. */
  shutdown(deadlineMs: number): Promise<void> {
    this.#shutdown ??= this.#stop(deadlineMs);
    return this.#shutdown;
  }

  /** The addresses actually bound (real ports when 0 was configured). */
  addresses(): OtlpAddresses {
    return { http: this.#http?.address ?? null, grpc: this.#grpc?.address ?? null };
  }

  status(): Record<string, unknown> {
    const show = (door: { address: ListenAddress | null } | null): string =>
      door === null ? 'off' : door.address ? formatAddress(door.address) : 'not started';
    return {
      http: show(this.#http),
      grpc: show(this.#grpc),
      in_flight: this.#ingest.inFlight,
      cumulative_series: this.#cumulative.size,
      decode_workers: this.#pool?.usable ? `${this.#pool.running}/${this.#config.decode_workers}` : 'off',
    };
  }

  /**
   * A door that broke after it started listening: the supervisor restarts the
   * receiver with backoff. Reported once; later errors are only counted.
   */
  #doorFailed(err: Error): void {
    this.#settings.counters.inc('otlp.http.door_errors');
    if (this.#doorBroken) return;
    this.#doorBroken = true;
    this.#settings.logger.error({ err }, 'OTLP/HTTP door failed after it started listening');
    if (this.#shutdown === null) this.#settings.fail?.(err);
  }

  async #stop(deadlineMs: number): Promise<void> {
    this.#ingest.stop();
    const deadline = Date.now() + Math.max(0, deadlineMs);
    await Promise.all([this.#http?.close(deadlineMs), this.#grpc?.close(deadlineMs)]);
    const left = deadline - Date.now();
    if (left > 0) await settleWithin(this.#ingest.idle(), left);
    await this.#pool?.close();
    this.#settings.logger.info({ in_flight: this.#ingest.inFlight }, 'OTLP receiver stopped');
  }
}
