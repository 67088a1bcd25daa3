/**
 * The protocol-independent heart of the receiver: admission (a bound on
 * requests in flight), decoding and mapping (on a decode worker for big logs
 * and traces bodies when one is ready, else on this thread), and submitting
 * the request's events, answered only after they are committed. HTTP and
 * gRPC only translate its {@link ExportOutcome} into their status codes.
 */
import type { Counters } from '../../core/pipeline/counters.js';
import type { Checkpoint, EventSink, IngestBatch } from '../../core/pipeline/sink.js';
import { eventsFromColumns } from '../../core/pipeline/event-columns.js';
import { isDossierError, type NormalizedEvent } from '../../schema/index.js';
import type { CumulativeSeries, PendingSeries } from './claude/cumulative.js';
import { mapRequest, type ClaudeMapOptions } from './claude/map-request.js';
import { DecodeError, decodeRequest } from './decode.js';
import { countItems, type DecodeLimits, type DecodedRequest, type Encoding, type Signal } from './model.js';
import type { DecodePool } from './offload/pool.js';
import type { MappedReply } from './offload/protocol.js';

/** How an export ended, for the transport to answer. */
export type ExportOutcome =
  | { kind: 'ok'; signal: Signal | null; rejected: number; message: string }
  /** Undecodable body: 400 / INVALID_ARGUMENT, not retryable. */
  | { kind: 'invalid'; message: string }
  /** Too many requests or request bytes held here: 429 / UNAVAILABLE (OTLP's gRPC back-pressure code), retry later. */
  | { kind: 'throttled'; message: string }
  /** Pipeline full or stopping: 503 / UNAVAILABLE, retry later. */
  | { kind: 'unavailable'; message: string }
  /** The batch could not be stored and retrying will not help: 500 / INTERNAL. */
  | { kind: 'failed'; message: string };

/** Bounds and pacing of the receiver. */
export interface IngestOptions {
  limits: DecodeLimits;
  maxInFlight: number;
  /** Body bytes all admitted requests may hold at once. */
  maxInFlightBytes: number;
  /** Bodies at least this big go to a decode worker when one is ready (default {@link OFFLOAD_MIN_BYTES}). */
  offloadMinBytes?: number;
  /** What of the content the mapping stores (prompt text), on this thread and on the decode workers alike. */
  mapping: ClaudeMapOptions;
}

const NOUNS: Record<Signal, string> = { logs: 'log records', metrics: 'data points', traces: 'spans' };

/**
 * Bodies at least this big are decoded on a worker when one is available.
 * Claude Code's usual exports are far smaller and decode in well under a
 * millisecond; handing them over would cost more CPU (serializing the events
 * back) than it frees. Full 512-record batches, i.e. bursts, are this big.
 */
export const OFFLOAD_MIN_BYTES = 256 * 1024;

/** What mapping one request produced, wherever it ran. */
interface Mapped {
  signal: Signal;
  events: NormalizedEvent[];
  /** The events' attrs in stored form, when a decode worker serialized them (see `IngestBatch.attrsJson`). */
  attrsJson?: readonly string[];
  rejected: number;
  firstRejection: string;
  ignored: number;
  foreign: number;
  withoutSession: number;
}

/** Largest batch submitted at once: far below the pipeline's queue capacity, so a big request is never refused as too big. */
export const SUBMIT_CHUNK_EVENTS = 5_000;

/** Decodes, maps and commits OTLP requests; shared by the HTTP and gRPC doors. */
export class OtlpIngest {
  readonly #sink: EventSink;
  readonly #counters: Counters;
  readonly #now: () => number;
  readonly #cumulative: CumulativeSeries;
  readonly #options: IngestOptions;
  #inFlight = 0;
  #inFlightBytes = 0;
  #stopping = false;
  #idleWaiters: (() => void)[] = [];
  /** Requests with cumulative series run one at a time: each delta must see the previous one committed. */
  #serial: Promise<unknown> = Promise.resolve();
  #pool: DecodePool | null = null;

