/**
 * The part of `dossier show` built from what the session did (the export
 * report): files its tool calls touched, the tools it used, its subagents.
 */
import type { ExportOneResponse } from '../../../schema/index.js';
import { paint } from './color.js';
import { formatRelative, formatTokens, oneLine } from './human.js';
import { renderTable } from './table.js';

/** Most files listed; the rest are counted. */
const MAX_FILES = 30;

/** Lines for the files, tools and subagents sections. */
export function renderSessionActivity(report: ExportOneResponse['report'], now: number, options: { width?: number | undefined; color: boolean }): string[] {
  const heading = (text: string): string => paint(text, 'bold', options.color);
  const inner = { color: options.color, width: options.width === undefined ? undefined : options.width - 2 };
  const indent = (lines: string[]): string[] => lines.map((l) => `  ${l}`);
  const lines: string[] = ['', heading('files touched')];
  if (report.files.length === 0) lines.push('  (none)');
  else {
    const shown = report.files.slice(0, MAX_FILES);
    const rows = shown.map((f) => [f.path, String(f.calls), f.tools.join(','), formatRelative(f.last_at, now)]);
    lines.push(...indent(renderTable([{ header: 'FILE', minWidth: 16 }, { header: 'CALLS', align: 'right' }, { header: 'TOOLS', dropRank: 1 }, { header: 'LAST', dropRank: 2 }], rows, inner)));
    if (report.files.length > shown.length) lines.push(`  … and ${report.files.length - shown.length} more`);
  }
  lines.push('', heading('tools'));
  if (report.tools.length === 0) lines.push('  (none)');
  else lines.push(...indent(renderTable([{ header: 'TOOL', minWidth: 8 }, { header: 'CALLS', align: 'right' }, { header: 'FAILED', align: 'right' }], report.tools.map((t) => [t.tool, String(t.calls), String(t.failures)]), inner)));
  lines.push('', heading('subagents'));
  if (report.subagents.length === 0) lines.push('  (none)');
  else {
    const rows = report.subagents.map((a) => [a.agent_id, a.agent_type ?? '-', String(a.requests), formatTokens(a.tokens), oneLine(a.description ?? '')]);
    const columns = [{ header: 'AGENT', minWidth: 8 }, { header: 'TYPE', dropRank: 2 }, { header: 'REQUESTS', align: 'right' as const, dropRank: 3 }, { header: 'TOKENS', align: 'right' as const }, { header: 'TASK', minWidth: 8, dropRank: 1 }];
    lines.push(...indent(renderTable(columns, rows, inner)));
  }
  return lines;
}
