/**
 * The session record: the merged, per-session view projected from the ledger.
 * Field names are the stable contract of `dossier show --json` and
 * `GET /v1/sessions/{id}`; changes inside v1 are additive only.
 */
import type { Framework, Source } from './sources.js';

/** Lifecycle status of a session. */
export type SessionStatus = 'busy' | 'waiting' | 'idle' | 'ended';

/** Every {@link SessionStatus}, as a runtime list (query validation, CLI flags). */
export const SESSION_STATUSES: readonly SessionStatus[] = ['busy', 'waiting', 'idle', 'ended'];

/** Token totals and request counts for one slice of a session (a model, an agent, or the whole). */
export interface UsageTotals {
  requests: number;
  tokens_input: number;
  tokens_output: number;
  tokens_cache_read: number;
  /** All cache writes; `tokens_cache_write_1h` is the 1-hour part, the rest is 5-minute. */
  tokens_cache_write: number;
  tokens_cache_write_1h: number;
  /** Cost of the priced requests, from the price table; null when none could be priced. */
  cost_usd: number | null;
  /** Requests whose model has no price (their cost is not in `cost_usd`). */
  unpriced_requests: number;
  /** The agent's own reported cost for these requests, where it reported one. */
  reported_cost_usd: number | null;
}

/** Fields of {@link SessionRecord} whose value is chosen by source priority and explained by provenance. */
export const PROVENANCED_FIELDS = [
  'first_started_at',
  'last_activity',
  'status',
  'end_reason',
  'pid',
  'cwd',
  'git_branch',
  'local_git_dir',
  'git_worktree_path',
  'github_repo',
  'github_issue',
  'github_pr',
  'git_additions',
  'git_deletions',
  'first_user_message',
  'last_user_message',
  'model',
  'title',
  'compaction_count',
  'message_count',
  'tool_call_count',
  'api_request_count',
  'api_error_count',
  'tokens',
  'reported_cost_usd',
  'context',
  'app_version',
  'entrypoint',
  'forked_from',
] as const;
/** One of {@link PROVENANCED_FIELDS}. */
export type ProvenancedField = (typeof PROVENANCED_FIELDS)[number];

/**
 * Which source gave each field its value. `tokens` covers every usage field;
 * when requests came from several sources the value is `mixed` and
 * `usage_sources` gives the request count per source.
 */
export type Provenance = Partial<Record<ProvenancedField, Source | 'mixed'>>;

/** A task the session created (TaskCreated / TaskCompleted). */
export interface SessionTask {
  task_id: string;
  subject: string | null;
  state: 'created' | 'updated' | 'completed';
  created_at: number | null;
  completed_at: number | null;
}

/** A GitHub issue or PR the session touched, in order of last sighting. */
export interface SessionGithubRef {
  ref_type: 'issue' | 'pr';
  number: number;
  repo: string | null;
  last_seen_at: number;
}

/** One merged session. Times are ms since epoch; `null` means no source has said. */
export interface SessionRecord {
  // identity
  session_id: string;
  machine_id: string;
  framework: Framework;
  // lifecycle
  first_started_at: number | null;
  last_started_at: number | null;
  first_ended_at: number | null;
  last_ended_at: number | null;
  last_activity: number | null;
  revival_count: number;
  status: SessionStatus;
  status_updated_at: number | null;
  end_reason: string | null;
  /** Hidden sessions (e.g. the throw-away id of `-p --continue` start-up telemetry) are left out of `ls` by default. */
  hidden: boolean;
  hidden_reason: string | null;
  forked_from: string | null;
  // process
  pid: number | null;
  process_start_time: number | null;
  // place
  cwd: string | null;
  local_git_dir: string | null;
  git_branch: string | null;
  git_worktree_path: string | null;
  github_repo: string | null;
  github_issue: number | null;
  github_pr: number | null;
  github_refs: SessionGithubRef[];
  git_additions: number | null;
  git_deletions: number | null;
  // content
  title: string | null;
  first_user_message: string | null;
  last_user_message: string | null;
  model: string | null;
  app_version: string | null;
  entrypoint: string | null;
  // counts
  compaction_count: number;
  message_count: number;
  tool_call_count: number;
  tool_error_count: number;
  api_request_count: number;
  api_error_count: number;
  subagent_count: number;
  /** Commits the agent made (OTel `commit.count`); null if never reported. */
  commit_count: number | null;
  /** Pull requests the agent created (OTel `pull_request.count`); null if never reported. */
  pull_request_count: number | null;
  // usage
  tokens_input: number;
  tokens_output: number;
  tokens_cache_read: number;
  tokens_cache_write: number;
  tokens_cache_write_1h: number;
  /** Cost computed from tokens with the price table; null until priced. */
  cost_usd: number | null;
  /** The agent's own reported cost, kept beside `cost_usd` and never added to it. */
  reported_cost_usd: number | null;
  /** Requests whose model has no price. */
  unpriced_requests: number;
  /** Tokens in the context window after the last main-agent request (input + cache read + cache write). */
  context: number | null;
  usage_by_model: Record<string, UsageTotals>;
  /** Keyed by agent id; the main agent is `main`. */
  usage_by_agent: Record<string, UsageTotals>;
  /** Requests counted, per source that supplied them. */
  usage_sources: Partial<Record<Source, number>>;
  tasks: SessionTask[];
  // sources
  n_transcript_events: number;
  n_otel_events: number;
  n_hook_events: number;
  n_events: number;
  transcript_available: boolean;
  transcript_path: string | null;
  provenance: Provenance;
}
