/**
 * `dossier daemon`: runs the daemon in the foreground. The one CLI command
 * that does not talk to a daemon: it hands its options to the composition
 * root (`daemon/main`), loaded only when this command runs.
 */
import type { ParseArgsConfig } from 'node:util';
import { COLLECTORS, type CollectorPlan, type FlagValues } from '../components.js';
import { LOG_LEVELS, isLogLevel, type LogLevel } from '../logger.js';
import { expectPositionals, parseArgv, usageError } from './args.js';
import type { CommandModule } from './command.js';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Options of `dossier daemon`. */
export interface DaemonOptions {
  home: string | undefined;
  socket: string | undefined;
  logLevel: LogLevel;
  /** Collector types to run, or every one. */
  collectors: 'all' | string[];
  /** Values of the collectors' own flags, by flag name. */
  collectorFlags: FlagValues;
  /** Age in days after which gc prunes bulky raw attributes (default 90). */
  retentionDays?: number;
}

const BASE_OPTIONS = {
  home: { type: 'string' },
  socket: { type: 'string' },
  'log-level': { type: 'string' },
  collectors: { type: 'string' },
  'retention-days': { type: 'string' },
} as const;

/** Builds the usage text from the base flags and every collector's flags. */
export function daemonUsage(plans: readonly CollectorPlan[] = COLLECTORS): string {
  const collectorLines = plans.flatMap((plan) =>
    Object.entries(plan.flags).map(([name, flag]) => {
      const left = `--${name}${flag.type === 'string' ? ` ${flag.valueName ?? 'VALUE'}` : ''}`;
      return `  ${left.padEnd(22)}${flag.description} [${plan.type}]`;
    }),
  );
  return [
    'Usage: dossier daemon [--home DIR] [--socket PATH] [--log-level L] [--collectors LIST]',
    '',
    'Run the dossier daemon in the foreground. SIGTERM or Ctrl-C stops it cleanly.',
    '',
    '  --home DIR            state directory (default: $DOSSIER_HOME, else $XDG_STATE_HOME/dossier)',
    '  --socket PATH         API socket (default: $DOSSIER_SOCKET, else $XDG_RUNTIME_DIR/dossier/dossier.sock, else <state>/dossier.sock)',
    `  --log-level L         one of ${LOG_LEVELS.join(', ')} (default: info); logs go to stderr`,
    '  --retention-days N    prune bulky raw event attributes (tool commands, error texts) older than N days; session numbers never change (default: 90)',
    `  --collectors LIST     collectors to run: all (default), none, or a comma list of: ${plans.map((p) => p.type).join(', ') || '(none built in yet)'}`,
    ...collectorLines,
  ].join('\n');
}

/** Parses `daemon` arguments against the base flags plus every collector's flags. */
export function parseDaemonArgs(argv: string[], plans: readonly CollectorPlan[] = COLLECTORS): DaemonOptions {
  const collectorOptions: NonNullable<ParseArgsConfig['options']> = {};
  for (const plan of plans) {
    for (const [name, flag] of Object.entries(plan.flags)) {
      if (name in BASE_OPTIONS || name in collectorOptions) throw new Error(`daemon flag --${name} is defined twice (collector ${plan.type})`);
      collectorOptions[name] = flag.multiple === true ? { type: flag.type, multiple: true } : { type: flag.type };
    }
  }
  const { values, positionals } = parseArgv({ args: argv, options: { ...collectorOptions, ...BASE_OPTIONS } });
  expectPositionals(positionals, []);
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) throw usageError(`--log-level: must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevel)})`);
  const collectorFlags: Record<string, string | boolean | string[] | undefined> = {};
  for (const name of Object.keys(collectorOptions)) {
    const value = (values as Record<string, string | boolean | string[] | undefined>)[name];
    if (value !== undefined) collectorFlags[name] = value;
  }
  const retentionDays = parseRetentionDays(values['retention-days']);
  return {
    ...(retentionDays === undefined ? {} : { retentionDays }),
    home: values.home,
    socket: values.socket,
    logLevel,
    collectors: parseCollectorList(values.collectors),
    collectorFlags,
  };
}

function parseRetentionDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(days >= 1 && days <= 36_500)) throw usageError(`--retention-days: must be a whole number of days from 1 to 36500 (got ${JSON.stringify(value)})`);
  return days;
}

function parseCollectorList(value: string | undefined): 'all' | string[] {
  if (value === undefined || value === 'all') return 'all';
  if (value === 'none' || value === '') return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Parses `daemon` arguments with the built-in collector list. */
export function parse(argv: string[]): DaemonOptions {
  return parseDaemonArgs(argv);
}

/** Runs the daemon until it is stopped; the composition root exits the process. */
export async function run(opts: DaemonOptions, io: CliIo): Promise<ExitCode> {
  const { runDaemon } = await import('../main.js');
  return runDaemon(opts, io);
}

/** `dossier daemon` as a command module. */
export const command: CommandModule<DaemonOptions> = { usage: daemonUsage(), parse, run };
