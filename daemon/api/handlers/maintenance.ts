/**
 * Maintenance routes: `POST /v1/backup` (an online copy of the database) and
 * `POST /v1/gc` (retention pruning). Their services are optional so test
 * daemons and fakes without a database file need not provide them.
 */
import { DossierError } from '../../../schema/errors.js';
import type { BackupRequest, BackupResponse, GcRequest, GcResponse } from '../../../schema/maintenance.js';
import { expectNoQuery } from '../query.js';
import type { RequestContext, RouteResult } from '../router.js';

/** What the maintenance routes call. */
export interface MaintenanceDeps {
  backup?(request: Required<BackupRequest>): Promise<BackupResponse>;
  gc?(request: GcRequest): Promise<GcResponse>;
}

/** Longest retention age the API accepts, in days (about 100 years). */
const MAX_DAYS = 36_500;

/** `POST /v1/backup` with `{ path, overwrite? }`: resolves once the copy is written and checked. */
export async function postBackup(deps: MaintenanceDeps, ctx: RequestContext): Promise<RouteResult> {
  expectNoQuery(ctx.query);
  if (deps.backup === undefined) throw unavailable('backup');
  const body = objectBody(ctx.body);
  const path = body.path;
  if (typeof path !== 'string' || !path.startsWith('/')) throw bad(`path: must be an absolute path (got ${JSON.stringify(path)})`);
  const overwrite = body.overwrite ?? false;
  if (typeof overwrite !== 'boolean') throw bad(`overwrite: must be a boolean (got ${JSON.stringify(overwrite)})`);
  rejectUnknown(body, ['path', 'overwrite']);
  return { status: 200, body: await deps.backup({ path, overwrite }) };
}

/** `POST /v1/gc` with `{ older_than_days?, dry_run? }`. */
export async function postGc(deps: MaintenanceDeps, ctx: RequestContext): Promise<RouteResult> {
  expectNoQuery(ctx.query);
  if (deps.gc === undefined) throw unavailable('gc');
  const body = objectBody(ctx.body);
  const days = body.older_than_days;
  if (days !== undefined && (typeof days !== 'number' || !Number.isFinite(days) || days < 0 || days > MAX_DAYS)) {
    throw bad(`older_than_days: must be a number from 0 to ${MAX_DAYS} (got ${JSON.stringify(days)})`);
  }
  const dryRun = body.dry_run;
  if (dryRun !== undefined && typeof dryRun !== 'boolean') throw bad(`dry_run: must be a boolean (got ${JSON.stringify(dryRun)})`);
  rejectUnknown(body, ['older_than_days', 'dry_run']);
  const request: GcRequest = {};
  if (days !== undefined) request.older_than_days = days;
  if (dryRun !== undefined) request.dry_run = dryRun;
  return { status: 200, body: await deps.gc(request) };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function rejectUnknown(body: Record<string, unknown>, known: readonly string[]): void {
  const extra = Object.keys(body).find((k) => !known.includes(k));
  if (extra !== undefined) throw bad(`${extra}: unknown field (known: ${known.join(', ')})`);
}

function bad(detail: string): DossierError {
  return new DossierError('DOSSIER_E_API_BAD_REQUEST', detail);
}

function unavailable(what: string): DossierError {
  return new DossierError('DOSSIER_E_API_NOT_FOUND', `${what} is not available on this daemon`);
}
