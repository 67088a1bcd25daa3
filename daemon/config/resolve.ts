/**
 * The daemon's effective configuration: defaults, then the config file, then
 * `DOSSIER_*` environment variables, then flags, each later one winning. The
 * result is an argv the flag parser validates as usual, plus where every
 * value came from (for `dossier config` and for error messages).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { configHome } from '../paths.js';
import { DossierError, isDossierError } from '../../schema/errors.js';
import type { CollectorPlan } from '../components.js';
import { configKeys, envNameOf, type ConfigKey } from './keys.js';
import { describeSource, readEnvLayer, readFileLayer, readFlagLayer, type SettingSource, type SettingValue } from './layers.js';

/** One key's effective value and its origin. */
export interface Setting {
  key: ConfigKey;
  /** Null when the key is unset and its default is decided by its owner. */
  value: SettingValue | null;
  source: SettingSource;
}

/** The merged configuration. */
export interface ResolvedConfig {
  /** The config file consulted, and whether it existed. */
  configPath: string;
  /** Every key, in {@link configKeys} order. */
  settings: Setting[];
  /** The effective settings as `dossier daemon` flags (defaults left out). */
  argv: string[];
  /**
   * Rewrites a flag parser's `--key: reason (got value)` error so it names
   * where a value that did not come from a flag was set.
   */
  attribute(error: unknown): unknown;
}

/** What {@link resolveConfig} reads. */
export interface ConfigInputs {
  /** The daemon's own argv (flags only). */
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  plans: readonly CollectorPlan[];
  userHome?: string;
}

/** `--config`, else `DOSSIER_CONFIG`, else `$XDG_CONFIG_HOME/dossier/config.json` (default `~/.config`). */
export function configFilePath(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, userHome: string = homedir()): { path: string; explicit: boolean } {
  if (flag !== undefined && flag !== '') return { path: resolve(flag), explicit: true };
  const fromEnv = env.DOSSIER_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return { path: resolve(fromEnv), explicit: true };
  return { path: join(configHome(env, userHome), 'dossier', 'config.json'), explicit: false };
}

/**
 * Merges the layers. Throws `DOSSIER_E_CONFIG_INVALID` for an unknown key
 * or a mistyped value in the file or environment, and for an unreadable
 * file the user named.
 */
export function resolveConfig(inputs: ConfigInputs): ResolvedConfig {
  const keys = configKeys(inputs.plans);
  const flags = readFlagLayer(inputs.argv, keys);
  const file = configFilePath(flags.configPath, inputs.env, inputs.userHome);
  const layers: [Map<string, SettingValue>, SettingSource | ((key: ConfigKey) => SettingSource)][] = [
    [flags.layer, { kind: 'flag' }],
    [readEnvLayer(inputs.env, keys), (key) => ({ kind: 'env', variable: envNameOf(key.name) })],
    [readFileLayer(file.path, keys, file.explicit), { kind: 'file', path: file.path }],
  ];
  const settings: Setting[] = keys.map((key) => {
    for (const [layer, source] of layers) {
      const value = layer.get(key.name);
      if (value !== undefined) return { key, value, source: typeof source === 'function' ? source(key) : source };
    }
    return { key, value: key.defaultValue ?? null, source: { kind: 'default' } };
  });
  const sources = new Map(settings.map((s) => [s.key.name, s.source]));
  return {
    configPath: file.path,
    settings,
    argv: settings.flatMap((s) => (s.source.kind === 'default' || s.value === null ? [] : asFlags(s.key.name, s.value))),
    attribute(error) {
      if (!isDossierError(error)) return error;
      const match = /--([a-z0-9-]+): ([\s\S]*)$/.exec(error.message);
      const source = match ? sources.get(match[1]!) : undefined;
      if (!match || source === undefined || source.kind === 'flag' || source.kind === 'default') return error;
      // CLI usage errors become config errors: the value was not typed on this command line.
      return new DossierError('DOSSIER_E_CONFIG_INVALID', `${match[1]}: ${match[2]} [from ${describeSource(source)}]`, { cause: error });
    },
  };
}

function asFlags(name: string, value: SettingValue): string[] {
  if (value === true) return [`--${name}`];
  if (value === false) return [];
  // `--name=value`: a value starting with `-` must not read as another flag.
  if (Array.isArray(value)) return value.map((v) => `--${name}=${v}`);
  return [`--${name}=${value}`];
}
