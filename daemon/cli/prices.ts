/**
 * `dossier prices`: the price table the daemon computes `cost_usd` with —
 * the bundled list prices (with their source and date) overlaid with the
 * user's `prices.json`, one row per model, USD per million tokens.
 */
import type { PriceModelEntry, PricesResponse } from '../../schema/index.js';
import { CONNECTION_HELP, parseJsonOnly } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { paint } from './format/color.js';
import { renderTable, type Cell } from './format/table.js';
import { colorEnabled, type CliIo } from './io.js';

/** Options of `dossier prices`. */
export interface PricesOptions extends ConnectionOptions {
  json: boolean;
}

export const usage = `Usage: dossier prices [--json]

Show the price table used to compute cost_usd, in USD per million tokens:
input, output, cache read, 5-minute and 1-hour cache writes, and the
long-context rule of the models that have one. Model names are matched
after normalization (claude-opus-4-8[1m] and dated ids use their base entry).
Override or add models in $XDG_CONFIG_HOME/dossier/prices.json
(else ~/.config/dossier/prices.json); the daemon reads it at start.

  --json          print the table object (GET /v1/prices)
${CONNECTION_HELP}`;

/** Parses `prices` arguments. */
export function parse(argv: string[]): PricesOptions {
  return parseJsonOnly(argv);
}

/** Fetches the daemon's effective table and prints it. */
export async function run(opts: PricesOptions, io: CliIo): Promise<ExitCode> {
  const prices = await connect(opts, io).request<PricesResponse>('GET', '/v1/prices');
  if (opts.json) writeJson(io, prices);
  else io.stdout.write(`${formatPrices(prices, colorEnabled(io), io.isTTY ? io.columns : undefined).join('\n')}\n`);
  return EXIT.ok;
}

/** The human form of a price table, as lines. */
export function formatPrices(prices: PricesResponse, color: boolean, width?: number): string[] {
  const lines = [
    `${paint('source', 'bold', color)}    ${prices.bundled.source} (${prices.bundled.retrieved})`,
    prices.override
      ? `${paint('override', 'bold', color)}  ${prices.override.path}: ${prices.override.source} (${prices.override.retrieved})`
      : `${paint('override', 'bold', color)}  none`,
    '',
  ];
  const rows = prices.models.map((m): Cell[] => [
    m.origin === 'override' ? { text: `${m.id} *`, style: 'bold' } : m.id,
    usd(m.input),
    usd(m.output),
    usd(m.cache_read),
    usd(m.cache_write_5m),
    usd(m.cache_write_1h),
    longContext(m),
    m.aliases.join(', '),
  ]);
  lines.push(
    ...renderTable(
      [
        { header: 'MODEL' },
        { header: 'INPUT', align: 'right' },
        { header: 'OUTPUT', align: 'right' },
        { header: 'CACHE READ', align: 'right' },
        { header: 'WRITE 5M', align: 'right' },
        { header: 'WRITE 1H', align: 'right' },
        { header: 'LONG CONTEXT', dropRank: 2 },
        { header: 'ALIASES', dropRank: 1, minWidth: 8 },
      ],
      rows,
      { color, width },
    ),
  );
  if (prices.override) lines.push('', '* from the override file');
  if (prices.notes) lines.push('', prices.notes);
  return lines;
}

function longContext(m: PriceModelEntry): string {
  const lc = m.long_context;
  if (!lc) return '-';
  return `>${Math.round(lc.threshold_input_tokens / 1000)}k: ${usd(lc.input)} in, ${usd(lc.output)} out`;
}

function usd(perMillion: number): string {
  // Whole dollars bare, else cents, with a third decimal only when the price has one ($0.08, $0.125).
  return `$${Number.isInteger(perMillion) ? perMillion : perMillion.toFixed(3).replace(/0$/, '')}`;
}

/** `dossier prices` as a command module. */
export const command: CommandModule<PricesOptions> = { usage, parse, run };
