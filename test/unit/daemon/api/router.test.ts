import { describe, expect, it } from 'vitest';
import { Counters } from '../../../../core/pipeline/counters.js';
import { apiRoutes } from '../../../../daemon/api/routes.js';
import { compareRoutes, defineRoutes, matchRoute, type Route } from '../../../../daemon/api/router.js';
import type { ApiDeps } from '../../../../daemon/api/deps.js';

const ok = () => ({ status: 200, body: {} });
const route = (method: Route['method'], pattern: string): Route => ({ method, pattern, handler: ok });

describe('route table', () => {
  const deps = {} as unknown as ApiDeps;

  it('the real API table is sorted by pattern, then method, and serves every v1 route', () => {
    const routes = apiRoutes({ ...deps, counters: new Counters() });
    const names = routes.map((r) => `${r.method} ${r.pattern}`);
    expect(names).toEqual([...routes].sort(compareRoutes).map((r) => `${r.method} ${r.pattern}`));
    for (const name of ['POST /v1/events', 'POST /v1/rebuild', 'GET /v1/sessions', 'GET /v1/sessions/{id}', 'GET /v1/sessions/{id}/events', 'GET /v1/status']) {
      expect(names).toContain(name);
    }
    expect(routes.filter((r) => r.method === 'POST').every((r) => r.write === true && r.body === 'json')).toBe(true);
  });

  it('defineRoutes refuses an unsorted table, a duplicate and a malformed pattern', () => {
    expect(() => defineRoutes([route('GET', '/v1/b'), route('GET', '/v1/a')])).toThrow(/not sorted/);
    expect(() => defineRoutes([route('GET', '/v1/a'), route('GET', '/v1/a')])).toThrow(/duplicate/);
    expect(() => defineRoutes([route('GET', 'v1/a')])).toThrow(/malformed/);
    expect(() => defineRoutes([route('GET', '/v1/{id')])).toThrow(/malformed/);
    expect(defineRoutes([route('GET', '/v1/a'), route('POST', '/v1/a')])).toHaveLength(2);
  });
});

describe('matchRoute', () => {
  const table = defineRoutes([
    route('POST', '/v1/events'),
    route('GET', '/v1/sessions'),
    route('GET', '/v1/sessions/stats'),
    route('GET', '/v1/sessions/{id}'),
    route('GET', '/v1/sessions/{id}/events'),
  ]);

  it('captures and decodes parameters', () => {
    const m = matchRoute(table, 'GET', '/v1/sessions/ab%2Fc/events');
    expect(m.kind).toBe('matched');
    if (m.kind === 'matched') {
      expect(m.route.pattern).toBe('/v1/sessions/{id}/events');
      expect(m.params).toEqual({ id: 'ab/c' });
    }
  });

  it('prefers a literal segment over a parameter at the same place', () => {
    const m = matchRoute(table, 'GET', '/v1/sessions/stats');
    expect(m.kind === 'matched' && m.route.pattern).toBe('/v1/sessions/stats');
  });

  it('ignores one trailing slash', () => {
    expect(matchRoute(table, 'GET', '/v1/sessions/').kind).toBe('matched');
  });

  it('answers method-not-allowed with the allowed methods when only the method differs', () => {
    expect(matchRoute(table, 'DELETE', '/v1/sessions/x')).toEqual({ kind: 'method-not-allowed', allowed: ['GET'] });
    expect(matchRoute(table, 'GET', '/v1/events')).toEqual({ kind: 'method-not-allowed', allowed: ['POST'] });
  });

  it('answers not-found for unknown paths, empty parameters and undecodable segments', () => {
    expect(matchRoute(table, 'GET', '/v2/sessions').kind).toBe('not-found');
    expect(matchRoute(table, 'GET', '/v1/sessions//events').kind).toBe('not-found');
    expect(matchRoute(table, 'GET', '/v1/sessions/%E0%A4%A/events').kind).toBe('not-found');
    expect(matchRoute(table, 'GET', '/').kind).toBe('not-found');
  });
});
