/**
 * Messages between the collector (daemon thread) and the tailer running in
 * the reader worker. Plain data only: everything crosses by structured clone.
 */
import type { BackfillPlan, TailBatch, TailerOptions } from './tailer.js';

/** What the worker is started with. */
export interface WorkerInit {
  options: TailerOptions;
  /** Committed checkpoints, path → value. */
  checkpoints: [string, string][];
  /** Retry generation the first batches carry (a restarted reader continues the collector's count). */
  generation: number;
}

/** Collector → worker. */
export type ToWorker =
  | { t: 'ack' }
  | { t: 'retry'; generation: number; committed: [string, string | null][] }
  | { t: 'rescan-all' }
  | { t: 'stop' };

/** Tailer statistics shown by `dossier status`. */
export interface TailerStats {
  watched_dirs: number;
  queued_files: number;
  watch_failures: number;
}

/** Worker → collector, before the stats are attached. */
export type WorkerEvent =
  | { t: 'discovered'; plan: BackfillPlan }
  | { t: 'batch'; batch: TailBatch }
  | { t: 'caught-up' }
  | { t: 'warn'; message: string }
  | { t: 'fatal'; message: string }
  | { t: 'stopped' };

/** Worker → collector. Every message carries the latest stats. */
export type FromWorker = WorkerEvent & { stats: TailerStats };
