/**
 * Events of recently projected sessions, kept in memory so that a commit
 * adding a few events to a large live session does not reload and re-parse
 * all of it from the ledger. Bounded by a total event count, least recently
 * used sessions evicted first, so memory does not grow with history.
 *
 * Coherence rests on the single-writer rule: an entry is loaded inside a
 * write transaction and every later insert into that session appends to it
 * (in the form a reload would return). The writer clears the cache whenever a
 * transaction rolls back or the projection is rebuilt.
 */
import type { NormalizedEvent } from '../../schema/index.js';

/**
 * Default budget: events held across all cached sessions (about 1–1.5 KB of
 * heap each). Enough for a few dozen sessions being worked on at once; the
 * daemon's memory levels off at its size however long the history grows
 * (the soak benchmark: anonymous RSS 220–250 MB with 50k, 190–210 MB with
 * 25k, 270–345 MB with 100k, and half the ingest rate with 25k when 50
 * sessions of 1,000 events are fed at once).
 */
export const DEFAULT_EVENT_CACHE_EVENTS = 50_000;

/** LRU map of session key → that session's full event list. */
export class SessionEventCache {
  readonly budget: number;
  readonly #admits: (events: readonly NormalizedEvent[]) => boolean;
  readonly #sessions = new Map<number, NormalizedEvent[]>();
  #size = 0;

  /**
   * `budget` is the most events held at once; 0 disables caching. `admits`
   * says which complete lists are worth holding at all; {@link put} ignores
   * the others (by default it holds every list).
   */
  constructor(budget: number = DEFAULT_EVENT_CACHE_EVENTS, admits: (events: readonly NormalizedEvent[]) => boolean = () => true) {
    if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError(`event cache budget must be a non-negative integer (got ${budget})`);
    this.budget = budget;
    this.#admits = admits;
  }

  /** Events currently held. */
  get size(): number {
    return this.#size;
  }

  /** Sessions currently held. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** True when the session is cached (does not count as a use). */
  holds(sessionKey: number): boolean {
    return this.#sessions.has(sessionKey);
  }

  /** The session's complete event list, if cached; marks it most recently used. */
  get(sessionKey: number): NormalizedEvent[] | undefined {
    const events = this.#sessions.get(sessionKey);
    if (events === undefined) return undefined;
    this.#sessions.delete(sessionKey);
    this.#sessions.set(sessionKey, events);
    return events;
  }

  /** Holds the session's complete event list (it must be every event the ledger has for it), when admitted. */
  put(sessionKey: number, events: NormalizedEvent[]): void {
    if (!this.#admits(events)) return;
    this.#drop(sessionKey);
    if (events.length > this.budget) return;
    this.#sessions.set(sessionKey, events);
    this.#size += events.length;
    this.#evictOverBudget();
  }

  /** Adds a newly inserted event to its session's entry, if that session is cached. */
  append(sessionKey: number, event: NormalizedEvent): void {
    const events = this.#sessions.get(sessionKey);
    if (events === undefined) return;
    events.push(event);
    this.#size++;
    this.#evictOverBudget();
  }

  /** Forgets everything. */
  clear(): void {
    this.#sessions.clear();
    this.#size = 0;
  }

  #drop(sessionKey: number): void {
    const events = this.#sessions.get(sessionKey);
    if (events === undefined) return;
    this.#sessions.delete(sessionKey);
    this.#size -= events.length;
  }

  #evictOverBudget(): void {
    // Map iteration order is least recently used first.
    for (const key of this.#sessions.keys()) {
      if (this.#size <= this.budget) return;
      this.#drop(key);
    }
  }
}
