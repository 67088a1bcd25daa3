/**
 * `dossier doctor`: checks what dossier depends on (daemon, versions, ports,
 * Claude Code settings, transcripts, hook spool, database, disk) and explains
 * each problem with its fix. Exit 1 when any check fails.
 */
import { homedir } from 'node:os';
import { COLLECTORS } from '../components.js';
import { resolveConfig } from '../config/resolve.js';
import { resolvePaths } from '../paths.js';
import { DOCTOR_CHECKS, doorAddress, probeTcpPort, runChecks, statDisk, type CheckResult, type DoctorContext } from '../service/doctor/index.js';
import { DOSSIER_VERSION } from '../version.js';
import { CONNECTION_HELP, parseJsonOnly } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Options of `dossier doctor`. */
export interface DoctorOptions extends ConnectionOptions {
  json: boolean;
}

export const usage = `Usage: dossier doctor [--json]

Check everything dossier depends on and explain how to fix what is wrong:
the daemon answers and runs this version, the OTLP ports are free or ours,
Claude Code's settings carry the dossier hooks and OTel variables, the
transcripts are readable, the hook spool is empty, the database passes
PRAGMA quick_check, and the disk has room. Exits 1 when a check fails.

  --json          print { ok, checks: [{ id, status, detail, fix }] }
${CONNECTION_HELP}`;

/** Parses `doctor` arguments. */
export function parse(argv: string[]): DoctorOptions {
  return parseJsonOnly(argv);
}

/** Builds the context from this machine, runs every check, prints the verdicts. */
export async function run(opts: DoctorOptions, io: CliIo): Promise<ExitCode> {
  const results = await runChecks(DOCTOR_CHECKS, await machineContext(opts, io));
  const failed = results.some((r) => r.status === 'fail');
  if (opts.json) writeJson(io, { ok: !failed, checks: results });
  else io.stdout.write(formatResults(results));
  return failed ? EXIT.error : EXIT.ok;
}

async function machineContext(opts: DoctorOptions, io: CliIo): Promise<DoctorContext> {
  const config = resolveConfig({ argv: [], env: io.env, plans: COLLECTORS });
  const setting = (key: string): unknown => config.settings.find((s) => s.key.name === key)?.value ?? null;
  const configured = resolvePaths({ home: opts.home ?? (setting('home') as string | undefined) ?? undefined, socket: opts.socket ?? (setting('socket') as string | undefined) ?? undefined, env: io.env });
  let daemon: DoctorContext['daemon'];
  let paths = configured;
  try {
    const status = await connect({ socket: configured.socket }, io).status();
    daemon = { status };
    // A running daemon knows its own files best (it may have been started with --home).
    paths = { ...configured, home: status.home, db: status.database.path };
  } catch (error) {
    daemon = { error: error instanceof Error ? error.message : String(error) };
  }
  return {
    env: io.env,
    userHome: io.env.HOME ?? homedir(),
    paths,
    daemon,
    cliVersion: DOSSIER_VERSION,
    otlp: { http: doorAddress(setting('otlp-http'), '127.0.0.1:4318'), grpc: doorAddress(setting('otlp-grpc'), '127.0.0.1:4317') },
    probePort: probeTcpPort,
    diskSpace: statDisk,
  };
}

/** One line per check, and the fix under each problem. */
export function formatResults(results: readonly CheckResult[]): string {
  const mark = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${mark[r.status]}  ${r.id.padEnd(20)}  ${r.detail}`);
    if (r.fix !== null) lines.push(`${' '.repeat(28)}Fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push('', failed + warned === 0 ? 'Everything looks right.' : `${failed} failed, ${warned} to look at.`);
  return `${lines.join('\n')}\n`;
}

/** `dossier doctor` as a command module. */
export const command: CommandModule<DoctorOptions> = { usage, parse, run };
