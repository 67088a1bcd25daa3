/**
 * `dossier status`: is the daemon up, where are its files, how much is in
 * the ledger, what the pipeline and every component have done.
 */
import type { StatusResponse } from '../../schema/index.js';
import { CONNECTION_HELP, parseJsonOnly } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { paint } from './format/color.js';
import { formatBytes, formatCount, formatDuration } from './format/human.js';
import { renderTable } from './format/table.js';
import { colorEnabled, type CliIo } from './io.js';

/** Options of `dossier status`. */
export interface StatusOptions extends ConnectionOptions {
  json: boolean;
}

export const usage = `Usage: dossier status [--json]

Show what the daemon is doing.

  --json          print the status object (see docs/cli-json.md)
${CONNECTION_HELP}`;

/** Parses `status` arguments. */
export function parse(argv: string[]): StatusOptions {
  return parseJsonOnly(argv);
}

/** Fetches and prints the status. */
export async function run(opts: StatusOptions, io: CliIo): Promise<ExitCode> {
  const status = await connect(opts, io).status();
  if (opts.json) writeJson(io, status);
  else io.stdout.write(`${formatStatus(status, colorEnabled(io)).join('\n')}\n`);
  return EXIT.ok;
}

/** The human form of a status snapshot, as lines. */
export function formatStatus(s: StatusResponse, color: boolean): string[] {
  const p = s.pipeline;
  const lines = [
    `${paint(`dossier ${s.daemon_version}`, 'bold', color)} (api ${s.api_version}), pid ${s.pid}, up ${formatDuration(s.uptime_ms)}`,
    `home        ${s.home}`,
    `socket      ${s.socket}`,
    `database    ${s.database.path}`,
    `            ${formatBytes(s.database.bytes)}, schema v${s.database.schema_version}, ${formatCount(s.database.events)} events, ${formatCount(s.database.sessions)} sessions`,
    `            event cache: ${formatCount(s.database.event_cache.events)} of ${formatCount(s.database.event_cache.budget)} events, ${formatCount(s.database.event_cache.sessions)} live sessions`,
    `memory      ${formatBytes(s.memory.rss)} resident, heap ${formatBytes(s.memory.heap_used)} of ${formatBytes(s.memory.heap_total)}, buffers ${formatBytes(s.memory.external)}`,
    `pipeline    received ${formatCount(p.received)}, inserted ${formatCount(p.inserted)}, duplicates ${formatCount(p.duplicates)}, rejected ${formatCount(p.rejected)}`,
    `            ${formatCount(p.batches)} batches, queue ${p.queue_depth}/${p.queue_capacity}, last commit ${p.last_commit_ms === null ? '-' : `${p.last_commit_ms.toFixed(1)} ms`}`,
  ];
  lines.push('', paint('components', 'bold', color));
  if (s.components.length === 0) lines.push('  (none)');
  else {
    const rows = s.components.map((c) => [c.name, { text: c.state, style: c.state === 'running' ? ('green' as const) : c.state === 'failed' ? ('red' as const) : undefined }, c.detail ?? '']);
    lines.push(...renderTable([{ header: 'NAME' }, { header: 'STATE' }, { header: 'DETAIL' }], rows, { color }).map((l) => `  ${l}`));
  }
  const counters = Object.entries(s.counters);
  lines.push('', paint('counters', 'bold', color));
  if (counters.length === 0) lines.push('  (none)');
  else {
    const rows = counters.map(([name, value]) => [name, formatCount(value)]);
    lines.push(...renderTable([{ header: 'NAME' }, { header: 'VALUE', align: 'right' }], rows, { color }).map((l) => `  ${l}`));
  }
  return lines;
}

/** `dossier status` as a command module. */
export const command: CommandModule<StatusOptions> = { usage, parse, run };
