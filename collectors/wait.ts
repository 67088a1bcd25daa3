/**
 * The one shape every collector's shutdown waits in: for its in-flight work,
 * but never past its deadline.
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
