/**
 * The `dossier show` view: every field of a session record in groups, each
 * with the source that gave its value, then usage by model and by agent,
 * tasks and GitHub references.
 */
import { PROVENANCED_FIELDS, type ProvenancedField } from '../../../schema/session.js';
import type { SessionRecord, UsageTotals } from '../../../schema/index.js';
import { paint, statusStyle } from './color.js';
import { formatCount, formatDate, formatRelative, formatTokens, formatUsd, oneLine } from './human.js';
import { renderTable, type Cell } from './table.js';

/** Scalar fields in display order, by group. Fields the record gains later are shown under `other`. */
const GROUPS: readonly (readonly [string, readonly (keyof SessionRecord)[]])[] = [
  ['identity', ['session_id', 'machine_id', 'framework', 'forked_from', 'hidden', 'hidden_reason']],
  ['lifecycle', ['status', 'status_updated_at', 'first_started_at', 'last_started_at', 'first_ended_at', 'last_ended_at', 'last_activity', 'revival_count', 'end_reason']],
  ['process', ['pid', 'process_start_time']],
  ['place', ['cwd', 'git_branch', 'local_git_dir', 'git_worktree_path', 'github_repo', 'github_issue', 'github_pr', 'git_additions', 'git_deletions']],
  ['content', ['title', 'first_user_message', 'last_user_message', 'model', 'app_version', 'entrypoint']],
  ['counts', ['message_count', 'tool_call_count', 'tool_error_count', 'api_request_count', 'api_error_count', 'compaction_count', 'subagent_count', 'commit_count', 'pull_request_count']],
  ['usage', ['tokens_input', 'tokens_output', 'tokens_cache_read', 'tokens_cache_write', 'tokens_cache_write_1h', 'context', 'cost_usd', 'reported_cost_usd', 'unpriced_requests', 'usage_sources']],
  ['sources', ['n_events', 'n_transcript_events', 'n_otel_events', 'n_hook_events', 'transcript_available', 'transcript_path']],
];

/** Structured fields shown as their own tables below the field list. */
const STRUCTURED = new Set<string>(['provenance', 'usage_by_model', 'usage_by_agent', 'tasks', 'github_refs']);
const TOKEN_FIELDS = new Set<string>(['tokens_input', 'tokens_output', 'tokens_cache_read', 'tokens_cache_write', 'tokens_cache_write_1h']);
const TIME_FIELDS = new Set<string>(['status_updated_at', 'first_started_at', 'last_started_at', 'first_ended_at', 'last_ended_at', 'last_activity', 'process_start_time']);

/** Renders one session for a reader, as lines. */
export function renderSessionDetail(s: SessionRecord, now: number, options: { width?: number | undefined; color: boolean }): string[] {
  const { color } = options;
  const heading = (text: string): string => paint(text, 'bold', color);
  const lines: string[] = [];
  const listed = new Set<string>(GROUPS.flatMap(([, fields]) => fields));
  const others = Object.keys(s).filter((k) => !listed.has(k) && !STRUCTURED.has(k)) as (keyof SessionRecord)[];
  const groups = others.length > 0 ? [...GROUPS, ['other', others] as const] : GROUPS;

  const rows: Cell[][] = [];
  for (const [group, fields] of groups) {
    rows.push([{ text: group, style: 'cyan' }, '', '']);
    for (const field of fields) {
      const value = field === 'status' ? { text: s.status, style: statusStyle(s.status) } : formatField(field, s[field], now);
      rows.push([`  ${field}`, value, provenanceOf(s, field) ?? '']);
    }
  }
  lines.push(...renderTable([{ header: 'FIELD' }, { header: 'VALUE', minWidth: 16, maxWidth: 120 }, { header: 'SOURCE' }], rows, options));
  if (s.hidden) lines.push('', `${heading('hidden')}: ${explainHidden(s.hidden_reason)}`);

  lines.push('', heading('usage by model'));
  lines.push(...usageTable('MODEL', s.usage_by_model, options));
  lines.push('', heading('usage by agent'));
  lines.push(...usageTable('AGENT', s.usage_by_agent, options));
  lines.push('', heading('tasks'));
  if (s.tasks.length === 0) lines.push('  (none)');
  else lines.push(...indent(renderTable([{ header: 'ID' }, { header: 'STATE' }, { header: 'SUBJECT', minWidth: 12 }], s.tasks.map((t) => [t.task_id, t.state, oneLine(t.subject ?? '')]), narrower(options))));
  lines.push('', heading('github'));
  if (s.github_refs.length === 0) lines.push('  (none)');
  else {
    const refRows = s.github_refs.map((r) => [r.ref_type, `#${r.number}`, r.repo ?? '-', formatRelative(r.last_seen_at, now)]);
    lines.push(...indent(renderTable([{ header: 'TYPE' }, { header: 'NUMBER', align: 'right' }, { header: 'REPO' }, { header: 'LAST SEEN' }], refRows, narrower(options))));
  }
  return lines;
}

/** Why a session is left out of `dossier ls`, in words. */
export function explainHidden(reason: string | null): string {
  if (reason === 'no_agent_activity') {
    return 'no prompt, request, tool call, transcript line or hook was ever seen for this id, only start-up telemetry. `claude -p --continue` sends its start-up OTel records under a throw-away session id that never appears again; its real work is recorded under the continued session. `dossier ls --all` lists such ids.';
  }
  return reason ?? 'hidden';
}

/** The source that gave a field its value, from the record's provenance. Token fields share `tokens`. */
export function provenanceOf(s: SessionRecord, field: string): string | undefined {
  const key = TOKEN_FIELDS.has(field) ? 'tokens' : field;
  if (!(PROVENANCED_FIELDS as readonly string[]).includes(key)) return undefined;
  return s.provenance[key as ProvenancedField];
}

/** One field's value as text: times with their age, tokens with a short form, costs in dollars. */
export function formatField(field: string, value: unknown, now: number): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') {
    if (TIME_FIELDS.has(field)) return `${formatDate(value)} (${formatRelative(value, now)})`;
    if (TOKEN_FIELDS.has(field) || field === 'context') return value >= 1000 ? `${formatCount(value)} (${formatTokens(value)})` : String(value);
    if (field.endsWith('cost_usd')) return formatUsd(value);
    return String(value);
  }
  if (typeof value === 'string') return oneLine(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '-' : entries.map(([k, v]) => `${k} ${String(v)}`).join(', ');
  }
  return String(value);
}

function usageTable(label: string, usage: Record<string, UsageTotals>, options: { width?: number | undefined; color: boolean }): string[] {
  const entries = Object.entries(usage).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return ['  (none)'];
  const rows = entries.map(([key, u]) => [
    key,
    formatCount(u.requests),
    formatTokens(u.tokens_input),
    formatTokens(u.tokens_output),
    formatTokens(u.tokens_cache_read),
    formatTokens(u.tokens_cache_write),
    formatUsd(u.reported_cost_usd),
  ]);
  const right = { align: 'right' as const };
  const columns = [{ header: label, minWidth: 10 }, { header: 'REQUESTS', ...right }, { header: 'INPUT', ...right }, { header: 'OUTPUT', ...right }, { header: 'CACHE READ', ...right }, { header: 'CACHE WRITE', ...right }, { header: 'REPORTED COST', ...right }];
  return indent(renderTable(columns, rows, narrower(options)));
}

function narrower(options: { width?: number | undefined; color: boolean }): { width?: number | undefined; color: boolean } {
  return { color: options.color, width: options.width === undefined ? undefined : options.width - 2 };
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}
