/**
 * The git enricher component. It learns the cwds sessions report through the
 * feeds daemon/main supplies, resolves them with git in the background (one
 * at a time, each time-boxed), and submits a `git.context` event whenever
 * what git says about a (session, cwd) changed. Nothing here is on the
 * ingest path: a feed listener only records the sighting.
 */
import type { Component, ComponentSettings } from '../../core/pipeline/component.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import { isDossierError } from '../../schema/index.js';
import type { CwdSighting, GitEnricherConfig } from './config.js';
import { gitContextEvent, parseEmittedState, stateKey, type EmittedState } from './event.js';
import { GitResolver } from './resolve.js';
import { GitRunner } from './runner.js';
import { SightingTracker, type Tracked } from './tracker.js';
import { Wakeup } from './wakeup.js';
import { settleWithin } from '../wait.js';

/** Collector type name; also the checkpoint namespace and counter prefix. */
export const GIT_COMPONENT_TYPE = 'git';

/** Longest cwd accepted from a feed. */
const MAX_CWD_LENGTH = 4096;
/** Wait before retrying a submit the pipeline refused as full. */
const SUBMIT_RETRY_MS = 1_000;

/** See the module comment. */
export class GitEnricher implements Component {
  readonly #settings: ComponentSettings;
  readonly #config: GitEnricherConfig;
  readonly #sink: EventSink;
  readonly #runner: GitRunner;
  readonly #resolver: GitResolver;
  readonly #tracker: SightingTracker;
  readonly #emitted = new Map<string, EmittedState>();
  readonly #backoffUntil = new Map<string, number>();
  readonly #abort = new AbortController();
  #gitMissingUntil = 0;
  #state: 'created' | 'running' | 'stopping' | 'stopped' = 'created';
  #unsubscribe: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  readonly #wakeup = new Wakeup();
  #lastPollAt: number | null = null;
  #lastProblem: string | null = null;

  constructor(settings: ComponentSettings, config: GitEnricherConfig, sink: EventSink) {
    this.#settings = settings;
    this.#config = config;
    this.#sink = sink;
    this.#runner = new GitRunner({ binary: config.binary });
    this.#resolver = new GitResolver(this.#runner, config.cacheTtlMs);
    this.#tracker = new SightingTracker(config.maxTracked);
  }

  /** Loads what was already recorded, subscribes to the feed, starts the background loop. */
  async start(): Promise<void> {
    if (this.#state !== 'created') return;
    this.#state = 'running';
    if (!this.#config.enabled) {
      this.#settings.logger.info('git enrichment disabled');
      return;
    }
    for (const [key, value] of this.#settings.checkpoints.load(GIT_COMPONENT_TYPE)) {
      const state = parseEmittedState(value);
      if (state) this.#emitted.set(key, state);
    }
    this.#unsubscribe = this.#config.onCwd?.((sighting) => this.note(sighting)) ?? null;
    this.#loop = this.#run().catch((error: unknown) => {
      this.#lastProblem = `loop stopped: ${(error as Error).message}`;
      this.#settings.logger.error({ err: error }, 'git enrichment loop stopped');
      // Nothing resolves cwds any more: let the supervisor restart this component with backoff.
      if (this.#state === 'running') this.#settings.fail?.(error);
    });
    this.#settings.logger.info({ feed: this.#feedName(), recorded: this.#emitted.size }, 'git enrichment started');
  }

  /**
   * Records that a session reported a cwd. Cheap and synchronous: safe to
   * call from any ingest path. Ignored once shutting down.
   */
  note(sighting: CwdSighting): void {
    if (this.#state !== 'running' || !this.#config.enabled) return;
    const { cwd, at, session_id } = sighting;
    if (typeof cwd !== 'string' || typeof session_id !== 'string' || session_id === '' || !Number.isFinite(at)) {
      this.#settings.counters.inc('git.sightings_invalid');
      return;
    }
    if (cwd.length > MAX_CWD_LENGTH || !(cwd.startsWith('/') || /^[A-Za-z]:[\\/]/.test(cwd))) {
      this.#settings.counters.inc('git.sightings_invalid');
      return;
    }
    const result = this.#tracker.note({ session_id, cwd, at: Math.trunc(at), framework: sighting.framework });
    if (result === 'dropped') this.#settings.counters.inc('git.sightings_dropped');
    if (result === 'new' || result === 'updated') this.#wakeup.wake();
  }

  /** Stops intake, interrupts running git, lets an in-flight submit finish within the deadline. Idempotent. */
  async shutdown(deadlineMs: number): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') {
      await this.#loop;
      return;
    }
    this.#state = 'stopping';
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#abort.abort();
    this.#wakeup.wake();
    if (this.#loop) {
      await settleWithin(this.#loop, deadlineMs);
    }
    this.#state = 'stopped';
    this.#settings.logger.info('git enrichment stopped');
  }

  /** Progress for `dossier status`. */
  status(): Record<string, unknown> {
    return {
      state: this.#state,
      enabled: this.#config.enabled,
      feed: this.#feedName(),
      tracked: this.#tracker.size,
      pending: this.#tracker.pending(),
      recorded: this.#emitted.size,
      git_processes_abandoned: this.#runner.abandoned,
      git_missing: this.#gitMissingUntil > this.#settings.now(),
      last_problem: this.#lastProblem,
    };
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      await this.#pollFeed();
      for (const entry of this.#tracker.due(this.#settings.now())) {
        if (signal.aborted || this.#runner.abandoned >= this.#config.maxAbandoned) break;
        await this.#process(entry);
      }
      this.#tracker.prune(this.#settings.now() - this.#config.liveWindowMs);
      if (!signal.aborted) await this.#wakeup.sleep(this.#nextWakeIn());
    }
  }

