/**
 * Runs the {@link Tailer} for the collector: in a worker thread (the
 * default: parsing uses the second core and never blocks the daemon's
 * thread) or inline on the calling thread (tests, or a platform without
 * workers). Both look the same to the collector.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, TailerStats, ToWorker, WorkerInit } from './protocol.js';
import { Tailer, type TailerSink } from './tailer.js';

/** Callbacks of a host: the tailer's output plus a fatal error. */
export interface HostEvents extends TailerSink {
  fatal(message: string): void;
}

/** The collector's handle on a running tailer. */
export interface TailerHost {
  ack(): void;
  retry(generation: number, committed: [string, string | null][]): void;
  rescanAll(): void;
  stats(): TailerStats;
  /** Stops the tailer; settles when it has stopped (the worker has exited). */
  stop(): Promise<void>;
}

const EMPTY_STATS: TailerStats = { watched_dirs: 0, queued_files: 0, watch_failures: 0 };

/** Starts the tailer on the calling thread. */
export function startInline(init: WorkerInit, events: HostEvents, now: () => number): TailerHost {
  const tailer = new Tailer(init.options, init.checkpoints, events, now, init.generation);
  // Start after the caller has finished wiring, as a worker would.
  setImmediate(() => {
    try {
      tailer.start();
    } catch (error) {
      events.fatal(error instanceof Error ? error.message : String(error));
    }
  });
  const guard = (work: () => void) => {
    try {
      work();
    } catch (error) {
      events.fatal(error instanceof Error ? error.message : String(error));
    }
  };
  return {
    ack: () => setImmediate(() => guard(() => tailer.ack())),
    retry: (generation, committed) => guard(() => tailer.retry(generation, committed)),
    rescanAll: () => guard(() => tailer.rescanAll()),
    stats: () => tailer.stats(),
    stop: async () => tailer.stop(),
  };
}

/** Starts the tailer in a worker thread. */
export function startWorker(init: WorkerInit, events: HostEvents): TailerHost {
  const worker = spawn(init);
  let stats = EMPTY_STATS;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  worker.on('message', (msg: FromWorker) => {
    stats = msg.stats;
    switch (msg.t) {
      case 'discovered':
        return events.discovered(msg.plan, msg.stats.watched_dirs);
      case 'batch':
        return events.batch(msg.batch);
      case 'caught-up':
        return events.caughtUp();
      case 'warn':
        return events.warn(msg.message);
      case 'fatal':
        return events.fatal(msg.message);
      case 'stopped':
        return;
    }
  });
  worker.on('error', (error) => events.fatal(error.stack ?? error.message));
  const post = (msg: ToWorker) => {
    if (!exited) worker.postMessage(msg);
  };
  return {
    ack: () => post({ t: 'ack' }),
    retry: (generation, committed) => post({ t: 'retry', generation, committed }),
    rescanAll: () => post({ t: 'rescan-all' }),
    stats: () => stats,
    stop: async () => {
      post({ t: 'stop' });
      const timer = setTimeout(() => void worker.terminate(), 2_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * The compiled daemon runs `worker.js` directly. From TypeScript sources
 * (tests, benchmarks under tsx) the worker registers tsx first: Node does not
 * pass the parent's `--import` loaders on to worker threads.
 */
function spawn(init: WorkerInit): Worker {
  const here = import.meta.url;
  // The reader holds one batch and one chunk at a time: a small young
  // generation makes it collect often instead of growing the daemon's RSS.
  // With the native scanner the reader is no longer the slow side, so 4 MB
  // (daemon backfill peak RSS 179-185 MB against 194-196 MB with 16 MB) costs
  // no backfill time (5.9-6.5 s both ways).
  const resourceLimits = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 128 };
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here), { workerData: init, resourceLimits });
  const entry = JSON.stringify(new URL('./worker.ts', here).href);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); });`;
  return new Worker(boot, { eval: true, workerData: init, resourceLimits });
}
