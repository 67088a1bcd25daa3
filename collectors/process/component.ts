/**
 * The `process` collector: every few seconds, checks that each session the
 * ledger thinks is running still has its process (same PID, same start
 * time), ends the ones that do not, ends PID-less sessions after the
 * inactivity window, and samples CPU and memory of the live ones. The list
 * of live sessions comes from `settings.liveSessions` (the store, wired by
 * the daemon); collectors never read the store themselves.
 */
import { isDossierError } from '../../schema/errors.js';
import type { Component, ComponentFactory, ComponentSettings } from '../../core/pipeline/component.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import { judgeLiveness, type ProcessProbe } from './liveness.js';
import { linuxBootTimeMs, readProcessStartTime } from './proc-info.js';
import { UsageSampler, type ProcessSample, type UsageReader } from './usage-sampler.js';
import { settleWithin } from '../wait.js';

/** Config of the `process` collector. */
export interface ProcessConfig {
  /** How often live sessions are checked, ms. */
  intervalMs: number;
  /** Sessions without a PID end this long after their last activity, ms (default 24 h). */
  inactivityMs: number;
  /** Start times within this many ms match (PID reuse check). */
  startToleranceMs: number;
  /** Sample CPU and memory of live processes after each check. */
  sampleUsage: boolean;
}

/** Seams for tests: a fake OS. */
export interface ProcessSeams {
  /** Called once per check; returns the probe for that check. */
  probe?: () => ProcessProbe;
  usageReader?: UsageReader;
}

/** Failed checks in a row after which the component reports itself failed to its supervisor. */
export const MAX_CONSECUTIVE_FAILURES = 5;

/** The liveness checker. */
export class ProcessComponent implements Component {
  readonly #settings: ComponentSettings;
  readonly #config: ProcessConfig;
  readonly #sink: EventSink;
  readonly #probe: () => ProcessProbe;
  readonly #sampler: UsageSampler;
  #timer: NodeJS.Timeout | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;
  #checks = 0;
  #ended = 0;
  #consecutiveFailures = 0;

  constructor(settings: ComponentSettings, config: ProcessConfig, sink: EventSink, seams: ProcessSeams = {}) {
    this.#settings = settings;
    this.#config = config;
    this.#sink = sink;
    this.#probe = seams.probe ?? systemProbe;
    this.#sampler = new UsageSampler(seams.usageReader);
  }

  async start(): Promise<void> {
    if (this.#stopped || this.#timer !== null) return;
    if (!this.#settings.liveSessions) {
      this.#settings.logger.info('no session list wired: process liveness is off');
      return;
    }
    this.#settings.logger.info({ interval_ms: this.#config.intervalMs, inactivity_ms: this.#config.inactivityMs }, 'process liveness started');
    this.#schedule(0);
  }

  /** Stops scheduling and waits for a check in progress (its events are committed or refused, never half-written). */
  async shutdown(deadlineMs: number): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await settleWithin(this.#queue, deadlineMs);
    this.#sampler.close();
  }

  /** Runs one check after any check in progress; resolves how many sessions it ended. */
  checkNow(): Promise<number> {
    const check = this.#queue.then(() => this.#check());
    this.#queue = check.catch(() => undefined);
    return check;
  }

  /** The latest CPU/memory sample of a session's process, for `dossier show`. */
  usageOf(sessionId: string): ProcessSample | undefined {
    return this.#sampler.get(sessionId);
  }

  status(): Record<string, unknown> {
    return { checks: this.#checks, sessions_ended: this.#ended, processes: this.#sampler.snapshot() };
  }

  async #check(): Promise<number> {
    const list = this.#settings.liveSessions;
    if (!list || this.#stopped) return 0;
    const sessions = await list();
    const now = this.#settings.now();
    const probe = this.#probe();
    const ended = judgeLiveness(sessions, probe, now, { inactivityMs: this.#config.inactivityMs, startToleranceMs: this.#config.startToleranceMs });
    this.#checks += 1;
    if (ended.length > 0 && this.#sink.accepting) {
      try {
        const result = await this.#sink.submit({ events: ended });
        this.#ended += result.inserted;
        this.#settings.counters.inc('process.sessions_ended', result.inserted);
      } catch (error) {
        // The same verdicts come back next check with the same keys.
        if (!isDossierError(error)) throw error;
        this.#settings.counters.inc('process.submit_refused');
      }
    }
    if (this.#config.sampleUsage) {
      const endedIds = new Set(ended.map((e) => e.session_id));
      const live = sessions.filter((s): s is typeof s & { pid: number } => s.pid !== null && !endedIds.has(s.session_id));
      await this.#sampler.sample(live, now);
    }
    return ended.length;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.checkNow().then(
        () => {
          this.#consecutiveFailures = 0;
          this.#schedule(this.#config.intervalMs);
        },
        (error: unknown) => {
          this.#consecutiveFailures += 1;
          this.#settings.logger.error({ err: error, consecutive: this.#consecutiveFailures }, 'liveness check failed');
          // A check that keeps failing will not heal by itself: hand it to the supervisor, which restarts this component with backoff.
          if (this.#consecutiveFailures >= MAX_CONSECUTIVE_FAILURES && this.#settings.fail) {
            this.#stopped = true;
            this.#settings.fail(error);
            return;
          }
          this.#schedule(this.#config.intervalMs);
        },
      );
    }, delayMs);
    this.#timer.unref();
  }
}

/** The OS probe: boot time read once per check, then one start-time read per PID. */
function systemProbe(): ProcessProbe {
  const bootMs = linuxBootTimeMs();
  return (pid) => readProcessStartTime(pid, bootMs);
}

/** Factory of the `process` collector; `seams` replace the OS in tests. */
export function createProcessFactory(seams: ProcessSeams = {}): ComponentFactory<ProcessConfig> {
  return {
    type: 'process',
    stability: 'beta',
    defaultConfig: () => ({ intervalMs: 3_000, inactivityMs: 24 * 60 * 60 * 1000, startToleranceMs: 2_000, sampleUsage: true }),
    create: (settings, config, sink) => new ProcessComponent(settings, config, sink, seams),
  };
}

/** The `process` collector as the daemon runs it. */
export const processFactory: ComponentFactory<ProcessConfig> = createProcessFactory();
