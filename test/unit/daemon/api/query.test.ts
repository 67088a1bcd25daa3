import { describe, expect, it } from 'vitest';
import { DossierError } from '../../../../schema/index.js';
import { QueryReader } from '../../../../daemon/api/query.js';

function reader(query: string, known: string[]): QueryReader {
  return new QueryReader(new URLSearchParams(query), known);
}

function errorOf(fn: () => unknown): DossierError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DossierError) return error;
    throw error;
  }
  throw new Error('expected a DossierError');
}

describe('QueryReader', () => {
  it('refuses unknown and repeated parameters, naming them', () => {
    const unknown = errorOf(() => reader('limit=1&colour=red', ['limit']));
    expect(unknown.code).toBe('DOSSIER_E_API_BAD_QUERY');
    expect(unknown.message).toContain('colour: unknown parameter');
    expect(errorOf(() => reader('limit=1&limit=2', ['limit'])).message).toContain('limit: given more than once');
  });

  it('reads integers within range and uses the fallback when absent', () => {
    expect(reader('', ['limit']).integer('limit', { min: 1, max: 10, fallback: 5 })).toBe(5);
    expect(reader('limit=10', ['limit']).integer('limit', { min: 1, max: 10, fallback: 5 })).toBe(10);
    for (const bad of ['0', '11', '1.5', 'abc', '', '1e3', '-1']) {
      const e = errorOf(() => reader(`limit=${bad}`, ['limit']).integer('limit', { min: 1, max: 10, fallback: 5 }));
      expect(e.message).toContain(`limit: must be an integer from 1 to 10 (got ${JSON.stringify(bad)})`);
    }
  });

  it('reads flags strictly', () => {
    expect(reader('', ['all']).flag('all')).toBe(false);
    expect(reader('all', ['all']).flag('all')).toBe(true);
    expect(reader('all=true', ['all']).flag('all')).toBe(true);
    expect(reader('all=0', ['all']).flag('all')).toBe(false);
    expect(errorOf(() => reader('all=yes', ['all']).flag('all')).message).toContain('all: must be true or false');
  });

  it('reads comma lists against the allowed values, without duplicates', () => {
    expect(reader('status=busy,idle,busy', ['status']).list('status', ['busy', 'idle', 'ended'])).toEqual(['busy', 'idle']);
    expect(reader('', ['status']).list('status', ['busy'])).toBeUndefined();
    expect(errorOf(() => reader('status=busy,sleeping', ['status']).list('status', ['busy'])).message).toContain('status: each item must be one of busy (got "sleeping")');
  });

  it('bounds free-form strings and refuses empty ones', () => {
    expect(reader('id=abc', ['id']).string('id', 3)).toBe('abc');
    expect(errorOf(() => reader('id=abcd', ['id']).string('id', 3)).message).toContain('id: longer than 3 characters');
    expect(errorOf(() => reader('id=', ['id']).string('id')).message).toContain('id: must not be empty');
  });
});
