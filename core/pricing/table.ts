/**
 * The price table: its shape, validation of user-supplied tables, and model
 * name normalization. Prices are USD per million tokens.
 */
import { z } from 'zod';

const perMillion = z.number().finite().min(0);

const RatesSchema = z.strictObject({
  input: perMillion,
  output: perMillion,
  cache_read: perMillion,
  cache_write_5m: perMillion,
  cache_write_1h: perMillion,
});

const ModelPriceSchema = RatesSchema.extend({
  id: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  /** Legacy long-context rule: over the threshold, every token of the request is billed at these rates. */
  long_context: RatesSchema.extend({ threshold_input_tokens: z.number().int().min(1) }).optional(),
});

/** A price table file: bundled, or a user override in the config dir. */
export const PriceTableSchema = z.strictObject({
  source: z.string(),
  retrieved: z.string(),
  notes: z.string().optional(),
  models: z.array(ModelPriceSchema),
});

/** Rates of one token class set, USD per million tokens. */
export type Rates = z.infer<typeof RatesSchema>;
/** One model's entry. */
export type ModelPrice = z.infer<typeof ModelPriceSchema>;
/** A whole table. */
export type PriceTable = z.infer<typeof PriceTableSchema>;

/**
 * Reduces a model name as agents report it to a price-table id:
 * lower case, no context-window tag (`[1m]`), no provider prefix
 * (`anthropic.`, `us.anthropic.`), no cloud version suffix (`-v1:0`, `@…`),
 * no `-fast` marker, no date stamp (`-20251001`).
 */
export function normalizeModel(model: string): string {
  let name = model.trim().toLowerCase();
  name = name.replace(/\[[^\]]*\]$/, '');
  name = name.replace(/^(?:[a-z]{2,4}\.)?anthropic[./]/, '');
  name = name.replace(/@.*$/, '').replace(/-v\d+(?::\d+)?$/, '');
  name = name.replace(/-fast$/, '');
  name = name.replace(/-\d{8}$/, '');
  return name;
}

/**
 * Overlays `override` on `base`: entries with the same id (or alias) replace
 * the base entry; new ids are added. Returns a new table.
 */
export function mergeTables(base: PriceTable, override: PriceTable): PriceTable {
  const overridden = new Set(override.models.flatMap((m) => [m.id, ...(m.aliases ?? [])]));
  const kept = base.models.filter((m) => !overridden.has(m.id));
  return {
    source: `${override.source} over ${base.source}`,
    retrieved: override.retrieved,
    notes: override.notes ?? base.notes,
    models: [...override.models, ...kept],
  };
}
