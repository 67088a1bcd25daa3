/**
 * `dossier daemon`: runs the daemon in the foreground. The one CLI command
 * that does not talk to a daemon: it hands its options to the composition
 * root (`daemon/main`), loaded only when this command runs.
 */
import type { ParseArgsConfig } from 'node:util';
import { COLLECTORS, PROMPT_TEXT_MODES, selectCollectors, type CollectorPlan, type FlagValues, type PromptTextMode } from '../components.js';
import { resolvePaths } from '../paths.js';
import { LOG_LEVELS, type LogLevel } from '../logger.js';
import { resolveConfig } from '../config/resolve.js';
import { DEFAULT_EVENT_CACHE_EVENTS, MAX_EVENT_CACHE_EVENTS } from '../event-cache-flag.js';
import { expectPositionals, parseArgv, parseChoice, parseWholeNumber } from './args.js';
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
  /** Keep or drop the text of user prompts, in every collector (default keep). */
  promptText: PromptTextMode;
  /** Most events the writer keeps in memory for live sessions (default: the store's). */
  eventCache?: number;
  /** The rotating JSON log file, or `off`; default `<state>/logs/dossier.log`. */
  logFile?: string;
  /** The command line as given, so `run` can layer it over the config file and environment. */
  argv?: string[];
  /** Re-reads the config file and environment under the same flags (SIGHUP); set by `run`. */
  reload?: () => DaemonOptions;
}

const BASE_OPTIONS = {
  home: { type: 'string' },
  socket: { type: 'string' },
  'log-level': { type: 'string' },
  collectors: { type: 'string' },
  'retention-days': { type: 'string' },
  'log-file': { type: 'string' },
  'prompt-text': { type: 'string' },
  'event-cache': { type: 'string' },
  config: { type: 'string' },
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
    'Usage: dossier daemon [--config FILE] [--home DIR] [--socket PATH] [--log-level L] [--collectors LIST]',
    '',
    'Run the dossier daemon in the foreground. SIGTERM or Ctrl-C stops it cleanly;',
    'SIGHUP re-reads the config file and applies log-level and retention-days.',
    '',
    'Every flag is also a key of the config file (JSON, same names) and an environment',
    'variable (DOSSIER_ + the name in upper snake case, e.g. DOSSIER_LOG_LEVEL).',
    'Flags win over the environment, which wins over the file. See: dossier config',
    '',
    '  --config FILE         config file (default: $DOSSIER_CONFIG, else $XDG_CONFIG_HOME/dossier/config.json)',
    '  --home DIR            state directory (default: $DOSSIER_HOME, else $XDG_STATE_HOME/dossier)',
    '  --socket PATH         API socket (default: $DOSSIER_SOCKET, else $XDG_RUNTIME_DIR/dossier/dossier.sock, else <state>/dossier.sock)',
    `  --log-level L         one of ${LOG_LEVELS.join(', ')} (default: info)`,
    '  --log-file FILE       JSON log, rotated at 10 MiB, 5 kept, or off (default: <state>/logs/dossier.log); stderr too, pretty on a terminal',
    `  --prompt-text MODE    ${PROMPT_TEXT_MODES.join(' or ')} the text of user prompts from every source; drop stores only their length and slash command (default: keep)`,
    `  --event-cache N       events of live sessions the writer keeps in memory (about 1–1.5 KB each); more is faster with many busy sessions (default: ${DEFAULT_EVENT_CACHE_EVENTS}, 0 turns it off)`,
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
  const logLevel = parseChoice('log-level', values['log-level'], LOG_LEVELS) ?? 'info';
  const collectorFlags: Record<string, string | boolean | string[] | undefined> = {};
  for (const name of Object.keys(collectorOptions)) {
    const value = (values as Record<string, string | boolean | string[] | undefined>)[name];
    if (value !== undefined) collectorFlags[name] = value;
  }
  const retentionDays = parseWholeNumber('retention-days', values['retention-days'], 'days', 1, 36_500);
  const eventCache = parseWholeNumber('event-cache', values['event-cache'], 'events', 0, MAX_EVENT_CACHE_EVENTS);
  return {
    ...(retentionDays === undefined ? {} : { retentionDays }),
    ...(eventCache === undefined ? {} : { eventCache }),
    ...(values['log-file'] === undefined ? {} : { logFile: values['log-file'] }),
    home: values.home,
    socket: values.socket,
    logLevel,
    promptText: parseChoice('prompt-text', values['prompt-text'], PROMPT_TEXT_MODES) ?? 'keep',
    collectors: parseCollectorList(values.collectors),
    collectorFlags,
  };
}

function parseCollectorList(value: string | undefined): 'all' | string[] {
  if (value === undefined || value === 'all') return 'all';
  if (value === 'none' || value === '') return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Parses `daemon` arguments with the built-in collector list, keeping the argv for layering. */
export function parse(argv: string[]): DaemonOptions {
  return { ...parseDaemonArgs(argv), argv: [...argv] };
}

/**
 * The effective options: the config file, then the environment, then the
 * flags. Errors name the key, the reason, the value and where it was set.
 */
export function layeredOptions(argv: readonly string[], env: CliIo['env'], plans: readonly CollectorPlan[] = COLLECTORS): DaemonOptions {
  const config = resolveConfig({ argv, env, plans });
  try {
    const options = parseDaemonArgs(config.argv, plans);
    checkCollectorFlags(options, env, plans);
    return { ...options, argv: [...argv] };
  } catch (error) {
    throw config.attribute(error);
  }
}

/**
 * Validates every selected collector's flags exactly as the daemon's start
 * will (`prepare` throws `DOSSIER_E_CONFIG_INVALID` naming the flag), without
 * creating anything, so a bad value is reported where it was set.
 */
export function checkCollectorFlags(options: DaemonOptions, env: CliIo['env'], plans: readonly CollectorPlan[] = COLLECTORS): void {
  // The same paths the daemon's start resolves, so a check cannot pass or fail where the start would not.
  const paths = resolvePaths({ home: options.home, socket: options.socket, env });
  for (const plan of selectCollectors(plans, options.collectors)) plan.prepare(options.collectorFlags, { env, home: paths.home, promptText: options.promptText });
}

/** Runs the daemon until it is stopped; the composition root exits the process. */
export async function run(opts: DaemonOptions, io: CliIo): Promise<ExitCode> {
  const argv = opts.argv ?? [];
  const effective = layeredOptions(argv, io.env);
  const { runDaemon } = await import('../main.js');
  return runDaemon({ ...effective, reload: () => layeredOptions(argv, io.env) }, io);
}

/** `dossier daemon` as a command module. */
export const command: CommandModule<DaemonOptions> = { usage: daemonUsage(), parse, run };
