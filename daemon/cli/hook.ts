/**
 * `dossier hook`: the command an agent runs for every hook event. Reads the
 * payload from stdin, stamps the time, finds the agent's process, sends it
 * all to the daemon over the socket with a short deadline, and spools it
 * when the daemon is down or slow. It always exits 0 and prints nothing:
 * exit code 2 would BLOCK a Claude Code tool call, and stdout is read as the
 * hook's answer. So even a bad command line is ignored, not reported.
 *
 * Its import graph is kept tiny (no zod, no pino, no SQLite): its run time
 * is added to the agent's own latency on every tool call. `bin/dossier.js`
 * loads this file directly for `hook`, skipping the CLI dispatcher.
 */
import { parseArgs } from 'node:util';
import { forwardHookCall } from '../hook/forward.js';
import { readHookInput } from '../hook/input.js';
import { resolvePaths } from '../paths.js';
import type { CommandModule } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Stamped when this module loads: the closest the forwarder gets to when the hook fired. */
const LOADED_AT = Date.now();

/** Default deadline for the daemon's reply, ms; `DOSSIER_HOOK_TIMEOUT_MS` or `--timeout-ms` change it. */
export const DEFAULT_HOOK_TIMEOUT_MS = 500;

/** How long stdin may stay open before the forwarder uses what it got. */
const STDIN_DEADLINE_MS = 5_000;

/** Options of `dossier hook`. */
export interface HookOptions {
  framework: string;
  socket?: string | undefined;
  home?: string | undefined;
  timeoutMs?: number | undefined;
}

export const usage = `Usage: dossier hook [--framework claude_code] [--timeout-ms N]

Forwards one agent hook call (JSON on stdin) to the dossier daemon; when the
daemon is down or slow it spools the call, and the daemon ingests it later.
Always exits 0 and prints nothing, so it never blocks or changes the agent.
Install it with: dossier setup claude

  --framework NAME  agent framework of the payload (default: claude_code)
  --timeout-ms N    how long to wait for the daemon before spooling (default: ${DEFAULT_HOOK_TIMEOUT_MS})
  --socket PATH     the daemon socket (default: as for every command)
  --home DIR        the state directory, where the spool lives`;

/** Parses `hook` arguments leniently: unknown or malformed options are ignored, never an error. */
export function parse(argv: string[]): HookOptions {
  let values: Record<string, string | boolean | undefined> = {};
  try {
    values = parseArgs({
      args: argv,
      strict: false,
      allowPositionals: true,
      options: { framework: { type: 'string' }, socket: { type: 'string' }, home: { type: 'string' }, 'timeout-ms': { type: 'string' } },
    }).values;
  } catch {
    // Keep the defaults: a hook must run whatever its command line says.
  }
  const text = (name: string): string | undefined => (typeof values[name] === 'string' && values[name] !== '' ? (values[name] as string) : undefined);
  return { framework: text('framework') ?? 'claude_code', socket: text('socket'), home: text('home'), timeoutMs: timeout(text('timeout-ms')) };
}

/** Forwards the call on stdin. Resolves 0 whatever happens. */
export async function run(opts: HookOptions, io: CliIo): Promise<ExitCode> {
  try {
    if (process.stdin.isTTY) return EXIT.ok;
    const input = await readHookInput(process.stdin, STDIN_DEADLINE_MS);
    // A stdin the agent never closed would keep this process alive after the work is done.
    process.stdin.destroy();
    const paths = resolvePaths({ home: opts.home, socket: opts.socket, env: io.env });
    await forwardHookCall(input, {
      home: paths.home,
      socket: paths.socket,
      framework: opts.framework,
      timeoutMs: opts.timeoutMs ?? timeout(io.env.DOSSIER_HOOK_TIMEOUT_MS) ?? DEFAULT_HOOK_TIMEOUT_MS,
      firedAt: LOADED_AT,
      parentPid: process.ppid,
      env: io.env,
    });
  } catch {
    // Nothing may reach the agent: not an exit code, not a line on stdout.
  }
  return EXIT.ok;
}

/** `dossier hook` as a command module. */
export const command: CommandModule<HookOptions> = { usage, parse, run };

/**
 * Entry for `bin/dossier.js hook …`: runs without the CLI dispatcher and
 * sets exit code 0. `--help` prints the usage (to a person, not an agent).
 */
export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  await run(parse(argv), { stdout: process.stdout, stderr: process.stderr, isTTY: false, env: process.env, columns: undefined });
  process.exitCode = 0;
}

function timeout(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,6}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}
