/**
 * `npm run bench`: runs every suite in bench/suites (sorted by file name) and
 * prints one table. Suites export `run(): Promise<BenchRow[]>`. A suite name
 * can be given to run only the suites whose file name contains it.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './row.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  const suite = (await import(pathToFileURL(join(here, 'suites', file)).href)) as { run: () => Promise<BenchRow[]> };
  process.stderr.write(`bench: ${file} ...\n`);
  const got = await suite.run();
  rows.push(...got);
  printTable(got);
}
process.stdout.write('\n== all results ==\n');
printTable(rows);

function printTable(list: BenchRow[]): void {
  const header = ['suite', 'case', 'value', 'unit', 'note'];
  const cells = list.map((r) => [r.suite, r.case, formatValue(r.value), r.unit, r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const c of cells) process.stdout.write(`${line(c)}\n`);
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
}
