/**
 * Duration flag values (`500ms`, `3s`, `30m`, `24h`, `7d`, or bare
 * milliseconds), validated once at start with the error shape every config
 * error has: `--flag: reason (got value)`.
 */
import { DossierError } from '../../schema/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses the flag's value to ms; undefined when the flag was not given.
 * Throws `DOSSIER_E_CONFIG_INVALID` for a malformed value or one below `minMs`.
 */
export function parseDurationFlag(flag: string, value: unknown, bounds: { minMs: number }): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{1,9})(ms|s|m|h|d)?$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? 'ms']! : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < bounds.minMs) {
    throw new DossierError(
      'DOSSIER_E_CONFIG_INVALID',
      `--${flag}: must be a duration of at least ${bounds.minMs} ms such as 500ms, 3s, 30m, 24h or 7d (got ${JSON.stringify(value)})`,
    );
  }
  return ms;
}
