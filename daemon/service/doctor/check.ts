/**
 * The shape of `dossier doctor`: each check looks at one thing, says what it
 * found and, when something is wrong, how to fix it. Checks read the machine
 * through a context so tests can stage every failure on purpose.
 */
import type { StatusResponse } from '../../../schema/api.js';
import type { DossierPaths } from '../../paths.js';

/** A check's verdict: `warn` needs attention but nothing is lost yet. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One check's result. */
export interface CheckResult {
  /** Stable id, e.g. `daemon.reachable`. */
  id: string;
  status: CheckStatus;
  /** What was found, one line. */
  detail: string;
  /** What to do about it; null when all is well. */
  fix: string | null;
}

/** How a TCP port looks from here. */
export type PortProbe = 'free' | 'in-use' | { error: string };

/** Everything the checks read. */
export interface DoctorContext {
  env: Readonly<Record<string, string | undefined>>;
  userHome: string;
  paths: DossierPaths;
  /** The daemon's status, or why it could not be had. */
  daemon: { status: StatusResponse } | { error: string };
  /** This CLI's version. */
  cliVersion: string;
  /** The OTLP door addresses the configuration asks for; null when off. */
  otlp: { http: string | null; grpc: string | null };
  probePort(host: string, port: number): Promise<PortProbe>;
  /** Free bytes and total bytes of the file system holding `path`. */
  diskSpace(path: string): { free: number; total: number };
}

/** One check. */
export type Check = (ctx: DoctorContext) => Promise<CheckResult> | CheckResult;

/** A check that needs no waiting (file reads). */
export type SyncCheck = (ctx: DoctorContext) => CheckResult;

/** A passing result. */
export function ok(id: string, detail: string): CheckResult {
  return { id, status: 'ok', detail, fix: null };
}

/** A failing or warning result with its fix. */
export function problem(id: string, status: 'warn' | 'fail', detail: string, fix: string): CheckResult {
  return { id, status, detail, fix };
}

/** Runs every check in order; a check that throws is reported as failed, never ends the run. */
export async function runChecks(checks: readonly (readonly [string, Check])[], ctx: DoctorContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [id, check] of checks) {
    try {
      results.push(await check(ctx));
    } catch (error) {
      results.push(problem(id, 'fail', `the check itself failed: ${error instanceof Error ? error.message : String(error)}`, 'report this as a dossier bug'));
    }
  }
  return results;
}
