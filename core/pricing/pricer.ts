/**
 * Prices one API request from its usage with a price table. Pure: the table is
 * data passed in, so the merge engine can be handed `pricer.price` without
 * depending on this module.
 */
import type { Usage } from '../../schema/index.js';
import { roundUsd } from '../merge/canonical.js';
import { normalizeModel, type ModelPrice, type PriceTable, type Rates } from './table.js';

/** A request's cost in USD, or null when its model has no price. */
export type PriceFn = (model: string, usage: Usage) => number | null;

/**
 * Distinct model names whose lookups are remembered. Agents report a handful;
 * the bound only keeps odd input from growing the memo without end.
 */
const REMEMBERED_MODELS = 256;

/** Looks up models (after normalization) and prices requests. */
export class Pricer {
  readonly #byName = new Map<string, ModelPrice>();
  /** Lookups by the name as reported: every projection prices each request again, and normalizing is seven regex passes. */
  readonly #byReported = new Map<string, ModelPrice | null>();
  readonly table: PriceTable;

  constructor(table: PriceTable) {
    this.table = table;
    for (const entry of table.models) {
      for (const name of [entry.id, ...(entry.aliases ?? [])]) {
        const key = normalizeModel(name);
        if (!this.#byName.has(key)) this.#byName.set(key, entry);
      }
    }
  }

  /** The entry for a model as reported by an agent, or null if unknown. */
  lookup(model: string): ModelPrice | null {
    const known = this.#byReported.get(model);
    if (known !== undefined) return known;
    const entry = this.#byName.get(normalizeModel(model)) ?? null;
    if (this.#byReported.size >= REMEMBERED_MODELS) this.#byReported.clear();
    this.#byReported.set(model, entry);
    return entry;
  }

  /**
   * Cost in USD of one request: input, output, cache reads, 5-minute writes
   * (`cache_write - cache_write_1h`) and 1-hour writes, each at its rate. For a
   * model with a long-context rule, a request whose input incl. cache reads
   * and writes exceeds the threshold is billed entirely at the long rates.
   */
  readonly price: PriceFn = (model, usage) => {
    const entry = this.lookup(model);
    if (!entry) return null;
    const promptTokens = usage.input + usage.cache_read + usage.cache_write;
    const long = entry.long_context;
    const rates: Rates = long && promptTokens > long.threshold_input_tokens ? long : entry;
    const write1h = Math.min(usage.cache_write_1h, usage.cache_write);
    const write5m = usage.cache_write - write1h;
    const microDollars =
      usage.input * rates.input +
      usage.output * rates.output +
      usage.cache_read * rates.cache_read +
      write5m * rates.cache_write_5m +
      write1h * rates.cache_write_1h;
    return roundUsd(microDollars / 1_000_000);
  };
}
