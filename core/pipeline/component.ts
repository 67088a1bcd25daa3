/**
 * One shape for every component (collectors, API doors), after the
 * OpenTelemetry Collector: a factory with a type name, a stability level,
 * default config and `create`; a lifecycle of `start` and idempotent
 * `shutdown`. `daemon/main` lists the factories in one array.
 */
import type { Logger } from 'pino';
import type { Framework } from '../../schema/sources.js';
import type { Counters } from './counters.js';
import type { CheckpointReader, EventSink } from './sink.js';

/** How far a component's behaviour and config are settled. */
export type Stability = 'development' | 'alpha' | 'beta' | 'stable';

/** What the daemon gives every component it creates. */
export interface ComponentSettings {
  /** A child logger named after the component: lifecycle at info, nothing per event. */
  logger: Logger;
  /** Shared counters; name yours `<type>.<fact>`. */
  counters: Counters;
  checkpoints: CheckpointReader;
  /** The state directory (`DOSSIER_HOME`). */
  home: string;
  /** Injected clock, ms since epoch. */
  now: () => number;
  /**
   * The sessions the ledger says are not ended, for components that watch
   * them (process liveness). Read-only; absent when the daemon runs without
   * a store behind it.
   */
  liveSessions?: () => Promise<LiveSessionFacts[]>;
  /**
   * Reports that the component's background work died and cannot go on. The
   * daemon then shuts this instance down and starts a fresh one with backoff,
   * leaving the other components alone. Absent when nothing supervises it.
   */
  fail?: (error: unknown) => void;
}

/** What liveness needs to know about one session that is not ended. */
export interface LiveSessionFacts {
  session_id: string;
  framework: Framework;
  pid: number | null;
  /** ms since epoch; with `pid` it identifies the process across PID reuse. */
  process_start_time: number | null;
  last_activity: number | null;
}

/** A running part of the daemon. */
export interface Component {
  /** Returns quickly; long work runs in the background under the component's own AbortController. */
  start(): Promise<void>;
  /**
   * Idempotent and safe without `start()`: stops intake first, then flushes
   * what it accepted, within `deadlineMs`.
   */
  shutdown(deadlineMs: number): Promise<void>;
  /** Free-form state for `dossier status` (progress, files watched, …). */
  status?(): Record<string, unknown>;
}

/** Creates one kind of component. */
export interface ComponentFactory<C> {
  readonly type: string;
  readonly stability: Stability;
  defaultConfig(): C;
  create(settings: ComponentSettings, config: C, sink: EventSink): Component;
}
