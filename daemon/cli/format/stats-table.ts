/**
 * The `dossier stats` view: a header naming the range, the totals with
 * per-session averages, then one row per group.
 */
import type { StatsBucket, StatsResponse } from '../../../schema/index.js';
import { paint } from './color.js';
import { formatCount, formatDuration, formatTokens, formatUsd } from './human.js';
import { renderTable, type Cell, type Column } from './table.js';

const GROUP_HEADERS: Readonly<Record<string, string>> = { day: 'DAY', model: 'MODEL', project: 'PROJECT', repo: 'REPO', framework: 'FRAMEWORK' };

/** Columns of the group table after the key; the least useful drop first on a narrow terminal. */
const VALUE_COLUMNS: readonly Column[] = [
  { header: 'SESSIONS', align: 'right' },
  { header: 'ACTIVE', align: 'right', dropRank: 5 },
  { header: 'DURATION', align: 'right', dropRank: 4 },
  { header: 'TOKENS', align: 'right' },
  { header: 'COST', align: 'right' },
  { header: 'REQUESTS', align: 'right', dropRank: 3 },
  { header: 'ERRORS', align: 'right', dropRank: 6 },
  { header: 'TOOLS', align: 'right', dropRank: 2 },
  { header: 'AVG COST', align: 'right', dropRank: 1 },
];

/** Renders a stats reply as lines. */
export function renderStats(stats: StatsResponse, options: { width?: number | undefined; color: boolean }): string[] {
  const t = stats.totals;
  const lines = [
    paint(rangeLabel(stats), 'bold', options.color),
    `sessions   ${formatCount(t.sessions)} (${formatCount(t.active)} active, ${formatCount(t.completed)} ended)`,
    `duration   ${formatDuration(t.duration_ms)} total, ${formatDuration(t.per_session.duration_ms)} per session`,
    `tokens     ${formatTokens(t.tokens.total)} total, ${formatTokens(t.per_session.tokens)} per session`,
    `           in ${formatTokens(t.tokens.input)}, out ${formatTokens(t.tokens.output)}, cache read ${formatTokens(t.tokens.cache_read)}, write ${formatTokens(t.tokens.cache_write)}`,
    `cost       ${formatUsd(t.cost_usd)} total, ${formatUsd(t.per_session.cost_usd)} per session`,
    `requests   ${formatCount(t.requests)} (${formatCount(t.errors)} errors), tool calls ${formatCount(t.tool_calls)}`,
  ];
  if (stats.group_by !== null) {
    lines.push('');
    if (stats.groups.length === 0) lines.push('(no sessions)');
    else {
      const columns: Column[] = [{ header: GROUP_HEADERS[stats.group_by] ?? 'GROUP', minWidth: 10, maxWidth: 40 }, ...VALUE_COLUMNS];
      lines.push(...renderTable(columns, stats.groups.map((g) => groupRow(g.key, g)), options));
    }
  }
  return lines;
}

function groupRow(key: string, b: StatsBucket): Cell[] {
  return [
    key,
    formatCount(b.sessions),
    formatCount(b.active),
    formatDuration(b.duration_ms),
    formatTokens(b.tokens.total),
    formatUsd(b.cost_usd),
    formatCount(b.requests),
    formatCount(b.errors),
    formatCount(b.tool_calls),
    formatUsd(b.per_session.cost_usd),
  ];
}

function rangeLabel(stats: StatsResponse): string {
  const { name, since, until, tz } = stats.range;
  const from = since === null ? 'the beginning' : inZone(since, tz);
  const to = until === null ? 'now' : inZone(until, tz);
  return `${name ?? 'sessions active'} from ${from} to ${to} (${tz})`;
}

/** `YYYY-MM-DD HH:MM` in the zone the daemon used for the range. */
function inZone(ts: number, tz: string): string {
  return new Date(ts).toLocaleString('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}
