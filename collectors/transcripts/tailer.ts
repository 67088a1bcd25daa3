/**
 * The tailing engine: discovers the transcripts under the roots, watches
 * their directories (through {@link TailerWatch}), and turns unread bytes
 * into batches handed to its owner. At most `maxInFlight` batches are out
 * at once; the owner calls {@link Tailer.ack} when one is committed, which
 * paces reading to the writer (back-pressure) and bounds memory. Files seen at start are read
 * oldest first (the backfill); files that change afterwards jump the queue,
 * so live updates are not stuck behind a long backfill.
 *
 * Runs inside the reader worker, or inline on the daemon's thread.
 */
import { BatchReader, type ReadBatch } from './batch-reader.js';
import { discoverTranscripts } from './discover.js';
import type { FileIdentity } from './map-line.js';
import { classifyTranscript } from './paths.js';
import { TailerWatch } from './tailer-watch.js';
import type { LineScanner } from './native-scanner.js';

/** How the tailer reads and watches. */
export interface TailerOptions {
  roots: string[];
  maxLineBytes: number;
  batchMaxEvents: number;
  batchMaxBytes: number;
  includePromptText: boolean;
  /** Safety-net rescan period (ms); 0 disables it. */
  rescanIntervalMs: number;
  debounceMs: number;
  /** Watch directories for changes (off: read what exists, then only rescans). */
  watch: boolean;
  maxInFlight: number;
  /** Line scanner, already resolved (see native-scanner.ts). */
  scanner: LineScanner;
}

/** What the backfill has to read, reported once after discovery. */
export interface BackfillPlan {
  files: number;
  bytes: number;
  sessions: number;
}

/** A batch as handed to the owner. */
export interface TailBatch extends ReadBatch {
  /** Read as part of the start-up backfill. */
  backfill: boolean;
  /** Retry generation it was read in; batches of an older generation are void (see {@link Tailer.retry}). */
  generation: number;
}

/** Where the tailer's output goes. */
export interface TailerSink {
  discovered(plan: BackfillPlan, watchedDirs: number): void;
  batch(batch: TailBatch): void;
  /** Backfill finished: every file found at start was read to its end once. */
  caughtUp(): void;
  /** A non-fatal problem worth one log line (not per event). */
  warn(message: string): void;
}

/** See the file comment. */
export class Tailer {
  readonly #opts: TailerOptions;
  readonly #sink: TailerSink;
  readonly #reader: BatchReader;
  /** Directory watching; hands the tailer the files to read after a change. */
  readonly #watch: TailerWatch;
  readonly #backfill = new Set<string>();
  #inFlight = 0;
  #pumping = false;
  #stopped = false;
  #caughtUp = false;
  #rescanTimer: NodeJS.Timeout | null = null;
  #generation = 0;

  constructor(opts: TailerOptions, checkpoints: Iterable<[string, string]>, sink: TailerSink, now: () => number, generation = 0) {
    this.#opts = opts;
    this.#generation = generation;
    this.#sink = sink;
    this.#reader = new BatchReader({ maxLineBytes: opts.maxLineBytes, includePromptText: opts.includePromptText, now, scanner: opts.scanner });
    this.#reader.load(checkpoints);
    this.#watch = new TailerWatch(
      { roots: opts.roots, debounceMs: opts.debounceMs, watch: opts.watch },
      {
        found: (files) => {
          this.#reader.enqueue(files, true);
          this.#pump();
        },
        warn: (message) => this.#sink.warn(message),
      },
    );
  }

  /** Discovers, queues the backfill, starts watching and reading. */
  start(): void {
    this.#backfillAll();
    if (this.#opts.rescanIntervalMs > 0) {
      this.#rescanTimer = setInterval(() => this.rescan(), this.#opts.rescanIntervalMs);
      this.#rescanTimer.unref();
    }
    this.#pump();
  }

  /**
   * Finds every transcript, watches their directories, and queues (oldest
   * first) each one with bytes not yet read, reporting the plan.
   */
  #backfillAll(): void {
    const found = discoverTranscripts(this.#opts.roots);
    this.#watch.watchDirs(found.dirs);
    const plan: BackfillPlan = { files: 0, bytes: 0, sessions: 0 };
    const queue: FileIdentity[] = [];
    for (const f of found.files) {
      const committed = this.#reader.offsetOf(f.identity.path);
      if (committed !== null && committed >= f.size) continue;
      queue.push(f.identity);
      this.#backfill.add(f.identity.path);
      plan.files++;
      plan.bytes += Math.max(0, f.size - (committed !== null && committed <= f.size ? committed : 0));
      if (f.identity.kind === 'main') plan.sessions++;
    }
    this.#caughtUp = false;
    this.#reader.enqueue(queue, false);
    this.#sink.discovered(plan, this.#watch.size);
  }

  /** The owner committed one batch: read on. */
  ack(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#pump();
  }

  /**
   * Batches could not be committed: every batch handed out so far is void.
   * The files they touched go back to their committed checkpoints (null:
   * never committed) and are read again; later batches carry `generation`.
   */
  retry(generation: number, committed: [string, string | null][]): void {
    this.#generation = generation;
    this.#inFlight = 0;
    const files: FileIdentity[] = [];
    for (const [path, value] of committed) {
      this.#reader.reset(path, value);
      const root = this.#watch.rootOf(path);
      const id = root === null ? null : classifyTranscript(root, path);
      if (id) files.push(id);
    }
    this.#reader.enqueue(files, true);
    this.#pump();
  }

  /**
   * Forgets every read position and reads every file again from its start,
   * as a new backfill (`dossier rebuild --rescan`); dedupe keys make the
   * events already stored duplicates.
   */
  rescanAll(): void {
    if (this.#stopped) return;
    this.#reader.clear();
    this.#backfillAll();
    this.#pump();
  }

  /** Safety net: looks for files whose size moved away from their read position, and for new directories. */
  rescan(): void {
    if (this.#stopped) return;
    const found = discoverTranscripts(this.#opts.roots);
    this.#watch.watchDirs(found.dirs);
    const due = found.files.filter((f) => this.#reader.offsetOf(f.identity.path) !== f.size).map((f) => f.identity);
    this.#reader.enqueue(due, true);
    this.#pump();
  }

  /** Stops watching and reading; batches already handed out stay the owner's. */
  stop(): void {
    this.#stopped = true;
    this.#watch.close();
    if (this.#rescanTimer) clearInterval(this.#rescanTimer);
    this.#rescanTimer = null;
  }

  /** Directories watched and files waiting, for status. */
  stats(): { watched_dirs: number; queued_files: number; watch_failures: number } {
    return { watched_dirs: this.#watch.size, queued_files: this.#reader.queued, watch_failures: this.#watch.failures };
  }

  #pump(): void {
    if (this.#pumping || this.#stopped) return;
    this.#pumping = true;
    try {
      while (!this.#stopped && this.#inFlight < this.#opts.maxInFlight) {
        const batch = this.#reader.next(this.#opts.batchMaxEvents, this.#opts.batchMaxBytes);
        if (batch === null) break;
        const backfill = this.#backfill.size > 0;
        for (const path of batch.finished) this.#backfill.delete(path);
        for (const path of batch.gone) this.#backfill.delete(path);
        if (batch.events.length === 0 && batch.checkpoints.length === 0) continue;
        this.#inFlight++;
        this.#sink.batch({ ...batch, backfill, generation: this.#generation });
      }
    } finally {
      this.#pumping = false;
    }
    if (!this.#caughtUp && this.#backfill.size === 0) {
      this.#caughtUp = true;
      this.#sink.caughtUp();
    }
  }
}
