/**
 * A read-only view of one hook payload (a JSON object of unknown shape).
 * Every accessor returns undefined for a missing field or a value of the
 * wrong JSON type: nothing is coerced, nothing throws. Texts are cut to the
 * ledger's bound and ids over the id bound read as absent.
 */
import { LIMITS } from '../../schema/limits.js';

/** Accessors over one payload object. */
export class HookPayload {
  readonly raw: Readonly<Record<string, unknown>>;

  constructor(raw: Readonly<Record<string, unknown>>) {
    this.raw = raw;
  }

  /**
   * Wraps a parsed JSON value; undefined unless it is a plain object (arrays
   * and scalars are not payloads).
   */
  static of(value: unknown): HookPayload | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return new HookPayload(value as Record<string, unknown>);
  }

  /** A string field, cut to `LIMITS.maxTextLength`; empty strings read as absent. */
  text(name: string): string | undefined {
    return cutText(this.raw[name]);
  }

  /** A string field usable as an id (1..`LIMITS.maxIdLength` chars). */
  id(name: string): string | undefined {
    return asId(this.raw[name]);
  }

  /** A string field cut to `max` chars (names, modes, reasons). */
  short(name: string, max: number): string | undefined {
    const value = this.raw[name];
    return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
  }

  /** A non-negative integer field. */
  count(name: string): number | undefined {
    return asCount(this.raw[name]);
  }

  bool(name: string): boolean | undefined {
    const value = this.raw[name];
    return typeof value === 'boolean' ? value : undefined;
  }

  /** A nested object field as its own view. */
  object(name: string): HookPayload | undefined {
    return HookPayload.of(this.raw[name]);
  }

  /** An array field's object elements, each as a view (other elements are skipped). */
  objects(name: string): HookPayload[] {
    const value = this.raw[name];
    if (!Array.isArray(value)) return [];
    const out: HookPayload[] = [];
    for (const item of value) {
      const view = HookPayload.of(item);
      if (view) out.push(view);
    }
    return out;
  }
}

/** A string cut to the ledger's text bound; undefined for non-strings and empty strings. */
export function cutText(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return value.length > LIMITS.maxTextLength ? value.slice(0, LIMITS.maxTextLength) : value;
}

/** A string usable as an id, else undefined. */
export function asId(value: unknown): string | undefined {
  return typeof value === 'string' && value.length >= 1 && value.length <= LIMITS.maxIdLength ? value : undefined;
}

/** A non-negative safe integer, else undefined (fractions are rounded: durations may arrive as floats). */
export function asCount(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  const n = Math.round(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