  constructor(sink: EventSink, counters: Counters, now: () => number, cumulative: CumulativeSeries, options: IngestOptions) {
    this.#sink = sink;
    this.#counters = counters;
    this.#now = now;
    this.#cumulative = cumulative;
    this.#options = options;
  }

  /** Requests admitted and not yet answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Admits one request (call {@link release} when it is answered) or returns the refusal to send. */
  tryAcquire(): ExportOutcome | null {
    if (this.#stopping) return { kind: 'unavailable', message: 'dossier is shutting down' };
    if (!this.#sink.accepting) return { kind: 'unavailable', message: 'ingest queue is full' };
    if (this.#inFlight >= this.#options.maxInFlight) return { kind: 'throttled', message: 'too many export requests in flight' };
    this.#inFlight++;
    return null;
  }

  /**
   * Takes `bytes` of the shared body budget (call {@link releaseBytes} with
   * the same amount when done); false when that would exceed it while other
   * requests hold bytes: the request is then answered 429 / UNAVAILABLE.
   * `ownHeld` is what the calling request holds already. A request that would
   * be the only one holding bytes is always taken: `max_body_bytes` bounds
   * it, and a budget smaller than one body must not refuse it on every retry.
   */
  reserveBytes(bytes: number, ownHeld = 0): boolean {
    const othersHold = this.#inFlightBytes > ownHeld;
    if (othersHold && this.#inFlightBytes + bytes > this.#options.maxInFlightBytes) return false;
    this.#inFlightBytes += bytes;
    return true;
  }

  /** Returns bytes taken with {@link reserveBytes}. */
  releaseBytes(bytes: number): void {
    this.#inFlightBytes -= bytes;
  }

  /** Ends an admitted request. */
  release(): void {
    this.#inFlight--;
    if (this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  /** Hands big logs and traces bodies to `pool` from now on (null: decode everything on this thread). */
  usePool(pool: DecodePool | null): void {
    this.#pool = pool;
  }

  /** Refuses new requests from now on; admitted ones still finish. */
  stop(): void {
    this.#stopping = true;
  }

  /** Resolves when no admitted request is left. */
  idle(): Promise<void> {
    return this.#inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Handles one admitted request's body. `signal` null: tell it from the body (`POST /`). Never throws. */
  async export(body: Buffer, encoding: Encoding, signal: Signal | null): Promise<ExportOutcome> {
    const offloaded =
      body.length >= (this.#options.offloadMinBytes ?? OFFLOAD_MIN_BYTES) && signal !== 'metrics'
        ? (this.#pool?.tryRun({ body, encoding, signal, receivedAt: this.#now(), limits: this.#options.limits, mapping: this.#options.mapping }) ?? null)
        : null;
    if (offloaded !== null) {
      const reply = await offloaded;
      // A worker lost while stopping (stopping ends the workers) is not replaced by this
      // thread: the request would finish after the receiver stopped, likely for a sender
      // already gone. The sender retries it.
      if (reply instanceof Error && this.#stopping) return { kind: 'unavailable', message: 'dossier is shutting down' };
      // An Error otherwise means the worker died: this thread does the request instead.
      if (!(reply instanceof Error)) {
        switch (reply.kind) {
          case 'invalid':
            this.#counters.inc('otlp.requests_invalid');
            return { kind: 'invalid', message: reply.message };
          case 'empty':
            return { kind: 'ok', signal, rejected: 0, message: '' };
          case 'mapped': {
            const mapped = fromReply(reply);
            // A reply that does not rebuild is a worker bug: this thread does the request instead.
            if (mapped === null) break;
            this.#counters.inc(`otlp.${reply.signal}.items`, reply.items);
            return this.#commit(mapped, new Map());
          }
          case 'main-thread':
            break;
        }
      }
    }
    return this.#inline(body, encoding, signal);
  }

  async #inline(body: Buffer, encoding: Encoding, signal: Signal | null): Promise<ExportOutcome> {
    let request: DecodedRequest | 'empty';
    try {
      request = decodeRequest(body, encoding, signal, this.#options.limits);
    } catch (err) {
      this.#counters.inc('otlp.requests_invalid');
      // JSON.parse and deep recursion throw their own errors; every decode failure is the sender's.
      return { kind: 'invalid', message: err instanceof DecodeError ? err.message : `undecodable body: ${String(err)}` };
    }
    if (request === 'empty') return { kind: 'ok', signal, rejected: 0, message: '' };
    this.#counters.inc(`otlp.${request.signal}.items`, countItems(request));
    const decoded = request;
    const mapAndCommit = (): Promise<ExportOutcome> => {
      const { result, pending } = mapRequest(decoded, this.#now(), this.#cumulative, this.#options.mapping);
      return this.#commit({ ...result, signal: decoded.signal, events: result.events }, pending);
    };
    return hasCumulative(decoded) ? this.#exclusive(mapAndCommit) : mapAndCommit();
  }

  async #commit(result: Mapped, pending: PendingSeries): Promise<ExportOutcome> {
    const c = this.#counters;
    if (result.rejected > 0) c.inc('otlp.items_rejected', result.rejected);
    if (result.ignored > 0) c.inc('otlp.items_ignored', result.ignored);
    if (result.foreign > 0) c.inc('otlp.items_foreign', result.foreign);
    if (result.withoutSession > 0) c.inc('otlp.items_without_session', result.withoutSession);
    const message = result.rejected > 0 ? `${result.rejected} ${NOUNS[result.signal]} rejected: ${result.firstRejection}` : '';
    const ok: ExportOutcome = { kind: 'ok', signal: result.signal, rejected: result.rejected, message };
    if (result.events.length === 0 && pending.size === 0) return ok;
    try {
      const checkpoints = this.#cumulative.checkpointsOf(pending);
      await this.#submitInChunks(result.events, result.attrsJson, checkpoints);
      this.#cumulative.commit(pending, checkpoints);
      return ok;
    } catch (err) {
      if (isDossierError(err) && err.retryable) {
        c.inc('otlp.requests_unavailable');
        return { kind: 'unavailable', message: err.message };
      }
      c.inc('otlp.requests_failed');
      return { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
  }

  /**
   * Submits the events in batches the pipeline's queue can always take. A
   * failure part-way leaves the earlier batches committed; the sender's retry
   * re-sends them and their dedupe keys make them insert nothing. The series
   * checkpoints ride with the last batch, so they never run ahead of events.
   */
  async #submitInChunks(events: NormalizedEvent[], attrsJson: readonly string[] | undefined, checkpoints: Checkpoint[]): Promise<void> {
    const whole = events.length <= SUBMIT_CHUNK_EVENTS;
    for (let start = 0; start === 0 || start < events.length; start += SUBMIT_CHUNK_EVENTS) {
      const last = start + SUBMIT_CHUNK_EVENTS >= events.length;
      const end = start + SUBMIT_CHUNK_EVENTS;
      const batch: IngestBatch = { events: whole ? events : events.slice(start, end) };
      if (attrsJson !== undefined) batch.attrsJson = whole ? attrsJson : attrsJson.slice(start, end);
      if (last) batch.checkpoints = checkpoints;
      const committed = await this.#sink.submit(batch);
      this.#counters.inc('otlp.events_inserted', committed.inserted);
      if (committed.duplicates > 0) this.#counters.inc('otlp.events_duplicate', committed.duplicates);
    }
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(task, task);
    this.#serial = run.catch(() => undefined);
    return run;
  }
}

/** The reply's events rebuilt in stored form; null when its columns do not fit together. */
function fromReply(reply: MappedReply): Mapped | null {
  let rebuilt;
  try {
    rebuilt = eventsFromColumns(reply.events);
  } catch {
    return null;
  }
  return {
    signal: reply.signal,
    events: rebuilt.events,
    attrsJson: rebuilt.attrsJson,
    rejected: reply.rejected,
    firstRejection: reply.firstRejection,
    ignored: reply.ignored,
    foreign: reply.foreign,
    withoutSession: reply.withoutSession,
  };
}

function hasCumulative(request: DecodedRequest): boolean {
  if (request.signal !== 'metrics') return false;
  return request.groups.some((g) => g.items.some((m) => m.kind === 'sum' && m.temporality === 2 && m.points.length > 0));
}
