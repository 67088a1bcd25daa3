/**
 * Runs retention inside the daemon: once a day (first a while after start,
 * so start-up and backfill go first) and on request (`POST /v1/gc`). Runs
 * never overlap: a request during a run waits for it, then runs its own.
 */
import type { Logger } from 'pino';
import type { GcRequest, GcResponse } from '../../schema/maintenance.js';
import { collectGarbage } from './gc.js';

const DAY_MS = 86_400_000;

/** Settings of {@link RetentionRunner}. */
export interface RetentionSettings {
  /** The database file. */
  path: string;
  /** Bulky attributes of events older than this many days are pruned. */
  retentionDays: number;
  logger: Logger;
  now: () => number;
  /** Delay of the first scheduled run after start, ms (default 10 minutes). */
  firstRunDelayMs?: number;
  /** Between scheduled runs, ms (default one day). */
  intervalMs?: number;
}

/** The daemon's retention: scheduled daily runs plus on-demand ones, never two at once. */
export class RetentionRunner {
  readonly #settings: RetentionSettings;
  #timer: NodeJS.Timeout | null = null;
  #tail: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(settings: RetentionSettings) {
    this.#settings = { ...settings };
  }

  /** Schedules the daily runs; the timer never keeps the process alive. */
  start(): void {
    if (this.#timer !== null || this.#stopped) return;
    const schedule = (delay: number): void => {
      this.#timer = setTimeout(() => {
        this.run({}).then(
          (result) => this.#settings.logger.info({ gc: result }, 'retention run done'),
          (error: unknown) => this.#settings.logger.error({ err: error }, 'retention run failed'),
        );
        if (!this.#stopped) schedule(this.#settings.intervalMs ?? DAY_MS);
      }, delay);
      this.#timer.unref();
    };
    schedule(this.#settings.firstRunDelayMs ?? 10 * 60_000);
  }

  /** Changes the default age of later runs (SIGHUP reload). */
  setRetentionDays(days: number): void {
    this.#settings.retentionDays = days;
  }

  /** Runs gc once, after any run in progress. */
  run(request: GcRequest): Promise<GcResponse> {
    const days = request.older_than_days ?? this.#settings.retentionDays;
    const next = this.#tail.then(() =>
      collectGarbage(this.#settings.path, { before: this.#settings.now() - days * DAY_MS, dryRun: request.dry_run === true }),
    );
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Cancels the schedule and waits for a run in progress; idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tail;
  }
}
