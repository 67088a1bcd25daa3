/**
 * Keeps one collector running: when its background work reports a fatal
 * failure (`ComponentSettings.fail`), the instance is shut down and a fresh
 * one started after a delay that doubles with each consecutive failure (up
 * to a ceiling) and resets once an instance has run for a while. The other
 * collectors never notice. The first start still fails the daemon's start,
 * so a bad config or a taken port is a clear start-up error, not a loop.
 */
import type { Logger } from 'pino';
import type { ComponentStatus } from '../../schema/api.js';

/**
 * The lifecycle a supervised collector has: the shape of the pipeline's
 * `Component`, restated here because this folder follows the CLI's import
 * rules (no core), and TypeScript matches shapes.
 */
export interface Component {
  start(): Promise<void>;
  shutdown(deadlineMs: number): Promise<void>;
  status?(): Record<string, unknown>;
}

/** Restart delays. */
export interface Backoff {
  /** Delay before the first restart, ms. */
  initialMs: number;
  /** Longest delay, ms. */
  maxMs: number;
  /** An instance that ran this long before failing resets the delay, ms. */
  stableMs: number;
}

/** One second, doubling to five minutes; a minute of running resets it. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 300_000, stableMs: 60_000 };

/** A cancellable timer, injectable for tests. */
export type Schedule = (run: () => void, delayMs: number) => { cancel(): void };

const realSchedule: Schedule = (run, delayMs) => {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

/** What a supervisor needs. */
export interface SupervisorOptions {
  type: string;
  /** Builds a fresh instance; it calls `fail` when its background work dies. */
  create(fail: (error: unknown) => void): Component;
  /** Where its state shows (`dossier status`). */
  states: { set(name: string, state: ComponentStatus['state'], detail?: string, component?: Component): void };
  logger: Logger;
  backoff?: Backoff;
  schedule?: Schedule;
  now?: () => number;
  /** How long a failed instance may take to shut down, ms. */
  shutdownMs?: number;
}

/** A {@link Component} that restarts the collector it wraps after failures. */
export class CollectorSupervisor implements Component {
  readonly #options: SupervisorOptions;
  readonly #backoff: Backoff;
  readonly #schedule: Schedule;
  readonly #now: () => number;
  #current: Component | null = null;
  #pending: { cancel(): void } | null = null;
  #stopping = false;
  #consecutive = 0;
  #restarts = 0;
  #startedAt = 0;
  #lastError: string | null = null;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#schedule = options.schedule ?? realSchedule;
    this.#now = options.now ?? Date.now;
  }

  /** The live instance (null between a failure and its restart). */
  get current(): Component | null {
    return this.#current;
  }

  /** Restarts so far. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Starts the first instance; its failure is thrown, not retried. */
  async start(): Promise<void> {
    const instance = this.#spawn();
    this.#options.states.set(this.#options.type, 'starting', undefined, this);
    try {
      await instance.start();
    } catch (error) {
      this.#options.states.set(this.#options.type, 'failed', message(error));
      throw error;
    }
    this.#running();
  }

  /** Cancels a pending restart and shuts the live instance down. */
  async shutdown(deadlineMs: number): Promise<void> {
    this.#stopping = true;
    this.#pending?.cancel();
    this.#pending = null;
    await this.#current?.shutdown(deadlineMs);
  }

  /** The live instance's own status, plus restarts and the last failure once there were any. */
  status(): Record<string, unknown> {
    const own = this.#current?.status?.() ?? {};
    return this.#restarts === 0 ? own : { ...own, restarts: this.#restarts, last_failure: this.#lastError };
  }

  #spawn(): Component {
    let instance: Component | null = null;
    instance = this.#options.create((error) => {
      if (instance !== null) this.#onFailure(instance, error);
    });
    this.#current = instance;
    return instance;
  }

  #running(): void {
    this.#startedAt = this.#now();
    this.#options.states.set(this.#options.type, 'running', undefined, this);
  }

  /** `instance` is null when creating the replacement itself threw. */
  #onFailure(instance: Component | null, error: unknown): void {
    if (this.#stopping || (instance !== null && instance !== this.#current)) return;
    this.#current = null;
    this.#lastError = message(error);
    if (this.#now() - this.#startedAt >= this.#backoff.stableMs) this.#consecutive = 0;
    this.#consecutive += 1;
    const delay = Math.min(this.#backoff.maxMs, this.#backoff.initialMs * 2 ** (this.#consecutive - 1));
    this.#options.states.set(this.#options.type, 'failed', `${this.#lastError}; restart ${this.#restarts + 1} in ${Math.round(delay / 1000)} s`);
    this.#options.logger.error({ err: error, restart_in_ms: delay, consecutive_failures: this.#consecutive }, 'collector failed; restarting it');
    void instance?.shutdown(this.#options.shutdownMs ?? 2_000).catch((stopError: unknown) => this.#options.logger.warn({ err: stopError }, 'failed collector did not stop cleanly'));
    this.#pending = this.#schedule(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    this.#pending = null;
    if (this.#stopping) return;
    this.#restarts += 1;
    let instance: Component;
    try {
      instance = this.#spawn();
      await instance.start();
    } catch (error) {
      // A failed restart counts as another failure of the same streak.
      this.#startedAt = this.#now();
      this.#onFailure(this.#current, error);
      return;
    }
    if (this.#stopping || instance !== this.#current) return;
    this.#options.logger.info({ restarts: this.#restarts }, 'collector restarted');
    this.#running();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
