/**
 * Waiting in tests without timing assertions: poll a condition until it
 * holds, and fail with what was awaited only after a generous deadline.
 */

/** Resolves once `check()` is true; rejects with `timed out waiting for <what>` after `timeoutMs`. */
export async function pollUntil(what: string, check: () => boolean, { timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
