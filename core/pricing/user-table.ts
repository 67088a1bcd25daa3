/**
 * The effective price table: the bundled one, overlaid with the user's
 * `prices.json` in the config dir when there is one. The user's file is
 * validated once, at daemon start; a bad file is a clear error naming the
 * file and the field, never a silently ignored or half-read table.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DossierError, describeValueAt, type PricesResponse } from '../../schema/index.js';
import { BUNDLED_PRICES } from './bundled.js';
import { PriceTableSchema, mergeTables, type PriceTable } from './table.js';

/** File name of the user's price override, inside the config dir. */
export const PRICE_OVERRIDE_FILE = 'prices.json';

/** The table in force and where it came from. */
export interface EffectivePrices {
  table: PriceTable;
  /** The bundled table's source line and date. */
  bundled: { source: string; retrieved: string };
  /** The override file that was applied, or null when none exists. */
  override: { path: string; source: string; retrieved: string; models: string[] } | null;
}

/**
 * Where the override lives: `$XDG_CONFIG_HOME/dossier/prices.json`, else
 * `~/.config/dossier/prices.json` (on macOS too, like most CLI tools).
 */
export function priceOverridePath(env: Readonly<Record<string, string | undefined>>, userHome: string = homedir()): string {
  const xdg = env.XDG_CONFIG_HOME;
  const configDir = xdg !== undefined && xdg !== '' ? join(xdg, 'dossier') : join(userHome, '.config', 'dossier');
  return join(configDir, PRICE_OVERRIDE_FILE);
}

/**
 * Loads the effective table. A missing override file means the bundled
 * table alone. Throws `DOSSIER_E_CONFIG_INVALID` reading
 * `<path>: <field>: <reason> (got <value>)` for an unreadable, non-JSON or
 * invalid file.
 */
export function loadEffectivePrices(overridePath: string, base: PriceTable = BUNDLED_PRICES): EffectivePrices {
  const bundled = { source: base.source, retrieved: base.retrieved };
  let text: string;
  try {
    text = readFileSync(overridePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { table: base, bundled, override: null };
    throw invalid(overridePath, `cannot be read: ${(error as Error).message}`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(overridePath, `is not valid JSON: ${(error as Error).message}`, error);
  }
  const override = parseOverride(overridePath, json);
  return {
    table: mergeTables(base, override),
    bundled,
    override: { path: overridePath, source: override.source, retrieved: override.retrieved, models: override.models.map((m) => m.id) },
  };
}

/** The effective table as `GET /v1/prices` answers it, each model marked bundled or override. */
export function describePrices(effective: EffectivePrices): PricesResponse {
  const fromOverride = new Set(effective.override?.models ?? []);
  const { table } = effective;
  return {
    source: table.source,
    retrieved: table.retrieved,
    notes: table.notes ?? null,
    bundled: effective.bundled,
    override: effective.override ? { path: effective.override.path, source: effective.override.source, retrieved: effective.override.retrieved } : null,
    models: table.models.map((m) => ({
      id: m.id,
      aliases: m.aliases ?? [],
      input: m.input,
      output: m.output,
      cache_read: m.cache_read,
      cache_write_5m: m.cache_write_5m,
      cache_write_1h: m.cache_write_1h,
      long_context: m.long_context ?? null,
      origin: fromOverride.has(m.id) ? 'override' : 'bundled',
    })),
  };
}

/** Validates an override table with `PriceTableSchema`; the error names the file and the first bad field. */
export function parseOverride(path: string, json: unknown): PriceTable {
  const parsed = PriceTableSchema.safeParse(json);
  if (parsed.success) {
    const ids = new Set<string>();
    for (const [i, model] of parsed.data.models.entries()) {
      if (ids.has(model.id)) throw invalid(path, `models.${i}.id: listed twice (got ${JSON.stringify(model.id)})`);
      ids.add(model.id);
    }
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  return invalid(path, `${field}: ${issue?.message ?? 'invalid'}${describeValueAt(json, issue?.path ?? [])}`);
}

function invalid(path: string, detail: string, cause?: unknown): never {
  throw new DossierError('DOSSIER_E_CONFIG_INVALID', `price file ${path}: ${detail}`, cause === undefined ? undefined : { cause });
}
