/**
 * `dossier config`: the daemon's effective configuration, key by key, with
 * where each value came from (flag, environment, config file, default), and
 * the same validation the daemon runs at start. Takes the daemon's flags, so
 * `dossier config --log-level debug` shows what that start would use.
 */
import { COLLECTORS } from '../components.js';
import { resolveConfig, type Setting } from '../config/resolve.js';
import { describeSource } from '../config/layers.js';
import { envNameOf } from '../config/keys.js';
import { checkCollectorFlags, parseDaemonArgs } from './daemon.js';
import { writeJson, type CommandModule } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Options of `dossier config`: the daemon flags to layer, and the output form. */
export interface ConfigOptions {
  argv: string[];
  json: boolean;
}

export const usage = `Usage: dossier config [--json] [--config FILE] [daemon flags…]

Print the configuration \`dossier daemon\` would run with, and where each
value comes from. Lowest to highest: defaults, the config file
($DOSSIER_CONFIG, else $XDG_CONFIG_HOME/dossier/config.json), DOSSIER_*
environment variables, flags. Invalid settings are reported as
\`key: reason (got value)\` and exit with code 2, as the daemon would refuse them.

  --json          print { config_file, settings: [{ key, value, source, env, reloadable }] }`;

/** Keeps `--json` for itself and the rest for layering. */
export function parse(argv: string[]): ConfigOptions {
  const rest = argv.filter((a) => a !== '--json');
  return { argv: rest, json: rest.length !== argv.length };
}

/** Resolves, validates and prints the configuration. */
export async function run(opts: ConfigOptions, io: CliIo): Promise<ExitCode> {
  const config = resolveConfig({ argv: opts.argv, env: io.env, plans: COLLECTORS });
  try {
    checkCollectorFlags(parseDaemonArgs(config.argv), io.env);
  } catch (error) {
    throw config.attribute(error);
  }
  if (opts.json) {
    writeJson(io, {
      config_file: config.configPath,
      settings: config.settings.map((s) => ({ key: s.key.name, value: s.value, source: describeSource(s.source), env: envNameOf(s.key.name), reloadable: s.key.reloadable })),
    });
  } else {
    io.stdout.write(formatSettings(config.configPath, config.settings));
  }
  return EXIT.ok;
}

/** The human table: key, value, source; reloadable keys marked. */
export function formatSettings(configPath: string, settings: readonly Setting[]): string {
  const width = Math.max(...settings.map((s) => s.key.name.length));
  const shown = (s: Setting): string => (s.value === null ? '(built-in)' : Array.isArray(s.value) ? s.value.join(', ') : String(s.value));
  const valueWidth = Math.min(40, Math.max(...settings.map((s) => shown(s).length)));
  const lines = settings.map((s) => `${s.key.name.padEnd(width)}  ${shown(s).padEnd(valueWidth)}  ${describeSource(s.source)}${s.key.reloadable ? '  (SIGHUP)' : ''}`);
  return `config file: ${configPath}\n\n${lines.join('\n')}\n`;
}


/** `dossier config` as a command module. */
export const command: CommandModule<ConfigOptions> = { usage, parse, run };
