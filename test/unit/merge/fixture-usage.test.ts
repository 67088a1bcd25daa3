/**
 * Real data: the d-subagent scenario of Claude Code 2.1.197 (one main turn
 * that delegates to a general-purpose subagent). `fixtures/d-subagent.mock-
 * api-requests.jsonl` is a byte-exact copy of that scenario's ground truth,
 * the `usage` the mock API returned for each request. Expected numbers are
 * written by hand from it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLED_PRICES, Pricer } from '../../../core/pricing/index.js';
import { projectSession } from '../../../core/merge/index.js';
import type { NormalizedEvent } from '../../../schema/index.js';
import { ev, usage } from '../../support/events.js';

const SESSION = '221487a9-8603-4d04-a876-eae3d951bdec';
const SUBAGENT = 'a80849437ccc16144';
/** Which agent sent each request, from the scenario's transcripts (subagents/agent-a80849437ccc16144.jsonl). */
const AGENT_OF: Record<string, string | null> = {
  req_011EC3vz9jjaENQhgBpnKkmKJYP: null,
  req_011sQFgO26R3lGRUmAgBM07nbKq: SUBAGENT,
  req_0117qoK4XMmLKaIMw4jFMBMqofq: SUBAGENT,
  req_011ZFx91kyOE8QBqU4fYcPVjOu0: null,
};
/** `cost_usd` of each OTel `api_request` log record of the scenario (otlp/0002-logs-http-protobuf.json). */
const OTEL_COST: Record<string, number> = {
  req_011EC3vz9jjaENQhgBpnKkmKJYP: 0.1339325,
  req_011sQFgO26R3lGRUmAgBM07nbKq: 0.085295,
  req_0117qoK4XMmLKaIMw4jFMBMqofq: 0.010280000000000001,
  req_011ZFx91kyOE8QBqU4fYcPVjOu0: 0.01217,
};

interface MockLine {
  ts: string;
  response: {
    message_id: string;
    request_id: string;
    stop_reason: string;
    usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number; cache_creation: { ephemeral_1h_input_tokens: number } };
  };
}

function eventsFromMock(): NormalizedEvent[] {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'd-subagent.mock-api-requests.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.flatMap((line) => {
    const { ts, response: r } = JSON.parse(line) as MockLine;
    const at = Date.parse(ts);
    const real = usage({
      input: r.usage.input_tokens,
      output: r.usage.output_tokens,
      cache_read: r.usage.cache_read_input_tokens,
      cache_write: r.usage.cache_creation_input_tokens,
      cache_write_1h: r.usage.cache_creation.ephemeral_1h_input_tokens,
    });
    const opts = { session_id: SESSION, agent_id: AGENT_OF[r.request_id] ?? null };
    const ids = { request_id: r.request_id, message_id: r.message_id, model: 'claude-opus-4-8' };
    return [
      // A streamed response is written as one transcript line per content block; the first can hold a placeholder output count.
      ev.request(at + 5, { ...ids, usage: { ...real, output: 1 } }, opts),
      ev.request(at + 9, { ...ids, usage: real, stop_reason: r.stop_reason }, opts),
      ev.request(at + 12, { ...ids, usage: real, stop_reason: r.stop_reason }, opts),
      ev.request(at + 15, { request_id: r.request_id, model: 'claude-opus-4-8[1m]', usage: real, reported_cost_usd: OTEL_COST[r.request_id]! }, {
        session_id: SESSION,
        source: 'otel',
      }),
    ];
  });
}

describe('real data: d-subagent usage equals the mock API ground truth', () => {
  it('totals, per-agent split, context and reported cost', () => {
    const record = projectSession(eventsFromMock(), { machine_id: 'm' });
    // Sums of `usage` over the 4 requests: input 4+4+7+6, output 75+52+20+18,
    // cache read 0+0+13440+21130, cache write 21126+13436+484+180.
    expect(record.api_request_count).toBe(4);
    expect(record.tokens_input).toBe(21);
    expect(record.tokens_output).toBe(165);
    expect(record.tokens_cache_read).toBe(34570);
    expect(record.tokens_cache_write).toBe(35226);
    expect(record.tokens_cache_write_1h).toBe(0);
    expect(record.usage_sources).toEqual({ transcript: 4 });
    expect(record.subagent_count).toBe(1);
    expect(record.usage_by_agent).toEqual({
      [SUBAGENT]: {
        requests: 2,
        tokens_input: 11,
        tokens_output: 72,
        tokens_cache_read: 13440,
        tokens_cache_write: 13920,
        tokens_cache_write_1h: 0,
        cost_usd: null,
        unpriced_requests: 0,
        reported_cost_usd: 0.095575,
      },
      main: {
        requests: 2,
        tokens_input: 10,
        tokens_output: 93,
        tokens_cache_read: 21130,
        tokens_cache_write: 21306,
        tokens_cache_write_1h: 0,
        cost_usd: null,
        unpriced_requests: 0,
        reported_cost_usd: 0.1461025,
      },
    });
    // The last main request: 6 input + 21130 cache read + 180 cache write.
    expect(record.context).toBe(21316);
    expect(record.reported_cost_usd).toBe(0.2416775);
    expect(record.status).toBe('idle');
  });

  it('the price table reproduces the cost Claude Code itself reported for every request', () => {
    const record = projectSession(eventsFromMock(), { machine_id: 'm', price: new Pricer(BUNDLED_PRICES).price });
    // main: 10*5 + 93*25 + 21130*0.5 + 21306*6.25 = 146,102.5 µ$; subagent: 11*5 + 72*25 + 13440*0.5 + 13920*6.25 = 95,575 µ$
    expect(record.usage_by_agent['main']?.cost_usd).toBe(0.1461025);
    expect(record.usage_by_agent[SUBAGENT]?.cost_usd).toBe(0.095575);
    expect(record.cost_usd).toBe(record.reported_cost_usd);
    expect(record.unpriced_requests).toBe(0);
  });
});
