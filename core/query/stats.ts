/**
 * Totals and per-session averages over the sessions a filter keeps, overall
 * and per group (day of last activity in the user's zone, model, project,
 * repo or framework). Reads narrow rows, never whole records, and adds them
 * up in one pass.
 */
import type Database from 'better-sqlite3';
import type { StatsBucket, StatsGroupBy } from '../../schema/index.js';
import { compileSessionFilter, DURATION_SQL, type SessionFilterSpec } from './session-filter.js';
import type { ZoneCalendar } from './time-zone.js';

/** Group key of sessions that lack the grouped field. */
export const UNKNOWN_GROUP = '(unknown)';

interface StatsRow {
  status: string;
  last_activity: number | null;
  duration: number | null;
  cwd: string | null;
  github_repo: string | null;
  framework: string;
  model: string | null;
  tokens_input: number;
  tokens_output: number;
  tokens_cache_read: number;
  tokens_cache_write: number;
  cost_usd: number | null;
  /** `[api_request_count, api_error_count, tool_call_count]` as JSON: one parse of the record for all three. */
  counts: string | null;
}

/** Totals and groups, sorted by key (days ascending, names ascending). */
export interface StatsResult {
  totals: StatsBucket;
  groups: (StatsBucket & { key: string })[];
}

/** Runs stats queries on one read connection. */
export class SessionStats {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement<Record<string, unknown>, StatsRow>>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Adds up every session `filter` keeps; `groupBy` none gives no groups. */
  compute(filter: SessionFilterSpec, groupBy: StatsGroupBy | null, calendar: ZoneCalendar): StatsResult {
    const compiled = compileSessionFilter(filter);
    const sql = `SELECT status, last_activity, ${DURATION_SQL} AS duration, cwd, github_repo, framework, model,
        tokens_input, tokens_output, tokens_cache_read, tokens_cache_write, cost_usd,
        json_extract(record, '$.api_request_count', '$.api_error_count', '$.tool_call_count') AS counts
      FROM sessions WHERE ${compiled.sql}`;
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<Record<string, unknown>, StatsRow>(sql);
      this.#statements.set(sql, statement);
    }
    const totals = new BucketSum();
    const groups = new Map<string, BucketSum>();
    for (const row of statement.iterate(compiled.params)) {
      totals.add(row);
      if (groupBy === null) continue;
      const key = groupKey(row, groupBy, calendar);
      let sum = groups.get(key);
      if (sum === undefined) groups.set(key, (sum = new BucketSum()));
      sum.add(row);
    }
    const keys = [...groups.keys()].sort((a, b) => (a === UNKNOWN_GROUP ? 1 : b === UNKNOWN_GROUP ? -1 : a < b ? -1 : a > b ? 1 : 0));
    return { totals: totals.bucket(), groups: keys.map((key) => ({ key, ...groups.get(key)!.bucket() })) };
  }
}

function groupKey(row: StatsRow, groupBy: StatsGroupBy, calendar: ZoneCalendar): string {
  switch (groupBy) {
    case 'day':
      return row.last_activity === null ? UNKNOWN_GROUP : calendar.dayKey(row.last_activity);
    case 'model':
      return row.model ?? UNKNOWN_GROUP;
    case 'project':
      return projectOf(row.cwd);
    case 'repo':
      return row.github_repo ?? UNKNOWN_GROUP;
    case 'framework':
      return row.framework;
  }
}

/** The last path segment of a working directory (what `dossier ls` shows as the project). */
export function projectOf(cwd: string | null): string {
  if (cwd === null) return UNKNOWN_GROUP;
  const parts = cwd.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? (cwd === '' ? UNKNOWN_GROUP : cwd);
}

/** Running sums of one bucket. */
class BucketSum {
  #sessions = 0;
  #active = 0;
  #completed = 0;
  #duration = 0;
  #input = 0;
  #output = 0;
  #cacheRead = 0;
  #cacheWrite = 0;
  #cost = 0;
  #priced = 0;
  #requests = 0;
  #errors = 0;
  #tools = 0;

  add(row: StatsRow): void {
    this.#sessions++;
    if (row.status === 'ended') this.#completed++;
    else this.#active++;
    this.#duration += Math.max(0, row.duration ?? 0);
    this.#input += row.tokens_input;
    this.#output += row.tokens_output;
    this.#cacheRead += row.tokens_cache_read;
    this.#cacheWrite += row.tokens_cache_write;
    if (row.cost_usd !== null) {
      this.#cost += row.cost_usd;
      this.#priced++;
    }
    const counts = row.counts === null ? null : (JSON.parse(row.counts) as (number | null)[]);
    this.#requests += counts?.[0] ?? 0;
    this.#errors += counts?.[1] ?? 0;
    this.#tools += counts?.[2] ?? 0;
  }

  bucket(): StatsBucket {
    const n = this.#sessions;
    const total = this.#input + this.#output + this.#cacheRead + this.#cacheWrite;
    const per = (value: number): number => (n === 0 ? 0 : value / n);
    return {
      sessions: n,
      active: this.#active,
      completed: this.#completed,
      duration_ms: this.#duration,
      tokens: { input: this.#input, output: this.#output, cache_read: this.#cacheRead, cache_write: this.#cacheWrite, total },
      cost_usd: this.#priced === 0 ? null : roundCents(this.#cost),
      requests: this.#requests,
      errors: this.#errors,
      tool_calls: this.#tools,
      per_session: {
        duration_ms: Math.round(per(this.#duration)),
        tokens: Math.round(per(total)),
        cost_usd: this.#priced === 0 ? null : roundCents(per(this.#cost)),
        requests: per(this.#requests),
        tool_calls: per(this.#tools),
      },
    };
  }
}

/** Money to 1/10,000 of a dollar, so sums of floats print cleanly and compare exactly in tests. */
function roundCents(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
