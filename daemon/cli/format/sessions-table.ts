/**
 * The `dossier ls` table: one row per session, columns ordered by how much
 * they are worth on a narrow terminal (the title shrinks first, then the
 * least useful columns go).
 */
import type { SessionRecord } from '../../../schema/index.js';
import { statusStyle } from './color.js';
import { formatDuration, formatRelative, formatTokens, formatUsd, oneLine, shortModel } from './human.js';
import { renderTable, type Cell, type Column } from './table.js';

/** Columns of `dossier ls`, in display order. */
export const SESSION_COLUMNS: readonly Column[] = [
  { header: 'ID' },
  { header: 'STATUS' },
  { header: 'STARTED', dropRank: 9 },
  { header: 'ACTIVE', dropRank: 4 },
  { header: 'DURATION', align: 'right', dropRank: 7 },
  { header: 'PROJECT', minWidth: 10, maxWidth: 24, dropRank: 3 },
  { header: 'BRANCH', minWidth: 8, maxWidth: 24, dropRank: 8 },
  { header: 'MODEL', maxWidth: 20, dropRank: 5 },
  { header: 'TOKENS', align: 'right', dropRank: 2 },
  { header: 'COST', align: 'right', dropRank: 1 },
  { header: 'TOOLS', align: 'right', dropRank: 6 },
  { header: 'TITLE', minWidth: 12, maxWidth: 80 },
];

/** The table as lines, fitted to `width` when given. */
export function renderSessionTable(sessions: readonly SessionRecord[], now: number, options: { width?: number | undefined; color: boolean }): string[] {
  return renderTable(SESSION_COLUMNS, sessions.map((s) => sessionRow(s, now)), options);
}

/** The cells of one session's row. */
export function sessionRow(s: SessionRecord, now: number): Cell[] {
  return [
    s.session_id.slice(0, 8),
    { text: s.status, style: statusStyle(s.status) },
    formatRelative(s.first_started_at, now),
    formatRelative(s.last_activity, now),
    formatDuration(sessionDuration(s, now)),
    projectName(s.cwd),
    s.git_branch ?? '-',
    shortModel(s.model),
    formatTokens(totalTokens(s)),
    formatUsd(s.cost_usd),
    String(s.tool_call_count),
    oneLine(s.title ?? s.first_user_message ?? ''),
  ];
}

/** All tokens of the session: input, output, cache reads and cache writes. */
export function totalTokens(s: Pick<SessionRecord, 'tokens_input' | 'tokens_output' | 'tokens_cache_read' | 'tokens_cache_write'>): number {
  return s.tokens_input + s.tokens_output + s.tokens_cache_read + s.tokens_cache_write;
}

/** Start to end (or to now while it runs); null when the start is unknown. */
export function sessionDuration(s: SessionRecord, now: number): number | null {
  const start = s.first_started_at ?? s.last_activity;
  if (start === null) return null;
  const end = s.status === 'ended' ? (s.last_ended_at ?? s.last_activity ?? start) : now;
  return Math.max(0, end - start);
}

/** The last path segment of the working directory: the project's name. */
export function projectName(cwd: string | null): string {
  if (cwd === null || cwd === '') return '-';
  const parts = cwd.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? cwd;
}
