/** The price table shipped with dossier, validated once at load. */
import bundledJson from './anthropic-prices.json' with { type: 'json' };
import { PriceTableSchema, type PriceTable } from './table.js';

/** The bundled, offline price table. Throws at import if the shipped file is malformed (a build bug). */
export const BUNDLED_PRICES: PriceTable = PriceTableSchema.parse(bundledJson);
