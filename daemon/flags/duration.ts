/**
 * Duration flag values (`500ms`, `3s`, `30m`, `24h`, `7d`, or bare
 * milliseconds), validated once at start with the error shape every config
 * error has: `--flag: reason (got value)`.
 */
import { DossierError } from '../../schema/errors.js';
import { parseDuration } from '../../core/query/time-range.js';

/**
 * Parses the flag's value to ms; undefined when the flag was not given.
 * Throws `DOSSIER_E_CONFIG_INVALID` for a malformed value or one below `minMs`.
 */
export function parseDurationFlag(flag: string, value: unknown, bounds: { minMs: number }): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? (parseDuration(value.trim()) ?? Number.NaN) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < bounds.minMs) {
    throw new DossierError(
      'DOSSIER_E_CONFIG_INVALID',
      `--${flag}: must be a duration of at least ${bounds.minMs} ms such as 500ms, 3s, 30m, 24h or 7d (got ${JSON.stringify(value)})`,
    );
  }
  return ms;
}
