/**
 * A small map whose entries expire after a fixed time and which never holds
 * more than a fixed number of entries (the oldest insertions go first).
 * Time is passed in, so tests need no clock.
 */

/** Key → value with expiry; see the module comment. */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries: number) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = Math.max(1, maxEntries);
  }

  /** The value stored under `key` unless it expired by `now`. */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` until `now + ttl`, evicting the oldest entry when full. */
  set(key: string, value: V, now: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expires: now + this.#ttlMs });
  }

  /** Entries currently held (expired ones included until next read). */
  get size(): number {
    return this.#entries.size;
  }
}
