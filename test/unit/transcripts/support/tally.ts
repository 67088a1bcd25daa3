/**
 * Test-side reduction of transcript events to per-session numbers, applying
 * the merge engine's documented rules (requests deduplicated by identity,
 * largest usage wins; tool calls by tool_use_id; prompts by prompt id). It
 * lets mapping tests state expected totals without depending on core/merge.
 */
import type { EventOf, NormalizedEvent, Usage } from '../../../../schema/index.js';

/** One session's numbers, as the merge would count them. */
export interface Totals {
  requests: number;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  cache_write_1h: number;
  tool_calls: number;
  tool_errors: number;
  prompts: number;
  compactions: number;
  api_errors: number;
  by_agent: Record<string, { requests: number; input: number; output: number; cache_read: number; cache_write: number }>;
  by_model: Record<string, number>;
}

const sum = (u: Usage) => u.input + u.output + u.cache_read + u.cache_write;

/** Totals of one session from a set of events (already deduplicated by key, as the store does). */
export function tally(events: readonly NormalizedEvent[], sessionId: string): Totals {
  const mine = events.filter((e) => e.session_id === sessionId);
  const requests = new Map<string, EventOf<'api.request'>>();
  for (const e of mine) {
    if (e.kind !== 'api.request') continue;
    const key = `${e.attrs.message_id ?? ''}|${e.attrs.request_id ?? ''}`;
    const prev = requests.get(key);
    if (!prev || sum(e.attrs.usage!) > sum(prev.attrs.usage!)) requests.set(key, e);
  }
  const t: Totals = { requests: requests.size, input: 0, output: 0, cache_read: 0, cache_write: 0, cache_write_1h: 0, tool_calls: 0, tool_errors: 0, prompts: 0, compactions: 0, api_errors: 0, by_agent: {}, by_model: {} };
  for (const r of requests.values()) {
    const u = r.attrs.usage!;
    t.input += u.input;
    t.output += u.output;
    t.cache_read += u.cache_read;
    t.cache_write += u.cache_write;
    t.cache_write_1h += u.cache_write_1h;
    const a = (t.by_agent[r.agent_id ?? 'main'] ??= { requests: 0, input: 0, output: 0, cache_read: 0, cache_write: 0 });
    a.requests++;
    a.input += u.input;
    a.output += u.output;
    a.cache_read += u.cache_read;
    a.cache_write += u.cache_write;
    const model = r.attrs.model ?? '?';
    t.by_model[model] = (t.by_model[model] ?? 0) + 1;
  }
  t.tool_calls = new Set(mine.filter((e) => e.kind === 'tool.called').map((e) => (e as EventOf<'tool.called'>).attrs.tool_use_id)).size;
  t.tool_errors = new Set(mine.filter((e): e is EventOf<'tool.finished'> => e.kind === 'tool.finished' && !e.attrs.success).map((e) => e.attrs.tool_use_id)).size;
  t.prompts = new Set(mine.filter((e): e is EventOf<'prompt.submitted'> => e.kind === 'prompt.submitted').map((e) => e.attrs.prompt_id ?? e.dedupe_key)).size;
  t.compactions = mine.filter((e) => e.kind === 'compaction').length;
  t.api_errors = mine.filter((e) => e.kind === 'api.error').length;
  return t;
}
