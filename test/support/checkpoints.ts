/** How test sinks and writers keep committed checkpoints, as the store does. */

/** Stores `value` under `key`, or forgets the key when `value` is null (a deleted checkpoint). */
export function applyCheckpoint(into: Map<string, string>, key: string, value: string | null): void {
  if (value === null) into.delete(key);
  else into.set(key, value);
}
