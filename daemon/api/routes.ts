/**
 * The API v1 route table: the one place that says which method and path
 * reach which handler. Kept sorted by pattern, then method (checked at start).
 */
import type { ApiDeps } from './deps.js';
import { getStatus, postRebuild } from './handlers/admin.js';
import { postHook } from './handlers/hooks.js';
import { postBackup, postGc, type MaintenanceDeps } from './handlers/maintenance.js';
import { exportSessions } from './handlers/export.js';
import { postEvents } from './handlers/ingest.js';
import { getPrices } from './handlers/prices.js';
import { getSession, listSessionEvents, listSessions } from './handlers/sessions.js';
import { getStats } from './handlers/stats.js';
import { watchSessions } from './handlers/watch.js';
import { defineRoutes, type Route } from './router.js';

/** Builds the route table bound to the daemon's services. */
export function apiRoutes(deps: ApiDeps & MaintenanceDeps): readonly Route[] {
  return defineRoutes([
    { method: 'POST', pattern: '/v1/backup', body: 'json', write: true, handler: (ctx) => postBackup(deps, ctx) },
    { method: 'POST', pattern: '/v1/events', body: 'json', write: true, handler: (ctx) => postEvents(deps, ctx) },
    { method: 'GET', pattern: '/v1/export', handler: (ctx) => exportSessions(deps, ctx) },
    { method: 'POST', pattern: '/v1/gc', body: 'json', write: true, handler: (ctx) => postGc(deps, ctx) },
    { method: 'POST', pattern: '/v1/hooks/{framework}', body: 'json', write: true, handler: (ctx) => postHook(deps, ctx) },
    { method: 'GET', pattern: '/v1/prices', handler: (ctx) => getPrices(deps, ctx) },
    { method: 'POST', pattern: '/v1/rebuild', body: 'json', write: true, handler: (ctx) => postRebuild(deps, ctx) },
    { method: 'GET', pattern: '/v1/sessions', handler: (ctx) => listSessions(deps, ctx) },
    { method: 'GET', pattern: '/v1/sessions/{id}', handler: (ctx) => getSession(deps, ctx) },
    { method: 'GET', pattern: '/v1/sessions/{id}/events', handler: (ctx) => listSessionEvents(deps, ctx) },
    { method: 'GET', pattern: '/v1/stats', handler: (ctx) => getStats(deps, ctx) },
    { method: 'GET', pattern: '/v1/status', handler: (ctx) => getStatus(deps, ctx) },
    { method: 'GET', pattern: '/v1/watch', handler: (ctx) => watchSessions(deps, ctx) },
  ]);
}
