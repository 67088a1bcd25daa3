/**
 * The live feed of session changes behind `GET /v1/watch`. Every committed
 * batch's touched sessions get consecutive sequence numbers; the last
 * `capacity` changes are kept so a client that lost its connection can ask
 * for everything after the last position it saw. A position from another
 * daemon run (another epoch) or older than what is kept cannot be replayed:
 * the caller then sends a fresh snapshot, so nothing is ever silently missed.
 */

/** Default number of changes kept for resuming. */
export const DEFAULT_FEED_CAPACITY = 100_000;

/** One change: a session whose record was recomputed. */
export interface SessionChange {
  seq: number;
  session_id: string;
}

/**
 * Called synchronously for every change batch, in order; `reset` instead
 * when every session may have changed at once (a rebuild), so listeners
 * start over from a snapshot.
 */
export interface ChangeListener {
  changes(changes: readonly SessionChange[]): void;
  reset(): void;
}

/** Replay after a position: the sessions changed since (last change per session, in change order), or why not. */
export type ReplayResult = { kind: 'replay'; changes: SessionChange[] } | { kind: 'unknown-position' };

/** A bounded in-memory change log with an epoch per daemon run. */
export class ChangeFeed {
  /** Identifies this daemon run in positions, so a position from an earlier run is never misread. */
  readonly epoch: string;
  readonly #capacity: number;
  readonly #log: SessionChange[] = [];
  readonly #listeners = new Set<ChangeListener>();
  #seq = 0;
  /** Positions below this were issued before the last reset and cannot be replayed. */
  #floor = 0;

  constructor(options: { epoch: string; capacity?: number }) {
    this.epoch = options.epoch;
    this.#capacity = Math.max(1, options.capacity ?? DEFAULT_FEED_CAPACITY);
  }

  /** The sequence number of the newest change (0 before any). */
  get head(): number {
    return this.#seq;
  }

  /** Records a committed batch's touched sessions and tells every listener. A listener that throws is removed. */
  record(sessionIds: readonly string[]): void {
    if (sessionIds.length === 0) return;
    const changes = sessionIds.map((session_id) => ({ seq: ++this.#seq, session_id }));
    this.#log.push(...changes);
    // Trim in chunks so a full log is not shifted on every commit.
    if (this.#log.length > this.#capacity * 1.25) this.#log.splice(0, this.#log.length - this.#capacity);
    this.#tell((listener) => listener.changes(changes));
  }

  /**
   * Every session may have changed (the projection was rebuilt): forgets the
   * log, so earlier positions get a fresh snapshot, and tells every listener.
   */
  reset(): void {
    this.#seq++;
    this.#floor = this.#seq;
    this.#log.length = 0;
    this.#tell((listener) => listener.reset());
  }

  #tell(call: (listener: ChangeListener) => void): void {
    for (const listener of [...this.#listeners]) {
      try {
        call(listener);
      } catch {
        this.#listeners.delete(listener);
      }
    }
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** How many listeners are attached (open watch streams). */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** The changes after `seq` of this epoch, or `unknown-position` when they are no longer (or never were) here. */
  replayAfter(epoch: string, seq: number): ReplayResult {
    if (epoch !== this.epoch || !Number.isSafeInteger(seq) || seq < this.#floor || seq > this.#seq) return { kind: 'unknown-position' };
    const oldest = this.#log[0]?.seq ?? this.#seq + 1;
    if (seq < oldest - 1) return { kind: 'unknown-position' };
    const latest = new Map<string, number>();
    for (const change of this.#log) if (change.seq > seq) latest.set(change.session_id, change.seq);
    const changes = [...latest].map(([session_id, s]) => ({ seq: s, session_id })).sort((a, b) => a.seq - b.seq);
    return { kind: 'replay', changes };
  }
}

/** A resume position as the client sees it: `<epoch>.<seq>`. */
export function encodePosition(epoch: string, seq: number): string {
  return `${epoch}.${seq}`;
}

/** Splits a position; null when it is not one. */
export function decodePosition(position: string): { epoch: string; seq: number } | null {
  const match = /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})$/.exec(position);
  return match ? { epoch: match[1]!, seq: Number(match[2]) } : null;
}
