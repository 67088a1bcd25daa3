/**
 * Doctor checks about the daemon process: does it answer, is it the same
 * version as this CLI, and are the OTLP ports free or held by it.
 */
import { ok, problem, type Check, type CheckResult } from './check.js';

const START_FIX = 'start it: dossier service install (runs it as a service) or dossier daemon (foreground)';

/** The daemon answers on its socket. */
export const daemonReachable: Check = (ctx) => {
  if ('error' in ctx.daemon) return problem('daemon.reachable', 'fail', `no daemon answers on ${ctx.paths.socket}: ${ctx.daemon.error}`, START_FIX);
  const s = ctx.daemon.status;
  return ok('daemon.reachable', `daemon pid ${s.pid} answers on ${s.socket}, up ${Math.round(s.uptime_ms / 1000)} s`);
};

/** The running daemon is this CLI's version (an upgrade needs a restart). */
export const versionsMatch: Check = (ctx) => {
  if ('error' in ctx.daemon) return problem('daemon.version', 'warn', 'cannot compare versions: the daemon is not running', START_FIX);
  const theirs = ctx.daemon.status.daemon_version;
  if (theirs === ctx.cliVersion) return ok('daemon.version', `daemon and CLI are both ${theirs}`);
  return problem('daemon.version', 'fail', `daemon is ${theirs}, this CLI is ${ctx.cliVersion}`, 'restart the daemon so it runs the installed version: dossier service install (restarts a changed unit) or systemctl --user restart dossier');
};

/** Each configured OTLP port is free (daemon down) or held by our daemon's receiver. */
export const portsFreeOrOurs: Check = async (ctx) => {
  const doors = [['otlp-http', ctx.otlp.http], ['otlp-grpc', ctx.otlp.grpc]] as const;
  const findings: CheckResult[] = [];
  const ours = 'status' in ctx.daemon && ctx.daemon.status.components.some((c) => c.name === 'otlp' && c.state === 'running');
  for (const [key, address] of doors) {
    if (address === null) continue;
    const split = splitAddress(address);
    if (split === null) {
      findings.push(problem('ports', 'fail', `${key}: cannot read ${JSON.stringify(address)} as HOST:PORT`, `set ${key} to HOST:PORT in the config file`));
      continue;
    }
    const probe = await ctx.probePort(split.host, split.port);
    if (probe === 'free') {
      if ('status' in ctx.daemon) findings.push(problem('ports', 'warn', `${address} is free but the running daemon is not listening on it`, 'restart the daemon with its OTLP collector on (collectors: all)'));
      continue;
    }
    if (probe === 'in-use' && ours) continue;
    if (probe === 'in-use') {
      findings.push(problem('ports', 'fail', `${address} (${key}) is taken by another program`, `stop that program (e.g. another OpenTelemetry collector), or set ${key} to a free port in the config file and the same port in Claude Code's OTEL_EXPORTER_OTLP_ENDPOINT`));
    } else {
      findings.push(problem('ports', 'fail', `cannot probe ${address}: ${probe.error}`, `check ${key} in the config file`));
    }
  }
  const worst = findings.find((f) => f.status === 'fail') ?? findings[0];
  if (worst !== undefined) return { ...worst, detail: findings.map((f) => f.detail).join('; ') };
  const listed = doors.filter(([, a]) => a !== null).map(([, a]) => a).join(', ');
  return ok('ports', listed === '' ? 'OTLP doors are off' : `${listed}: ${ours ? 'held by the dossier daemon' : 'free'}`);
};

/** `HOST:PORT` (IPv6 in brackets) into parts; null when malformed. */
export function splitAddress(address: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  if (!m) return null;
  const port = Number(m[3]);
  return port >= 1 && port <= 65_535 ? { host: m[1] ?? m[2]!, port } : null;
}

/** Used by the CLI when building the context: whether a door's value means off. */
export function doorAddress(value: unknown, fallback: string): string | null {
  if (value === 'off') return null;
  return typeof value === 'string' ? value : fallback;
}
