/**
 * A sleep that can be cut short: the enricher's loop waits for its next due
 * work, and a new sighting (or shutdown) wakes it at once.
 */

/** See the module comment. One sleeper at a time. */
export class Wakeup {
  #wake: (() => void) | null = null;

  /**
   * Resolves after `ms` (never by time when infinite) or at {@link wake}.
   * The timer never keeps the process alive on its own.
   */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.min(Math.max(0, ms), 2_147_000_000)) : undefined;
      timer?.unref();
      this.#wake = done;
    });
  }

  /** Ends the current sleep, if there is one. */
  wake(): void {
    this.#wake?.();
  }
}
