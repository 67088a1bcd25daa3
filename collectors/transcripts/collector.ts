/**
 * The transcripts collector as a daemon component. The tailer (in its
 * worker) reads and maps; this side submits the batches to the pipeline with
 * the checkpoints they advance, one submission at a time and in order (the
 * batches that queued up meanwhile go together), and acknowledges each batch
 * to the tailer only once committed. A full queue is waited out (the
 * batch is kept, never dropped); a failed commit voids the batches in
 * flight and has their files read again from their committed checkpoints.
 */
import type { Component, ComponentSettings } from '../../core/pipeline/component.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import type { TranscriptsConfig } from './config.js';
import { BackfillProgress, TtyProgress, progressLine } from './progress.js';
import type { WorkerInit } from './protocol.js';
import { resolveRoots } from './roots.js';
import type { TailBatch, TailerOptions } from './tailer.js';
import { resolveScanner, type LineScanner } from './native-scanner.js';
import { MAX_BACKOFF_MS, SUBMIT_MAX_EVENTS, submitGroup, takeSubmitGroup } from './submit.js';
import { startInline, startWorker, type HostEvents, type TailerHost } from './tailer-host.js';
import { settleWithin, sleep } from '../wait.js';

/** Collector type name: counters are `transcripts.*`, checkpoints are stored under it. */
export const TRANSCRIPTS_TYPE = 'transcripts';

/** Batches the reader may have out before the oldest is committed (see `#tailerOptions`). */
const READ_AHEAD_BATCHES = 2;

/** Longest wait before restarting a reader that failed (doubling from 1 s). */
const MAX_RESTART_DELAY_MS = 300_000;

/** See the file comment. */
export class TranscriptsCollector implements Component {
  readonly #settings: ComponentSettings;
  readonly #config: TranscriptsConfig;
  readonly #sink: EventSink;
  readonly #roots: string[];
  readonly #abort = new AbortController();
  readonly #progress = new BackfillProgress();
  readonly #committed = new Map<string, string>();
  #host: TailerHost | null = null;
  #pending: TailBatch[] = [];
  #generation = 0;
  #draining: Promise<void> | null = null;
  #caughtUp = false;
  #tty: TtyProgress | null = null;
  #shutdown: Promise<void> | null = null;
  #restarts = 0;
  #restarting = false;
  /** Increments with each tailer started; output of a replaced one is ignored. */
  #launches = 0;
  /** The line scanner in use, resolved at start. */
  #scanner: LineScanner = 'js';

  constructor(settings: ComponentSettings, config: TranscriptsConfig, sink: EventSink) {
    this.#settings = settings;
    this.#config = config;
    this.#sink = sink;
    this.#roots = resolveRoots({ useDefaults: config.default_roots, extra: config.claude_dirs, env: { CLAUDE_CONFIG_DIR: config.claude_config_dir ?? undefined } });
  }

