/**
 * The `hooks` collector: ingests the hook spool on start and then every few
 * seconds (live hook calls arrive through the API route instead, see
 * `receive.ts`). It also sweeps what forwarders leave behind: temp files of
 * writes that died, and fork memos of long-gone agent processes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, ComponentFactory, ComponentSettings } from '../../core/pipeline/component.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import { drainSpool, sweepOldFiles, sweepSpoolDebris, type DrainResult } from './spool-reader.js';
import { FORK_MEMO_DIR_NAME, SPOOL_DIR_NAME } from './wire.js';
import { settleWithin } from '../wait.js';

/** Config of the `hooks` collector. */
export interface HooksConfig {
  /** How often the spool is read, ms. */
  spoolIntervalMs: number;
  /** Most spool records per committed batch. */
  spoolBatchFiles: number;
  /** Fork memos older than this are deleted, ms (a fork's hooks stop when its process does). */
  forkMemoMaxAgeMs: number;
  /** Keep the text of prompts from spooled calls (the daemon's `--prompt-text`). */
  includePromptText: boolean;
}

/** Sweeps of debris and memos run once per this many spool passes. */
const SWEEP_EVERY_PASSES = 120;
/** Failed passes in a row after which the reader hands itself to its supervisor. */
const MAX_CONSECUTIVE_FAILURES = 5;

/** The `hooks` component: the spool reader. */
export class HooksComponent implements Component {
  readonly #settings: ComponentSettings;
  readonly #config: HooksConfig;
  readonly #sink: EventSink;
  readonly #spoolDir: string;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #passes = 0;
  #last: DrainResult | null = null;
  #stopped = false;
  #consecutiveFailures = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(settings: ComponentSettings, config: HooksConfig, sink: EventSink) {
    this.#settings = settings;
    this.#config = config;
    this.#sink = sink;
    this.#spoolDir = join(settings.home, SPOOL_DIR_NAME);
  }

  /** Creates the spool dir and starts the first pass in the background. */
  async start(): Promise<void> {
    if (this.#stopped || this.#running !== null || this.#timer !== null) return;
    mkdirSync(this.#spoolDir, { recursive: true, mode: 0o700 });
    this.#settings.logger.info({ spool: this.#spoolDir, interval_ms: this.#config.spoolIntervalMs }, 'hook spool reader started');
    this.#schedule(0);
  }

  /** Stops scheduling, aborts the pass between batches, and waits for it (committed batches stay committed). */
  async shutdown(deadlineMs: number): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const running = this.#running;
    if (running) await settleWithin(running, deadlineMs);
  }

  /** Runs one pass after any pass in progress (passes never overlap); resolves when it is done. */
  drainNow(): Promise<DrainResult> {
    const pass = this.#queue.then(() => this.#pass());
    this.#queue = pass.then(
      () => undefined,
      () => undefined,
    );
    return pass;
  }

  async #pass(): Promise<DrainResult> {
    const result = await drainSpool(
      { dir: this.#spoolDir, sink: this.#sink, counters: this.#settings.counters, now: this.#settings.now, batchFiles: this.#config.spoolBatchFiles, options: { includePromptText: this.#config.includePromptText } },
      this.#abort.signal,
    );
    this.#last = result;
    if (this.#passes++ % SWEEP_EVERY_PASSES === 0) this.#sweep();
    return result;
  }

  status(): Record<string, unknown> {
    return { spool: this.#spoolDir, passes: this.#passes, last_pass: this.#last };
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.drainNow().then(
        (result) => {
          if (this.#consecutiveFailures > 0) this.#settings.logger.info({ failed_passes: this.#consecutiveFailures }, 'hook spool passes work again');
          this.#consecutiveFailures = 0;
          if (result.files > 0) this.#settings.logger.info({ files: result.files, inserted: result.inserted }, 'ingested spooled hook calls');
        },
        (error: unknown) => this.#onPassFailed(error),
      );
      void this.#running.finally(() => {
        this.#running = null;
        this.#schedule(this.#config.spoolIntervalMs);
      });
    }, delayMs);
    this.#timer.unref();
  }

  /**
   * Logs the first failure of a streak and the fifth, not every pass. A spool
   * pass that keeps failing will not heal by itself: at the fifth in a row it
   * stops scheduling and hands itself to the supervisor, which restarts this
   * component with backoff. Unsupervised, it keeps retrying.
   */
  #onPassFailed(error: unknown): void {
    this.#consecutiveFailures += 1;
    const consecutive = this.#consecutiveFailures;
    const giveUp = consecutive >= MAX_CONSECUTIVE_FAILURES && this.#settings.fail !== undefined;
    if (giveUp) {
      this.#stopped = true;
      this.#settings.logger.error({ err: error, consecutive }, 'hook spool pass keeps failing: handing the reader to its supervisor');
      this.#settings.fail?.(error);
    } else if (consecutive === 1 || consecutive === MAX_CONSECUTIVE_FAILURES) {
      this.#settings.logger.error({ err: error, consecutive }, 'hook spool pass failed');
    }
  }

  #sweep(): void {
    const now = this.#settings.now();
    const debris = sweepSpoolDebris(this.#spoolDir, now);
    const memos = sweepOldFiles(join(this.#settings.home, FORK_MEMO_DIR_NAME), now, this.#config.forkMemoMaxAgeMs);
    if (debris > 0) this.#settings.counters.inc('hooks.spool_debris_removed', debris);
    if (memos > 0) this.#settings.counters.inc('hooks.fork_memos_removed', memos);
  }
}

/** Factory of the `hooks` collector. */
export const hooksFactory: ComponentFactory<HooksConfig> = {
  type: 'hooks',
  stability: 'beta',
  defaultConfig: () => ({ spoolIntervalMs: 2_000, spoolBatchFiles: 256, forkMemoMaxAgeMs: 7 * 24 * 60 * 60 * 1000, includePromptText: true }),
  create: (settings, config, sink) => new HooksComponent(settings, config, sink),
};
