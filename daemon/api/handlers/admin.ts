/**
 * Daemon-level routes: the status snapshot and the projection rebuild.
 */
import { performance } from 'node:perf_hooks';
import { DossierError, type RebuildResponse } from '../../../schema/index.js';
import type { ApiDeps } from '../deps.js';
import { expectNoQuery } from '../query.js';
import type { RequestContext, RouteResult } from '../router.js';

/** `GET /v1/status`: versions, paths, database totals, pipeline counters, all counters, component states. */
export function getStatus(deps: ApiDeps, ctx: RequestContext): RouteResult {
  expectNoQuery(ctx.query);
  return { status: 200, body: deps.status() };
}

/**
 * `POST /v1/rebuild`: drops the projection and recomputes every session from
 * the ledger. With the body `{"rescan": true}` it then has the collectors
 * that can re-read their inputs from the start (transcripts) do so in the
 * background; dedupe keys keep the ledger exact.
 */
export async function postRebuild(deps: ApiDeps, ctx: RequestContext): Promise<RouteResult> {
  expectNoQuery(ctx.query);
  const rescan = (ctx.body as { rescan?: unknown } | undefined)?.rescan;
  if (rescan !== undefined && typeof rescan !== 'boolean') {
    throw new DossierError('DOSSIER_E_API_BAD_REQUEST', `rescan: must be a boolean (got ${JSON.stringify(rescan)})`);
  }
  const started = performance.now();
  const done = await deps.rebuild();
  const body: RebuildResponse = {
    sessions: done.sessions,
    events: done.events,
    duration_ms: Math.round(performance.now() - started),
  };
  if (rescan === true) body.rescanning = deps.rescan?.() ?? [];
  return { status: 200, body };
}