  /** Loads checkpoints and starts the tailer; the backfill runs in the background. */
  async start(): Promise<void> {
    if (this.#host !== null || this.#shutdown !== null) return;
    const loaded = this.#settings.checkpoints.load(TRANSCRIPTS_TYPE);
    for (const [k, v] of loaded) this.#committed.set(k, v);
    const wantsTty = this.#config.progress === 'always' || (this.#config.progress === 'auto' && process.stderr.isTTY === true);
    if (wantsTty) this.#tty = new TtyProgress(process.stderr);
    this.#scanner = resolveScanner(this.#config.scanner);
    this.#launch();
    this.#settings.logger.info({ roots: this.#roots, reader: this.#config.reader, scanner: this.#scanner, checkpoints: loaded.size }, 'transcripts collector started');
  }

  /** Starts a tailer from the committed checkpoints. */
  #launch(): void {
    const init: WorkerInit = { options: this.#tailerOptions(), checkpoints: [...this.#committed], generation: this.#generation };
    const events = this.#hostEvents();
    this.#host = this.#config.reader === 'worker' ? startWorker(init, events) : startInline(init, events, this.#settings.now);
  }

  /**
   * The reader failed (a bug, or a worker out of memory): drop what it had
   * in flight and start a new one from the committed checkpoints, after a
   * delay that doubles with each failure so a persistent fault cannot spin.
   */
  #restart(message: string): void {
    if (this.#shutdown !== null || this.#restarting) return;
    this.#restarting = true;
    const delay = Math.min(MAX_RESTART_DELAY_MS, 1_000 * 2 ** Math.min(this.#restarts, 9));
    this.#restarts++;
    this.#settings.counters.inc('transcripts.reader_restarts');
    this.#settings.logger.error({ error: message, restart_in_ms: delay }, 'transcripts reader failed; restarting it from the committed checkpoints');
    const old = this.#host;
    this.#host = null;
    // Whatever the failed reader still reports (a late "caught up", a batch) is
    // stale from now on: it must not end the backfill before the new reader reads.
    this.#launches++;
    this.#caughtUp = false;
    this.#generation++;
    this.#pending = [];
    void (old?.stop() ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => sleep(delay, this.#abort.signal))
      .then(() => {
        this.#restarting = false;
        if (this.#shutdown === null && !this.#abort.signal.aborted) this.#launch();
      });
  }

  /** Stops reading, then waits (up to the deadline) for the batch being committed. Idempotent; safe without start. */
  shutdown(deadlineMs: number): Promise<void> {
    this.#shutdown ??= this.#stop(deadlineMs);
    return this.#shutdown;
  }

  /** Re-reads every transcript from its start (for `dossier rebuild --rescan`); dedupe keeps the ledger exact. */
  requestRescan(): void {
    if (this.#host === null || this.#shutdown !== null) return;
    this.#host.rescanAll();
  }

  /** Roots, phase, backfill progress, watched directories and queue, for `dossier status`. */
  status(): Record<string, unknown> {
    const p = this.#progress.snapshot(this.#settings.now());
    const stats = this.#host?.stats();
    return {
      roots: this.#roots,
      phase: this.#shutdown !== null ? 'stopped' : p.phase,
      backfill: p.phase === 'live' ? `${p.files_total} files, ${Math.round(p.mb_total)} MB in ${p.elapsed_s}s` : progressLine(p).replace(/^transcripts: /, ''),
      progress: p,
      watched_dirs: stats?.watched_dirs ?? 0,
      queued_files: stats?.queued_files ?? 0,
      pending_batches: this.#pending.length,
      reader: this.#config.reader,
      scanner: this.#scanner,
    };
  }

  #tailerOptions(): TailerOptions {
    const c = this.#config;
    return {
      roots: this.#roots,
      maxLineBytes: c.max_line_bytes,
      batchMaxEvents: c.batch_max_events,
      batchMaxBytes: c.batch_max_bytes,
      includePromptText: c.include_prompt_text,
      rescanIntervalMs: c.rescan_interval_ms,
      debounceMs: c.debounce_ms,
      watch: c.watch,
      // Little read-ahead: every batch out is held in this thread until committed,
      // and V8 grows the heap with it. Daemon backfill of the 1 GB bench tree:
      // 2 in flight 195-199 MB peak RSS and 6.2-7.6 s; 6 in flight 256-266 MB and
      // 5.6-5.7 s. A resident daemon's memory matters more than a one-time backfill.
      maxInFlight: READ_AHEAD_BATCHES,
      scanner: this.#scanner,
    };
  }

  #hostEvents(): HostEvents {
    const log = this.#settings.logger;
    const launch = ++this.#launches;
    const current = () => launch === this.#launches;
    return {
      discovered: (plan, watchedDirs) => {
        if (!current()) return;
        this.#caughtUp = false;
        this.#progress.planned(plan, this.#settings.now());
        log.info({ files: plan.files, mb: Math.round(plan.bytes / 1e6), sessions: plan.sessions, watched_dirs: watchedDirs }, 'transcripts backfill planned');
      },
      batch: (batch) => {
        if (this.#shutdown !== null || !current()) return;
        this.#pending.push(batch);
        this.#drain();
      },
      caughtUp: () => {
        if (!current()) return;
        this.#caughtUp = true;
        this.#drain();
      },
      warn: (message) => log.warn(message),
      fatal: (message) => {
        if (current()) this.#restart(message);
      },
    };
  }

  #drain(): void {
    if (this.#draining === null) {
      this.#draining = this.#drainLoop().finally(() => {
        this.#draining = null;
        this.#maybeLive();
      });
    }
  }

  async #drainLoop(): Promise<void> {
    while (this.#pending.length > 0 && !this.#abort.signal.aborted) {
      this.#pending = this.#pending.filter((b) => b.generation === this.#generation);
      const group = takeSubmitGroup(this.#pending, SUBMIT_MAX_EVENTS);
      if (group.length === 0) continue;
      const generation = this.#generation;
      const ok = await submitGroup(group, { sink: this.#sink, collector: TRANSCRIPTS_TYPE, settings: this.#settings, signal: this.#abort.signal });
      if (this.#abort.signal.aborted) return;
      if (ok) {
        for (const batch of group) this.#afterCommit(batch);
        // A reader restart while this group was being committed replaced the pending
        // list and the reader: the list now holds the new reader's batches, which this
        // group must neither remove nor acknowledge.
        if (generation === this.#generation) {
          this.#pending.splice(0, group.length);
          for (let i = 0; i < group.length; i++) this.#host?.ack();
        }
        continue;
      }
      // Void everything in flight and read those files again from what is committed.
      const files = new Set(this.#pending.flatMap((b) => b.checkpoints.map((c) => c.key)));
      this.#pending = [];
      this.#generation++;
      this.#host?.retry(this.#generation, [...files].map((path) => [path, this.#committed.get(path) ?? null]));
      await sleep(MAX_BACKOFF_MS, this.#abort.signal);
    }
  }

  #afterCommit(batch: TailBatch): void {
    for (const c of batch.checkpoints) this.#committed.set(c.key, c.value);
    for (const path of batch.gone) this.#committed.delete(path);
    const counters = this.#settings.counters;
    for (const [name, n] of Object.entries(batch.counters)) counters.inc(name, n);
    counters.inc('transcripts.batches_committed');
    if (batch.backfill) {
      this.#progress.committed(batch);
      this.#tty?.draw(this.#progress.snapshot(this.#settings.now()), this.#settings.now());
    }
  }

  /** The backfill is over once the tailer caught up and nothing is waiting to be committed. */
  #maybeLive(): void {
    if (!this.#caughtUp || this.#pending.length > 0 || this.#progress.live || this.#shutdown !== null) return;
    const now = this.#settings.now();
    this.#progress.done(now);
    const p = this.#progress.snapshot(now);
    if (this.#tty) {
      this.#tty.draw(p, now, true);
      this.#tty.finish();
    }
    this.#settings.logger.info({ files: p.files_total, mb: Math.round(p.mb_total), sessions: p.sessions_total, seconds: p.elapsed_s, mb_per_s: p.rate_mb_s }, 'transcripts backfill done');
  }

  async #stop(deadlineMs: number): Promise<void> {
    const deadline = this.#settings.now() + Math.max(0, deadlineMs);
    const host = this.#host;
    this.#host = null;
    // Intake first: the tailer stops reading; batches not yet submitted are
    // dropped (their checkpoints were not committed, so the next start reads them again).
    const stopped = host?.stop() ?? Promise.resolve();
    this.#pending = this.#pending.slice(0, 1);
    const inFlight = this.#draining ?? Promise.resolve();
    await settleWithin(Promise.all([stopped, inFlight]), deadline - this.#settings.now());
    this.#abort.abort();
    this.#tty?.finish();
    this.#settings.logger.info('transcripts collector stopped');
  }
}
