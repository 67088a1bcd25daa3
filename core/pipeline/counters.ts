/**
 * Named monotonic counters for per-event facts (lines skipped, records
 * rejected, …). Components count here instead of logging per event;
 * `dossier status` shows a snapshot.
 */
export class Counters {
  readonly #values = new Map<string, number>();

  /** Adds `n` (default 1) to the counter `name` (dotted, e.g. `transcript.lines_malformed`). */
  inc(name: string, n = 1): void {
    this.#values.set(name, (this.#values.get(name) ?? 0) + n);
  }

  /** Current value of one counter; 0 if never incremented. */
  get(name: string): number {
    return this.#values.get(name) ?? 0;
  }

  /** All counters, keys sorted, as a plain object. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of [...this.#values.keys()].sort()) out[key] = this.#values.get(key) ?? 0;
    return out;
  }
}
