/**
 * Export renderings: a readable Markdown report of one session, a Markdown
 * table of many, and CSV rows (RFC 4180, with spreadsheet formulas
 * defused). Times are ISO 8601 in UTC so files read the same everywhere.
 */
import type { SessionRecord } from '../../schema/index.js';
import type { SessionReport } from './session-report.js';
import { oneLine } from './event-summary.js';

/** Most timeline lines a Markdown report shows. */
export const MARKDOWN_TIMELINE_LINES = 500;

/** The CSV columns, in order: a stable contract. */
export const CSV_COLUMNS = [
  'session_id', 'status', 'framework', 'first_started_at', 'last_activity', 'duration_ms', 'cwd', 'git_branch', 'github_repo', 'model',
  'title', 'first_user_message', 'tokens_input', 'tokens_output', 'tokens_cache_read', 'tokens_cache_write', 'cost_usd', 'api_request_count',
  'api_error_count', 'tool_call_count', 'message_count',
] as const;

/** Sessions as CSV with a header row and CRLF line ends. */
export function sessionsCsv(sessions: readonly SessionRecord[]): string {
  const rows = sessions.map((s) =>
    CSV_COLUMNS.map((column) => {
      if (column === 'duration_ms') return csvCell(durationOf(s));
      if (column === 'first_started_at' || column === 'last_activity') return csvCell(iso(s[column]));
      return csvCell(s[column]);
    }).join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** A Markdown report of one session: header, numbers, tools, files, tasks, subagents, timeline. */
export function sessionMarkdown(s: SessionRecord, report: SessionReport): string {
  const heading = oneLine(s.title ?? s.first_user_message ?? s.session_id);
  const out: string[] = [`# ${heading.length > 120 ? `${heading.slice(0, 119)}…` : heading}`, ''];
  out.push(`Session \`${s.session_id}\` · ${s.framework} · ${s.status}${s.end_reason ? ` (${oneLine(s.end_reason)})` : ''}`, '');
  const rows: [string, string][] = [
    ['Project', s.cwd ?? '-'],
    ['Branch', s.git_branch ?? '-'],
    ['Repository', s.github_repo ?? '-'],
    ['Model', s.model ?? '-'],
    ['Started', iso(s.first_started_at) ?? '-'],
    ['Last activity', iso(s.last_activity) ?? '-'],
    ['Duration', durationText(durationOf(s))],
    ['Tokens', `${s.tokens_input} input, ${s.tokens_output} output, ${s.tokens_cache_read} cache read, ${s.tokens_cache_write} cache write`],
    ['Cost', s.cost_usd === null ? '-' : `$${s.cost_usd.toFixed(2)}`],
    ['Requests', `${s.api_request_count} (${s.api_error_count} errors)`],
    ['Tool calls', `${s.tool_call_count} (${s.tool_error_count} failed)`],
    ['Messages', String(s.message_count)],
  ];
  out.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${mdCell(v)} |`), '');
  out.push('## Tools', '');
  if (report.tools.length === 0) out.push('None.', '');
  else out.push('| Tool | Calls | Failed |', '|---|---:|---:|', ...report.tools.map((t) => `| ${mdCell(t.tool)} | ${t.calls} | ${t.failures} |`), '');
  out.push('## Files touched', '');
  if (report.files.length === 0) out.push('None.', '');
  else out.push('| File | Calls | Tools |', '|---|---:|---|', ...report.files.map((f) => `| ${mdCell(f.path)} | ${f.calls} | ${mdCell(f.tools.join(', '))} |`), '');
  out.push('## Tasks', '');
  if (s.tasks.length === 0) out.push('None.', '');
  else out.push(...s.tasks.map((t) => `- [${t.state === 'completed' ? 'x' : ' '}] ${oneLine(t.subject ?? t.task_id)}`), '');
  out.push('## Subagents', '');
  if (report.subagents.length === 0) out.push('None.', '');
  else {
    out.push('| Agent | Type | Requests | Tokens | Task |', '|---|---|---:|---:|---|');
    out.push(...report.subagents.map((a) => `| ${mdCell(a.agent_id)} | ${mdCell(a.agent_type ?? '-')} | ${a.requests} | ${a.tokens} | ${mdCell(a.description ?? '')} |`), '');
  }
  out.push('## Timeline', '');
  const shown = report.timeline.slice(0, MARKDOWN_TIMELINE_LINES);
  if (shown.length === 0) out.push('No events.', '');
  else {
    out.push('| Time (UTC) | Source | Event | What |', '|---|---|---|---|');
    out.push(...shown.map((l) => `| ${iso(l.ts)} | ${l.source} | ${l.kind}${l.agent_id ? ` (${mdCell(l.agent_id)})` : ''} | ${mdCell(l.summary)} |`));
    const hidden = report.timeline.length - shown.length;
    out.push('', ...(hidden > 0 ? [`…and ${hidden} more events (see \`dossier events ${s.session_id}\`).`, ''] : []));
  }
  if (report.truncated) out.push(`Only the first ${report.events} events were read for this report.`, '');
  return out.join('\n');
}

/** A Markdown table of many sessions. */
export function sessionsMarkdown(sessions: readonly SessionRecord[]): string {
  const out = [`# ${sessions.length} sessions`, '', '| Session | Status | Started | Duration | Project | Model | Tokens | Cost | Title |', '|---|---|---|---:|---|---|---:|---:|---|'];
  for (const s of sessions) {
    const tokens = s.tokens_input + s.tokens_output + s.tokens_cache_read + s.tokens_cache_write;
    const cells = [
      `\`${s.session_id}\``, s.status, iso(s.first_started_at) ?? '-', durationText(durationOf(s)), s.cwd ?? '-', s.model ?? '-', String(tokens),
      s.cost_usd === null ? '-' : `$${s.cost_usd.toFixed(2)}`, s.title ?? s.first_user_message ?? '',
    ];
    out.push(`| ${cells.map(mdCell).join(' | ')} |`);
  }
  return `${out.join('\n')}\n`;
}

function durationOf(s: SessionRecord): number | null {
  return s.first_started_at === null || s.last_activity === null ? null : Math.max(0, s.last_activity - s.first_started_at);
}

function durationText(ms: number | null): string {
  if (ms === null) return '-';
  const minutes = Math.round(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function iso(ts: number | null): string | null {
  return ts === null ? null : new Date(ts).toISOString();
}

/** Text for a table cell: one line, pipes escaped. */
function mdCell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

/** One CSV field: quoted when needed; a text starting like a formula gets a leading quote so spreadsheets show it as text. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
