/**
 * The three layers a daemon setting can come from, lowest first: the config
 * file, the environment, the command line. Each layer is read and checked on
 * its own, so an error names the key, the reason, the value and where it was.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DossierError } from '../../schema/errors.js';
import { envNameOf, type ConfigKey } from './keys.js';

/** A setting's value as the flag parser would give it. */
export type SettingValue = string | boolean | string[];

/** Where a value came from. */
export type SettingSource = { kind: 'flag' } | { kind: 'env'; variable: string } | { kind: 'file'; path: string } | { kind: 'default' };

/** One layer: values by key name. */
export type Layer = Map<string, SettingValue>;

/**
 * Reads the JSON config file. A missing file is an empty layer unless the
 * user named it (`required`). Unknown keys and values of the wrong type are
 * refused as `key: reason (got value)`.
 */
export function readFileLayer(path: string, keys: readonly ConfigKey[], required: boolean): Layer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return new Map();
    throw invalid(`${path}: cannot read the config file (${code ?? String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(`${path}: must be a JSON object of settings (got ${describe(parsed)})`);
  const byName = new Map(keys.map((k) => [k.name, k]));
  const layer: Layer = new Map();
  for (const [name, value] of Object.entries(parsed)) {
    const key = byName.get(name);
    if (key === undefined) throw invalid(`${name}: unknown key in ${path} (got ${describe(value)}); known keys: ${[...byName.keys()].join(', ')}`);
    layer.set(name, fileValue(key, value, path));
  }
  return layer;
}

/** Reads `DOSSIER_<KEY>` variables; empty ones count as unset. */
export function readEnvLayer(env: Readonly<Record<string, string | undefined>>, keys: readonly ConfigKey[]): Layer {
  const layer: Layer = new Map();
  for (const key of keys) {
    const variable = envNameOf(key.name);
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    if (key.type === 'boolean') {
      if (!/^(true|false|1|0)$/.test(raw)) throw invalid(`${key.name}: must be true or false in ${variable} (got ${JSON.stringify(raw)})`);
      layer.set(key.name, raw === 'true' || raw === '1');
    } else if (key.multiple === true) {
      layer.set(key.name, raw.split(',').map((s) => s.trim()).filter((s) => s !== ''));
    } else {
      layer.set(key.name, raw);
    }
  }
  return layer;
}

/** The flags given on the command line (not their defaults), and `--config` apart. */
export function readFlagLayer(argv: readonly string[], keys: readonly ConfigKey[]): { layer: Layer; configPath: string | undefined } {
  const options: NonNullable<ParseArgsConfig['options']> = { config: { type: 'string' } };
  for (const key of keys) options[key.name] = key.multiple === true ? { type: key.type, multiple: true } : { type: key.type };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new DossierError('DOSSIER_E_CLI_USAGE', error instanceof Error ? error.message : String(error));
  }
  const layer: Layer = new Map();
  for (const key of keys) {
    const value = (values as Record<string, SettingValue | undefined>)[key.name];
    if (value !== undefined) layer.set(key.name, value);
  }
  const config = (values as Record<string, unknown>).config;
  return { layer, configPath: typeof config === 'string' ? config : undefined };
}

/** A source in words, for messages and `dossier config`. */
export function describeSource(source: SettingSource): string {
  switch (source.kind) {
    case 'flag':
      return 'flag';
    case 'env':
      return `env ${source.variable}`;
    case 'file':
      return `file ${source.path}`;
    case 'default':
      return 'default';
  }
}

function fileValue(key: ConfigKey, value: unknown, path: string): SettingValue {
  const where = `in ${path}`;
  if (key.type === 'boolean') {
    if (typeof value !== 'boolean') throw invalid(`${key.name}: must be true or false ${where} (got ${describe(value)})`);
    return value;
  }
  const one = (v: unknown): string => {
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    throw invalid(`${key.name}: must be ${key.multiple === true ? 'a list of non-empty strings' : 'a non-empty string or a number'} ${where} (got ${describe(value)})`);
  };
  if (key.multiple === true) return Array.isArray(value) ? value.map(one) : [one(value)];
  return one(value);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function invalid(detail: string): DossierError {
  return new DossierError('DOSSIER_E_CONFIG_INVALID', detail);
}
