/**
 * The session filters shared by the list, stats and export, compiled into
 * one SQL WHERE clause over the `sessions` table's columns. Every filter is
 * optional; given filters combine with AND. The clause text depends only on
 * which filters are present, so statements can be cached by their SQL.
 */
import type { Framework, SessionStatus } from '../../schema/index.js';

/** Filters over sessions. Times are ms since epoch. */
export interface SessionFilterSpec {
  /** Any of these statuses. */
  status?: readonly SessionStatus[];
  /** Any of these frameworks. */
  framework?: readonly Framework[];
  /** Working directory at or under this path (path-segment prefix: `/a/b` matches `/a/b` and `/a/b/c`, not `/a/bc`). */
  cwd?: string;
  /** GitHub repository `owner/name`, compared without regard to case. */
  repo?: string;
  /** Exact git branch. */
  branch?: string;
  /** Last activity at or after this instant. */
  since?: number;
  /** Last activity before this instant. */
  until?: number;
  /** At least this long from first start to last activity, ms. */
  min_duration_ms?: number;
  /** Session id prefix. */
  id_prefix?: string;
  /** Text in the title or the first or last prompt; case-insensitive for ASCII letters. */
  text?: string;
  /** true: only sessions not ended (their process or activity is still live); false: only ended ones. */
  alive?: boolean;
  /** Include hidden sessions (left out by default). */
  include_hidden?: boolean;
  /** Only sessions not ended or with activity at or after this instant (the default "recent" window). */
  active_since?: number;
  /** Only these sessions (the watch stream checks changed sessions against a filter). */
  ids?: readonly string[];
}

/** A compiled WHERE clause (without the keyword; `1` when nothing filters) and its named parameters. */
export interface CompiledFilter {
  sql: string;
  params: Record<string, unknown>;
}

/** Duration as stored: first start to last activity; null when either is unknown. */
export const DURATION_SQL = '(last_activity - first_started_at)';

/** Compiles a filter into SQL over the `sessions` table. */
export function compileSessionFilter(filter: SessionFilterSpec): CompiledFilter {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  /** Adds `clause` with its one parameter when the filter gives a value. */
  const compare = (clause: string, param: string, value: unknown): void => {
    if (value === undefined) return;
    clauses.push(clause);
    params[param] = value;
  };
  if (filter.status && filter.status.length > 0) {
    clauses.push('status IN (SELECT value FROM json_each(@f_status))');
    params.f_status = JSON.stringify(filter.status);
  }
  if (filter.framework && filter.framework.length > 0) {
    clauses.push('framework IN (SELECT value FROM json_each(@f_framework))');
    params.f_framework = JSON.stringify(filter.framework);
  }
  if (!filter.include_hidden) clauses.push('hidden = 0');
  compare("(status <> 'ended' OR last_activity >= @f_active_since)", 'f_active_since', filter.active_since);
  if (filter.cwd !== undefined) {
    const exact = normalizePath(filter.cwd);
    const under = exact.endsWith('/') ? exact : `${exact}/`;
    clauses.push('(cwd = @f_cwd OR substr(cwd, 1, length(@f_cwd_under)) = @f_cwd_under)');
    params.f_cwd = exact;
    params.f_cwd_under = under;
  }
  compare('github_repo = @f_repo COLLATE NOCASE', 'f_repo', filter.repo);
  compare('git_branch = @f_branch', 'f_branch', filter.branch);
  compare('last_activity >= @f_since', 'f_since', filter.since);
  compare('last_activity < @f_until', 'f_until', filter.until);
  compare(`${DURATION_SQL} >= @f_min_duration`, 'f_min_duration', filter.min_duration_ms);
  if (filter.id_prefix !== undefined && filter.id_prefix !== '') {
    clauses.push('substr(session_id, 1, length(@f_id_prefix)) = @f_id_prefix');
    params.f_id_prefix = filter.id_prefix;
  }
  if (filter.ids !== undefined) {
    clauses.push('session_id IN (SELECT value FROM json_each(@f_ids))');
    params.f_ids = JSON.stringify(filter.ids);
  }
  if (filter.alive !== undefined) clauses.push(filter.alive ? "status <> 'ended'" : "status = 'ended'");
  if (filter.text !== undefined && filter.text !== '') {
    // The text fields live only in the record JSON: checked last, on rows every cheaper filter kept.
    const fields = ['title', 'first_user_message', 'last_user_message'].map(
      (field) => `instr(lower(coalesce(json_extract(record, '$.${field}'), '')), @f_text) > 0`,
    );
    clauses.push(`(${fields.join(' OR ')})`);
    params.f_text = asciiLower(filter.text);
  }
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

/** Lower-cases ASCII letters only, as SQLite's `lower()` does. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Drops trailing slashes (but keeps a lone `/`). */
function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}
