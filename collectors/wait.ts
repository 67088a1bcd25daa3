/**
 * The shapes collectors wait in around shutdown: for their in-flight work
 * but never past a deadline, and pauses that a shutdown cuts short.
 */

/**
 * Settles when `work` settles or after `ms` (negative counts as 0), whichever
 * comes first; rejects only if `work` rejects first. The timer is cleared
 * either way and never keeps the process alive.
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
    timer.unref();
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves after `ms` (the timer does not hold the process open), or as soon
 * as `signal` aborts.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