  async #process(entry: Tracked): Promise<void> {
    const now = this.#settings.now();
    const { sighting } = entry;
    const at = sighting.at;
    entry.notBefore = now + this.#config.refreshMs;
    if (this.#gitMissingUntil > now || (this.#backoffUntil.get(sighting.cwd) ?? 0) > now) {
      entry.notBefore = Math.max(entry.notBefore, this.#gitMissingUntil, this.#backoffUntil.get(sighting.cwd) ?? 0);
      return;
    }
    const key = stateKey(sighting.session_id, sighting.cwd);
    const previous = this.#emitted.get(key) ?? null;
    const live = now - at <= this.#config.liveWindowMs;
    if (!live && previous) {
      // History already described while it was live; a present-day look would rewrite it.
      entry.resolvedAt = at;
      this.#settings.counters.inc('git.history_already_recorded');
      return;
    }
    const result = await this.#resolver.resolve(sighting.cwd, live ? 'live' : 'static', {
      commandTimeoutMs: this.#config.commandTimeoutMs,
      deadline: now + this.#config.resolveTimeoutMs,
      signal: this.#abort.signal,
      now: this.#settings.now,
    });
    if (result.kind === 'not_repo') {
      entry.resolvedAt = at;
      this.#settings.counters.inc('git.not_repo');
      return;
    }
    if (result.kind === 'unavailable') {
      this.#noteFailure(result.reason, sighting.cwd, result.detail);
      return;
    }
    if (result.incomplete) this.#noteFailure(result.incomplete, sighting.cwd, 'resolution incomplete');
    if (result.incomplete === 'aborted') return;
    this.#settings.counters.inc('git.resolved');
    if (result.incomplete && previous) {
      // Partial facts would blank out fields an earlier, complete look recorded.
      entry.resolvedAt = at;
      return;
    }
    const { event, state } = gitContextEvent(sighting, result.facts, previous, this.#settings.now());
    if (previous && previous.digest === state.digest) {
      entry.resolvedAt = at;
      this.#settings.counters.inc('git.unchanged');
      return;
    }
    if (await this.#submit(event, key, state)) {
      this.#emitted.set(key, state);
      entry.resolvedAt = at;
    } else {
      entry.notBefore = this.#settings.now() + SUBMIT_RETRY_MS;
    }
  }

  async #submit(event: ReturnType<typeof gitContextEvent>['event'], key: string, state: EmittedState): Promise<boolean> {
    if (!this.#sink.accepting) {
      this.#settings.counters.inc('git.submit_deferred');
      return false;
    }
    try {
      await this.#sink.submit({
        events: [event],
        checkpoints: [{ collector: GIT_COMPONENT_TYPE, key, value: JSON.stringify(state) }],
      });
      this.#settings.counters.inc('git.events');
      return true;
    } catch (error) {
      if (isDossierError(error, 'DOSSIER_E_PIPELINE_QUEUE_FULL') || isDossierError(error, 'DOSSIER_E_PIPELINE_STOPPED')) {
        this.#settings.counters.inc('git.submit_deferred');
      } else {
        this.#settings.counters.inc('git.submit_failed');
        this.#lastProblem = `submit failed: ${(error as Error).message}`;
      }
      return false;
    }
  }

  #noteFailure(reason: string, cwd: string, detail: string): void {
    const now = this.#settings.now();
    if (reason === 'timeout') {
      this.#settings.counters.inc('git.timeouts');
      this.#backoffUntil.set(cwd, now + this.#config.hungBackoffMs);
      this.#lastProblem = `git timed out in ${cwd}`;
    } else if (reason === 'missing') {
      this.#settings.counters.inc('git.unavailable');
      this.#gitMissingUntil = now + this.#config.missingBackoffMs;
      this.#lastProblem = `git not runnable: ${detail}`;
    }
  }

  async #pollFeed(): Promise<void> {
    const list = this.#config.listSessionCwds;
    if (!list) return;
    const now = this.#settings.now();
    if (this.#lastPollAt !== null && now - this.#lastPollAt < this.#config.pollIntervalMs) return;
    const since = this.#lastPollAt === null ? now - this.#config.backfillWindowMs : this.#lastPollAt - this.#config.pollIntervalMs;
    this.#lastPollAt = now;
    try {
      for (const sighting of await list(since)) this.note(sighting);
    } catch (error) {
      this.#settings.counters.inc('git.feed_errors');
      this.#lastProblem = `listSessionCwds failed: ${(error as Error).message}`;
    }
  }

  #nextWakeIn(): number {
    const now = this.#settings.now();
    const due = this.#tracker.nextDueIn(now);
    const poll = this.#config.listSessionCwds && this.#lastPollAt !== null ? Math.max(0, this.#lastPollAt + this.#config.pollIntervalMs - now) : null;
    const waits = [due, poll].filter((w): w is number => w !== null);
    // With abandoned git processes at the limit, look again soon rather than spin.
    const floor = this.#runner.abandoned >= this.#config.maxAbandoned ? 1_000 : 0;
    return waits.length === 0 ? Number.POSITIVE_INFINITY : Math.max(floor, Math.min(...waits));
  }

  #feedName(): string {
    const push = this.#config.onCwd !== undefined;
    const poll = this.#config.listSessionCwds !== undefined;
    return push && poll ? 'push+poll' : push ? 'push' : poll ? 'poll' : 'none';
  }
}
