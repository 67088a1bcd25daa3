/**
 * The enricher's to-do list: the latest sighting per (session, cwd), which of
 * them still need resolving, and when. A burst of sightings for one session
 * collapses into one entry; an entry is resolved at most once per refresh
 * interval, and always again after its last activity, so the final state of
 * a session is recorded even when it was busy right up to the end.
 */
import type { CwdSighting } from './config.js';
import { stateKey } from './event.js';

/** One (session, cwd) being followed. */
export interface Tracked {
  key: string;
  /** The newest sighting. */
  sighting: CwdSighting;
  /** The activity time that was last resolved (0: never). */
  resolvedAt: number;
  /** Wall time the last resolution started, or the time before which it must not start. */
  notBefore: number;
}

/** What {@link SightingTracker.note} did with a sighting. */
export type NoteResult = 'new' | 'updated' | 'ignored' | 'dropped';

/** Keeps the latest sighting per (session, cwd); see the module comment. */
export class SightingTracker {
  readonly #entries = new Map<string, Tracked>();
  readonly #maxTracked: number;

  constructor(maxTracked: number) {
    this.#maxTracked = maxTracked;
  }

  /** Records a sighting; older-or-equal activity than already known is ignored. */
  note(sighting: CwdSighting): NoteResult {
    const key = stateKey(sighting.session_id, sighting.cwd);
    const entry = this.#entries.get(key);
    if (entry) {
      if (sighting.at <= entry.sighting.at) return 'ignored';
      entry.sighting = sighting;
      return 'updated';
    }
    if (this.#entries.size >= this.#maxTracked) return 'dropped';
    this.#entries.set(key, { key, sighting, resolvedAt: 0, notBefore: 0 });
    return 'new';
  }

  /** Entries whose newest activity is unresolved and whose wait is over, newest activity first. */
  due(now: number): Tracked[] {
    const out: Tracked[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.sighting.at > entry.resolvedAt && entry.notBefore <= now) out.push(entry);
    }
    return out.sort((a, b) => b.sighting.at - a.sighting.at);
  }

  /** Milliseconds until the next unresolved entry is due (0 if one is due now), or null if none waits. */
  nextDueIn(now: number): number | null {
    let next: number | null = null;
    for (const entry of this.#entries.values()) {
      if (entry.sighting.at <= entry.resolvedAt) continue;
      const wait = Math.max(0, entry.notBefore - now);
      if (next === null || wait < next) next = wait;
    }
    return next;
  }

  /** Forgets resolved entries whose last activity is older than `cutoff`; they come back if seen again. */
  prune(cutoff: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.sighting.at <= entry.resolvedAt && entry.sighting.at < cutoff) this.#entries.delete(key);
    }
  }

  /** Entries followed. */
  get size(): number {
    return this.#entries.size;
  }

  /** Entries waiting to be resolved. */
  pending(): number {
    let n = 0;
    for (const entry of this.#entries.values()) if (entry.sighting.at > entry.resolvedAt) n++;
    return n;
  }
}
