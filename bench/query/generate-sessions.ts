/**
 * Generated session records for query tests and benchmarks: seeded, varied
 * on every field the filters and sorts read (status, framework, cwd, repo,
 * branch, times, text, tokens, cost, hidden), with the nulls real sessions
 * have. `insertSessions` writes them as the store's writer would, through
 * its own `SessionRows`, on a second connection to the store's file.
 */
import Database from 'better-sqlite3';
import { SessionRows } from '../../core/store/session-rows.js';
import type { Framework, SessionRecord, SessionStatus } from '../../schema/index.js';
import { seededRandom } from '../../test/support/seeded-random.js';

const STATUSES: readonly SessionStatus[] = ['busy', 'waiting', 'idle', 'ended', 'ended', 'ended'];
const FRAMEWORKS: readonly Framework[] = ['claude_code', 'claude_code', 'claude_code', 'codex', 'gemini'];
/** Includes near-misses of the path prefix rule (`/home/u/app` vs `/home/u/apple`). */
export const GENERATED_CWDS: readonly (string | null)[] = [
  '/home/u/app', '/home/u/app/web', '/home/u/app/web/src', '/home/u/apple', '/work/dossier', '/work/dossier-old', '/', null,
];
export const GENERATED_REPOS: readonly (string | null)[] = ['Acme/App', 'acme/dossier', 'other/thing', null];
export const GENERATED_BRANCHES: readonly (string | null)[] = ['main', 'feat/query', 'fix-42', null];
const MODELS: readonly (string | null)[] = ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', null];
const WORDS = ['refactor', 'Parser', 'tests', 'fix', 'CLI', 'table', 'stream', 'Cursor', 'watch', 'export', 'dashboard', 'bug'];

const DAY = 86_400_000;

/** `count` sessions active in the 60 days before `now`, numbered from `firstIndex`. */
export function generateSessions(count: number, options: { seed: number; now: number; firstIndex?: number }): SessionRecord[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sentence = (): string => Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(WORDS)).join(' ');
  const out: SessionRecord[] = [];
  for (let n = 0; n < count; n++) {
    const index = (options.firstIndex ?? 0) + n;
    const start = random() < 0.03 ? null : Math.floor(options.now - random() * 60 * DAY);
    const activity = random() < 0.02 ? null : (start ?? options.now - 3 * DAY) + Math.floor(random() * 8 * 3_600_000);
    const status = pick(STATUSES);
    out.push({
      ...blankRecord(`${index.toString(16).padStart(8, '0')}-${Math.floor(random() * 0xffff).toString(16).padStart(4, '0')}-4000-8000-${'0'.repeat(12)}`),
      framework: pick(FRAMEWORKS),
      status,
      hidden: random() < 0.05,
      first_started_at: start,
      last_started_at: start,
      last_activity: activity,
      last_ended_at: status === 'ended' ? activity : null,
      cwd: pick(GENERATED_CWDS),
      github_repo: pick(GENERATED_REPOS),
      git_branch: pick(GENERATED_BRANCHES),
      model: pick(MODELS),
      title: random() < 0.3 ? null : sentence(),
      first_user_message: random() < 0.1 ? null : sentence(),
      last_user_message: random() < 0.2 ? null : sentence(),
      tokens_input: Math.floor(random() * 50_000),
      tokens_output: Math.floor(random() * 20_000),
      tokens_cache_read: Math.floor(random() * 2_000_000),
      tokens_cache_write: Math.floor(random() * 100_000),
      cost_usd: random() < 0.1 ? null : Math.round(random() * 2_000) / 100,
      api_request_count: Math.floor(random() * 200),
      api_error_count: Math.floor(random() * 3),
      tool_call_count: Math.floor(random() * 150),
      message_count: Math.floor(random() * 300),
    });
  }
  return out;
}

/** A record with every field at its "nothing known" value. */
export function blankRecord(sessionId: string): SessionRecord {
  return {
    session_id: sessionId, machine_id: 'bench-machine', framework: 'claude_code',
    first_started_at: null, last_started_at: null, first_ended_at: null, last_ended_at: null, last_activity: null,
    revival_count: 0, status: 'idle', status_updated_at: null, end_reason: null, hidden: false, hidden_reason: null, forked_from: null,
    pid: null, process_start_time: null,
    cwd: null, local_git_dir: null, git_branch: null, git_worktree_path: null, github_repo: null, github_issue: null, github_pr: null,
    github_refs: [], git_additions: null, git_deletions: null,
    title: null, first_user_message: null, last_user_message: null, model: null, app_version: null, entrypoint: null,
    compaction_count: 0, message_count: 0, tool_call_count: 0, tool_error_count: 0, api_request_count: 0, api_error_count: 0, subagent_count: 0, commit_count: null, pull_request_count: null,
    tokens_input: 0, tokens_output: 0, tokens_cache_read: 0, tokens_cache_write: 0, tokens_cache_write_1h: 0,
    cost_usd: null, reported_cost_usd: null, unpriced_requests: 0, context: null,
    usage_by_model: {}, usage_by_agent: {}, usage_sources: {}, tasks: [],
    n_transcript_events: 0, n_otel_events: 0, n_hook_events: 0, n_events: 0, transcript_available: false, transcript_path: null,
    provenance: {},
  };
}

/** Writes records into the store database at `dbPath` (already migrated), in one transaction. */
export function insertSessions(dbPath: string, records: readonly SessionRecord[]): void {
  const db = new Database(dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    const rows = new SessionRows(db);
    db.transaction(() => {
      for (const record of records) rows.write(record);
    })();
  } finally {
    db.close();
  }
}
