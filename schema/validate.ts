/**
 * Boundary validation for events arriving from outside the process (the API,
 * the hook spool, replays). Collectors inside the daemon build typed events
 * and do not pay for this.
 */
import { NormalizedEventSchema, type NormalizedEvent } from './events.js';
import { LIMITS } from './limits.js';

/** Result of validating one candidate event. */
export type EventValidation = { ok: true; event: NormalizedEvent } | { ok: false; error: string };

/**
 * Validates one unknown value as a {@link NormalizedEvent}. On failure the
 * error reads `path: reason (got value)` for the first problem found.
 */
export function validateEvent(candidate: unknown): EventValidation {
  const parsed = NormalizedEventSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : 'event';
    const got = issue ? describeValueAt(candidate, issue.path) : '';
    return { ok: false, error: `${path}: ${issue?.message ?? 'invalid'}${got}` };
  }
  const attrsBytes = Buffer.byteLength(JSON.stringify(parsed.data.attrs));
  if (attrsBytes > LIMITS.maxAttrsBytes) {
    return { ok: false, error: `attrs: larger than ${LIMITS.maxAttrsBytes} bytes (got ${attrsBytes})` };
  }
  return { ok: true, event: parsed.data };
}

/**
 * ` (got <value>)` for the value at `path` inside `root`, shortened to 60
 * characters, or ` (got nothing)` when absent: the tail of every
 * `field: reason (got value)` message.
 */
export function describeValueAt(root: unknown, path: readonly PropertyKey[]): string {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  if (value === undefined) return ' (got nothing)';
  const shown = JSON.stringify(value) ?? String(value);
  return ` (got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown})`;
}
