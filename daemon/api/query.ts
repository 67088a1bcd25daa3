/**
 * Strict reading of query parameters. Every route names the parameters it
 * knows; anything else, a repeated parameter or a value of the wrong shape is
 * a 400 `DOSSIER_E_API_BAD_QUERY` naming the parameter and the value.
 */
import { DossierError } from '../../schema/index.js';

/** Longest value accepted for a free-form parameter (cursors, id prefixes). */
const MAX_VALUE_LENGTH = 1024;

/** Reads one request's query parameters, refusing unknown or repeated ones up front. */
export class QueryReader {
  readonly #params: URLSearchParams;

  /** Throws `DOSSIER_E_API_BAD_QUERY` when a parameter is not in `known` or appears twice. */
  constructor(params: URLSearchParams, known: readonly string[]) {
    this.#params = params;
    const seen = new Set<string>();
    for (const name of params.keys()) {
      if (!known.includes(name)) {
        throw badQuery(name, `unknown parameter (known: ${known.join(', ') || 'none'})`);
      }
      if (seen.has(name)) throw badQuery(name, 'given more than once');
      seen.add(name);
    }
  }

  /** A non-empty string of at most `maxLength` characters, or undefined when absent. */
  string(name: string, maxLength = MAX_VALUE_LENGTH): string | undefined {
    const value = this.#params.get(name);
    if (value === null) return undefined;
    if (value === '') throw badQuery(name, 'must not be empty', value);
    if (value.length > maxLength) throw badQuery(name, `longer than ${maxLength} characters`, value);
    return value;
  }

  /** An integer in [min, max]; `fallback` when absent. */
  integer(name: string, range: { min: number; max: number; fallback: number }): number {
    const value = this.#params.get(name);
    if (value === null) return range.fallback;
    const parsed = /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
      throw badQuery(name, `must be an integer from ${range.min} to ${range.max}`, value);
    }
    return parsed;
  }

  /** A flag: absent → false; `''`, `1`, `true` → true; `0`, `false` → false; anything else is refused. */
  flag(name: string): boolean {
    const value = this.#params.get(name);
    if (value === null || value === '0' || value === 'false') return false;
    if (value === '' || value === '1' || value === 'true') return true;
    throw badQuery(name, 'must be true or false', value);
  }

  /** Like {@link flag}, but undefined when absent, for a filter that is off unless given. */
  optionalFlag(name: string): boolean | undefined {
    return this.#params.has(name) ? this.flag(name) : undefined;
  }

  /** A comma-separated list whose items must all be in `allowed`; undefined when absent. */
  list<T extends string>(name: string, allowed: readonly T[]): T[] | undefined {
    const value = this.#params.get(name);
    if (value === null) return undefined;
    const items = value.split(',').map((item) => item.trim());
    for (const item of items) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw badQuery(name, `each item must be one of ${allowed.join(', ')}`, item);
      }
    }
    return [...new Set(items)] as T[];
  }
}

/** Refuses any query parameter, for routes that take none. */
export function expectNoQuery(params: URLSearchParams): void {
  new QueryReader(params, []);
}

/** A `DOSSIER_E_API_BAD_QUERY` reading `name: reason (got "value")`. */
export function badQuery(name: string, reason: string, value?: string): DossierError {
  const got = value === undefined ? '' : ` (got ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)})`;
  return new DossierError('DOSSIER_E_API_BAD_QUERY', `${name}: ${reason}${got}`);
}
