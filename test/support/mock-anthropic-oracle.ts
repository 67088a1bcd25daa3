/**
 * The oracle: what the mock served, summed per session. E2E tests compare
 * dossier's session records to these numbers, never to numbers computed by
 * dossier's own code.
 */
import type { MockRequestRecord } from './mock-anthropic.js';

/** Totals of every request the mock answered for one session. */
export interface SessionOracle {
  session_id: string;
  /** Successful Messages responses (each one a request with usage), side requests included. */
  requests: number;
  /** Error responses (each failed attempt, retried or not). */
  error_responses: number;
  tokens_input: number;
  tokens_output: number;
  tokens_cache_read: number;
  /** All cache writes (`cache_creation_input_tokens`). */
  tokens_cache_write: number;
  /** The 1-hour part of the cache writes. */
  tokens_cache_write_1h: number;
  /**
   * The 1-hour part of requests that only OTel reports (compaction summaries:
   * the CLI writes no transcript line for them). OTel's `api_request` gives
   * cache writes as one number, so no source can tell this part apart.
   */
  tokens_cache_write_1h_otel_only: number;
  /** Tool calls the mock asked for (subagents' included). */
  tool_calls: number;
  /** Compaction summary requests answered. */
  compactions: number;
  /** Ids the mock returned, to compare with what dossier attributes to the session. */
  request_ids: string[];
  message_ids: string[];
}

/** Sums the mock's record for `sessionId`. A session the mock never saw gives all zeros. */
export function sessionOracle(records: readonly MockRequestRecord[], sessionId: string): SessionOracle {
  const out: SessionOracle = {
    session_id: sessionId,
    requests: 0,
    error_responses: 0,
    tokens_input: 0,
    tokens_output: 0,
    tokens_cache_read: 0,
    tokens_cache_write: 0,
    tokens_cache_write_1h: 0,
    tokens_cache_write_1h_otel_only: 0,
    tool_calls: 0,
    compactions: 0,
    request_ids: [],
    message_ids: [],
  };
  for (const r of records) {
    if (r.sessionId !== sessionId) continue;
    if (r.status !== 200 || r.usage === null) {
      out.error_responses += 1;
      continue;
    }
    out.requests += 1;
    out.tokens_input += r.usage.input_tokens;
    out.tokens_output += r.usage.output_tokens;
    out.tokens_cache_read += r.usage.cache_read_input_tokens;
    out.tokens_cache_write += r.usage.cache_creation_input_tokens;
    out.tokens_cache_write_1h += r.usage.cache_creation.ephemeral_1h_input_tokens;
    out.tool_calls += r.toolUses.length;
    if (r.purpose === 'compaction') {
      out.compactions += 1;
      out.tokens_cache_write_1h_otel_only += r.usage.cache_creation.ephemeral_1h_input_tokens;
    }
    out.request_ids.push(r.requestId);
    if (r.messageId !== null) out.message_ids.push(r.messageId);
  }
  return out;
}

/** Session ids the mock saw, in order of first request. */
export function sessionsSeen(records: readonly MockRequestRecord[]): string[] {
  const seen: string[] = [];
  for (const r of records) if (r.sessionId !== null && !seen.includes(r.sessionId)) seen.push(r.sessionId);
  return seen;
}

/** Records that asked a script for a step it did not have: a scenario bug, not a dossier bug. */
export function overflows(records: readonly MockRequestRecord[]): MockRequestRecord[] {
  return records.filter((r) => r.overflow);
}
