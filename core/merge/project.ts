/**
 * The projection `events → SessionRecord` (ARCHITECTURE §6). Pure: the record
 * is a function of the session's set of events and the context, so any
 * arrival order, any duplication and any split into batches give the same
 * record, byte for byte once serialized.
 */
import {
  DossierError,
  PROVENANCED_FIELDS,
  type NormalizedEvent,
  type Provenance,
  type ProvenancedField,
  type SessionRecord,
  type Source,
} from '../../schema/index.js';
import { countThings } from './counts.js';
import { pickReportedFields } from './fields.js';
import { takeInventory } from './inventory.js';
import { foldLifecycle } from './lifecycle.js';
import { inFoldOrderDistinct, sortEvents } from './order.js';
import { projectPlace } from './place.js';
import { projectTasks } from './tasks.js';
import type { ProjectionContext } from './types.js';
import { projectUsage } from './usage.js';
import { sumMetricCounters } from './metric-counters.js';

const NO_FOREIGN_KEYS: ReadonlySet<string> = new Set();

/**
 * Projects all the events of ONE session (any order; exact duplicates by
 * `dedupe_key` are ignored) into its record. Keys are in `SessionRecord`
 * order and map-like fields have sorted keys, so `JSON.stringify` of the
 * result is canonical. Throws a `DossierError` (`DOSSIER_E_INTERNAL`: a
 * caller bug) on an empty list or events of several sessions.
 */
export function projectSession(events: readonly NormalizedEvent[], ctx: ProjectionContext): SessionRecord {
  const first = events[0];
  if (first === undefined) throw new DossierError('DOSSIER_E_INTERNAL', 'projectSession needs at least one event');
  const sessionId = first.session_id;
  for (let i = 1; i < events.length; i++) {
    const other = events[i]!.session_id;
    if (other !== sessionId) throw new DossierError('DOSSIER_E_INTERNAL', `projectSession got events of sessions ${sessionId} and ${other}`);
  }

  const sorted = ctx.distinct_keys === true ? inFoldOrderDistinct(events) : sortEvents(events);
  const life = foldLifecycle(sorted);
  const fields = pickReportedFields(sorted);
  const place = projectPlace(sorted, fields.cwd.value);
  const counts = countThings(sorted);
  const usage = projectUsage(sorted, ctx.foreign_request_keys ?? NO_FOREIGN_KEYS, ctx.price);
  const metricCounters = sumMetricCounters(sorted);
  const inventory = takeInventory(sorted);
  // git only fills the branch when none of the agent's own sources named one.
  const branchFromGit = fields.git_branch.value === null && place.git_branch !== null;
  const gitSource = (value: unknown): Source | null => (value === null ? null : place.git_source);

  const provenance = buildProvenance({
    first_started_at: life.provenance.first_started_at,
    last_activity: life.provenance.last_activity,
    status: life.provenance.status,
    end_reason: life.provenance.end_reason,
    pid: place.pid_source,
    cwd: fields.cwd.source,
    git_branch: branchFromGit ? place.git_source : fields.git_branch.source,
    local_git_dir: gitSource(place.local_git_dir),
    git_worktree_path: gitSource(place.git_worktree_path),
    github_repo: gitSource(place.github_repo),
    github_issue: place.github_issue_source,
    github_pr: place.github_pr_source,
    git_additions: gitSource(place.git_additions),
    git_deletions: gitSource(place.git_deletions),
    first_user_message: fields.first_user_message.source,
    last_user_message: fields.last_user_message.source,
    model: fields.model.source,
    title: fields.title.source,
    compaction_count: counts.provenance.compaction_count,
    message_count: counts.provenance.message_count,
    tool_call_count: counts.provenance.tool_call_count,
    api_request_count: usage.provenance.api_request_count,
    api_error_count: counts.provenance.api_error_count,
    tokens: usage.provenance.tokens,
    reported_cost_usd: usage.provenance.reported_cost_usd,
    context: usage.provenance.context,
    app_version: fields.app_version.source,
    entrypoint: fields.entrypoint.source,
    forked_from: fields.forked_from.source,
  });

  return {
    session_id: sessionId,
    machine_id: ctx.machine_id,
    framework: inventory.framework,
    first_started_at: life.first_started_at,
    last_started_at: life.last_started_at,
    first_ended_at: life.first_ended_at,
    last_ended_at: life.last_ended_at,
    last_activity: life.last_activity,
    revival_count: life.revival_count,
    status: life.status,
    status_updated_at: life.status_updated_at,
    end_reason: life.end_reason,
    hidden: inventory.hidden,
    hidden_reason: inventory.hidden_reason,
    forked_from: fields.forked_from.value,
    pid: place.pid,
    process_start_time: place.process_start_time,
    cwd: fields.cwd.value,
    local_git_dir: place.local_git_dir,
    git_branch: branchFromGit ? place.git_branch : fields.git_branch.value,
    git_worktree_path: place.git_worktree_path,
    github_repo: place.github_repo,
    github_issue: place.github_issue,
    github_pr: place.github_pr,
    github_refs: place.github_refs,
    git_additions: place.git_additions,
    git_deletions: place.git_deletions,
    title: fields.title.value,
    first_user_message: fields.first_user_message.value,
    last_user_message: fields.last_user_message.value,
    model: fields.model.value,
    app_version: fields.app_version.value,
    entrypoint: fields.entrypoint.value,
    compaction_count: counts.compaction_count,
    message_count: counts.message_count,
    tool_call_count: counts.tool_call_count,
    tool_error_count: counts.tool_error_count,
    api_request_count: usage.totals.requests,
    api_error_count: counts.api_error_count,
    subagent_count: counts.subagent_count,
    commit_count: metricCounters.commit_count,
    pull_request_count: metricCounters.pull_request_count,
    tokens_input: usage.totals.tokens_input,
    tokens_output: usage.totals.tokens_output,
    tokens_cache_read: usage.totals.tokens_cache_read,
    tokens_cache_write: usage.totals.tokens_cache_write,
    tokens_cache_write_1h: usage.totals.tokens_cache_write_1h,
    cost_usd: usage.totals.cost_usd,
    reported_cost_usd: usage.totals.reported_cost_usd,
    unpriced_requests: usage.totals.unpriced_requests,
    context: usage.context,
    usage_by_model: usage.by_model,
    usage_by_agent: usage.by_agent,
    usage_sources: usage.sources,
    tasks: projectTasks(sorted),
    n_transcript_events: inventory.n_transcript_events,
    n_otel_events: inventory.n_otel_events,
    n_hook_events: inventory.n_hook_events,
    n_events: inventory.n_events,
    transcript_available: inventory.transcript_available,
    transcript_path: fields.transcript_path.value,
    provenance,
  };
}

/** Provenance keys in the order the record stores them (sorted once, not per projection). */
const SORTED_PROVENANCED_FIELDS: readonly ProvenancedField[] = [...PROVENANCED_FIELDS].sort();

/** Provenance with only the fields some source gave, keys sorted. */
function buildProvenance(all: Record<ProvenancedField, Source | 'mixed' | null>): Provenance {
  const out: Provenance = {};
  for (const field of SORTED_PROVENANCED_FIELDS) {
    const source = all[field];
    if (source !== null) out[field] = source;
  }
  return out;
}
