/**
 * What a session record must say, built from the mock's oracle (tokens,
 * requests, tool calls, compactions) and from what the scenario did (prompts,
 * revivals, fork, place). Compared field by field so a failure names every
 * number that is off, not just the first.
 */
import type { SessionRecord } from '../../../schema/index.js';
import type { SessionOracle } from '../../support/mock-anthropic-oracle.js';

/** Facts only the scenario knows (the mock cannot see them). */
export interface ScenarioFacts {
  /** User prompts submitted to the main agent, slash commands included. */
  prompts: number;
  /** Runs that resumed or continued this session after it had ended. */
  revivals: number;
  forked_from: string | null;
  /** Manual `/compact` runs (each also makes one compaction request the oracle counts). */
  compactions: number;
  /** API failures the CLI gave up on (retried-then-successful ones are not failures). */
  api_errors: number;
  /** Tool calls whose result was an error (a Read of a missing file, …). */
  tool_errors: number;
  /** Subagents the session started. */
  subagents: number;
  cwd: string;
  /** Branch name, or null outside a git repo. */
  git_branch: string | null;
  /** The repo's git dir, or null outside a git repo. */
  local_git_dir: string | null;
  /** `owner/repo` from the remote, or null. */
  github_repo: string | null;
  status: SessionRecord['status'];
  end_reason: string | null;
}

/** The subset of a session record the e2e asserts, with the expected value of each. */
export type ExpectedSession = Pick<
  SessionRecord,
  | 'session_id'
  | 'tokens_input'
  | 'tokens_output'
  | 'tokens_cache_read'
  | 'tokens_cache_write'
  | 'tokens_cache_write_1h'
  | 'api_request_count'
  | 'api_error_count'
  | 'tool_call_count'
  | 'tool_error_count'
  | 'message_count'
  | 'revival_count'
  | 'forked_from'
  | 'compaction_count'
  | 'subagent_count'
  | 'status'
  | 'end_reason'
  | 'cwd'
  | 'git_branch'
  | 'local_git_dir'
  | 'github_repo'
>;

/** One field whose recorded value differs from the expected one. */
export interface Mismatch {
  field: keyof ExpectedSession;
  expected: unknown;
  actual: unknown;
}

/** Combines the oracle and the scenario's facts into the expected record. */
export function expectedSession(oracle: SessionOracle, facts: ScenarioFacts): ExpectedSession {
  return {
    session_id: oracle.session_id,
    tokens_input: oracle.tokens_input,
    tokens_output: oracle.tokens_output,
    tokens_cache_read: oracle.tokens_cache_read,
    tokens_cache_write: oracle.tokens_cache_write,
    // No source reports the 1-hour split of an OTel-only request; those writes can only be counted as 5-minute ones.
    tokens_cache_write_1h: oracle.tokens_cache_write_1h - oracle.tokens_cache_write_1h_otel_only,
    api_request_count: oracle.requests,
    api_error_count: facts.api_errors,
    tool_call_count: oracle.tool_calls,
    tool_error_count: facts.tool_errors,
    message_count: facts.prompts,
    revival_count: facts.revivals,
    forked_from: facts.forked_from,
    compaction_count: facts.compactions,
    subagent_count: facts.subagents,
    status: facts.status,
    end_reason: facts.end_reason,
    cwd: facts.cwd,
    git_branch: facts.git_branch,
    local_git_dir: facts.local_git_dir,
    github_repo: facts.github_repo,
  };
}

/** Every asserted field whose value differs; empty when the record is right. */
export function compareSession(record: SessionRecord | null, expected: ExpectedSession): Mismatch[] {
  const out: Mismatch[] = [];
  for (const field of Object.keys(expected) as (keyof ExpectedSession)[]) {
    const actual = record === null ? undefined : record[field];
    if (actual !== expected[field]) out.push({ field, expected: expected[field], actual });
  }
  return out;
}

/** A readable table of mismatches with the provenance dossier gave, for assertion messages. */
export function formatMismatches(sessionLabel: string, record: SessionRecord | null, mismatches: readonly Mismatch[]): string {
  if (record === null) return `${sessionLabel}: dossier has no record of this session`;
  const lines = mismatches.map((m) => {
    const key = m.field.startsWith('tokens_') ? 'tokens' : m.field;
    const source = (record.provenance as Record<string, string | undefined>)[key] ?? '-';
    return `  ${m.field.padEnd(22)} expected ${JSON.stringify(m.expected).padEnd(14)} recorded ${JSON.stringify(m.actual)} (source: ${source})`;
  });
  return [`${sessionLabel} (${record.session_id}): ${mismatches.length} field(s) off`, ...lines, `  usage_sources: ${JSON.stringify(record.usage_sources)}`].join('\n');
}
