/**
 * The `dossier` command line: finds the command, handles help and version,
 * runs it, and turns failures into `Error: …` lines and named exit codes.
 * Command modules load lazily, so `dossier ls` never loads the collectors.
 */
import { isDossierError } from '../../schema/errors.js';
import { usageError } from './args.js';
import type { CommandModule } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { reportError } from './report-error.js';

type Loader = () => Promise<{ command: CommandModule<unknown> }>;

/** Every command, by name, with its one-line summary (kept here so `dossier help` loads nothing). */
const COMMANDS: Readonly<Record<string, { summary: string; load: Loader }>> = {
  backup: { summary: 'copy the database to a file while the daemon runs (SQLite online backup)', load: () => import('./backup.js') },
  config: { summary: 'show the daemon configuration in effect and where each value comes from', load: () => import('./config.js') },
  daemon: { summary: 'run the daemon in the foreground', load: () => import('./daemon.js') },
  doctor: { summary: 'check the daemon, ports, Claude Code settings, spool, database and disk; explain each fix', load: () => import('./doctor.js') },
  events: { summary: "print a session's event timeline, oldest first", load: () => import('./events.js') },
  gc: { summary: 'prune bulky raw attributes of old events; session numbers never change', load: () => import('./gc.js') },
  export: { summary: 'export a session as a Markdown report, JSON or CSV (or many sessions with filters)', load: () => import('./export.js') },
  hook: { summary: 'forward one agent hook call (JSON on stdin) to the daemon; agents run it', load: () => import('./hook.js') },
  ls: { summary: 'list sessions (live, and active in the last 24 h)', load: () => import('./ls.js') },
  prices: { summary: 'show the price table cost is computed with (USD per million tokens)', load: () => import('./prices.js') },
  rebuild: { summary: 'recompute every session from the event ledger', load: () => import('./rebuild.js') },
  service: { summary: 'run the daemon as a systemd --user unit or launchd agent (install, uninstall, status, logs)', load: () => import('./service.js') },
  setup: { summary: 'add dossier hooks and OTel settings to Claude Code (setup claude; --undo removes them)', load: () => import('./setup.js') },
  show: { summary: 'show one session: every field and where its value came from', load: () => import('./show.js') },
  stats: { summary: 'totals and averages over a time range, by day, model, project, repo or framework', load: () => import('./stats.js') },
  status: { summary: 'show the daemon: version, paths, database, counters, components', load: () => import('./status.js') },
  version: { summary: 'print the dossier version', load: () => import('./version.js') },
  watch: { summary: 'follow session changes live (a table on a terminal, JSON lines otherwise)', load: () => import('./watch.js') },
};

/** The top-level help text. */
export function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'dossier: an exact, live record of every AI coding-agent session on this machine',
    '',
    'Usage: dossier <command> [options]',
    '',
    'Commands:',
    ...lines,
    `  ${'help'.padEnd(width)}  show help for a command: dossier help <command>`,
    '',
    'Every read command takes --json (a stable contract, see docs/cli-json.md).',
    'Exit codes: 0 ok, 1 error, 2 usage, 3 daemon not running.',
    '',
  ].join('\n');
}

/**
 * Runs one `dossier` invocation and resolves its exit code (also set on
 * `process.exitCode`). Never rejects.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const code = await dispatch([...argv], io);
  process.exitCode = code;
  return code;
}

async function dispatch(argv: string[], io: CliIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  let name: string | undefined;
  try {
    if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
      if (first === 'help' && rest.length > 0) return await printCommandHelp(rest, io);
      io.stdout.write(generalHelp());
      return EXIT.ok;
    }
    if (first === '--version' || first === '-V') return await runCommand('version', rest, io);
    if (first.startsWith('-')) throw usageError(`unknown option ${first} before the command`);
    if (Object.hasOwn(COMMANDS, first)) name = first;
    return await runCommand(first, rest, io);
  } catch (error) {
    return reportError(error, io, name);
  }
}

/** The registered command `name`; a usage error when there is none. */
function commandEntry(name: string): (typeof COMMANDS)[string] {
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) throw usageError(`unknown command ${JSON.stringify(name)}`);
  return entry;
}

async function runCommand(name: string, argv: string[], io: CliIo): Promise<ExitCode> {
  const { command } = await commandEntry(name).load();
  if (wantsHelp(argv)) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  let options: unknown;
  try {
    options = command.parse(argv);
  } catch (error) {
    if (isDossierError(error)) throw error;
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  return command.run(options, io);
}

async function printCommandHelp(names: string[], io: CliIo): Promise<ExitCode> {
  if (names.length > 1) throw usageError('help takes one command name');
  const name = names[0]!;
  io.stdout.write(`${(await commandEntry(name).load()).command.usage}\n`);
  return EXIT.ok;
}

/** `--help` or `-h` anywhere before a `--` terminator. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
