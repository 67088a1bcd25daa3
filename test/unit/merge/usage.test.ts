import { describe, expect, it } from 'vitest';
import { projectSession } from '../../../core/merge/index.js';
import { ev, usage } from '../../support/events.js';

const ctx = { machine_id: 'm1' };
const T = 1_800_000_000_000;

describe('rule 1: usage by request identity', () => {
  it('repeated transcript lines of one request count once, with the largest usage (placeholder output first)', () => {
    const ids = { request_id: 'req_1', message_id: 'msg_1', model: 'claude-opus-4-8' };
    const record = projectSession(
      [
        ev.request(T + 1, { ...ids, usage: usage({ input: 4, output: 1, cache_write: 21126 }) }),
        ev.request(T + 2, { ...ids, usage: usage({ input: 4, output: 159, cache_write: 21126 }) }),
        ev.request(T + 3, { ...ids, usage: usage({ input: 4, output: 159, cache_write: 21126 }) }),
      ],
      ctx,
    );
    expect(record.api_request_count).toBe(1);
    expect(record.tokens_output).toBe(159);
    expect(record.tokens_input).toBe(4);
    expect(record.tokens_cache_write).toBe(21126);
  });

  it('a request seen by transcript and otel counts once, with the transcript usage; otel-only requests are included', () => {
    const record = projectSession(
      [
        ev.request(T + 1, { request_id: 'req_A', message_id: 'msg_A', model: 'm', usage: usage({ input: 10, output: 20 }) }),
        ev.request(T + 2, { request_id: 'req_A', model: 'm', usage: usage({ input: 11, output: 25 }), reported_cost_usd: 0.5 }, { source: 'otel' }),
        ev.request(T + 3, { request_id: 'req_B', model: 'm', usage: usage({ input: 1, output: 2 }), reported_cost_usd: 0.25 }, { source: 'otel' }),
      ],
      ctx,
    );
    expect(record.api_request_count).toBe(2);
    expect(record.tokens_input).toBe(11);
    expect(record.tokens_output).toBe(22);
    expect(record.usage_sources).toEqual({ otel: 1, transcript: 1 });
    expect(record.provenance.tokens).toBe('mixed');
    // The agent's own cost estimate is kept beside tokens, for every request it reported one for.
    expect(record.reported_cost_usd).toBe(0.75);
    expect(record.provenance.reported_cost_usd).toBe('otel');
    expect(record.cost_usd).toBeNull();
    expect(record.unpriced_requests).toBe(0);
  });

  it('a request without usage counts as a request with zero tokens, unless another event of it has usage', () => {
    const record = projectSession(
      [
        ev.request(T + 1, { request_id: 'req_bare', model: 'm' }, { source: 'otel' }),
        ev.request(T + 2, { request_id: 'req_both', model: 'm' }),
        ev.request(T + 3, { request_id: 'req_both', model: 'm', usage: usage({ output: 7 }) }, { source: 'otel' }),
      ],
      ctx,
    );
    expect(record.api_request_count).toBe(2);
    expect(record.tokens_output).toBe(7);
    expect(record.usage_sources).toEqual({ otel: 2 });
  });

  it('<synthetic> lines are not API requests', () => {
    const record = projectSession(
      [
        ev.request(T + 1, { message_id: 'msg_syn', model: '<synthetic>', usage: usage({}) }),
        ev.request(T + 2, { request_id: 'req_1', model: 'claude-opus-4-8', usage: usage({ input: 3 }) }),
      ],
      ctx,
    );
    expect(record.api_request_count).toBe(1);
    expect(Object.keys(record.usage_by_model)).toEqual(['claude-opus-4-8']);
    expect(record.model).toBe('claude-opus-4-8');
  });

  it('the model falls back to any event of the request that names one', () => {
    const record = projectSession(
      [
        ev.request(T + 1, { request_id: 'req_1', usage: usage({ output: 9 }) }),
        ev.request(T + 2, { request_id: 'req_1', model: 'claude-opus-4-8[1m]' }, { source: 'otel' }),
      ],
      ctx,
    );
    expect(Object.keys(record.usage_by_model)).toEqual(['claude-opus-4-8[1m]']);
  });

  it('splits usage by model and by agent, subagent requests included in the totals', () => {
    const record = projectSession(
      [
        ev.request(T + 1, { request_id: 'r1', model: 'opus', usage: usage({ input: 1, output: 10, cache_read: 100, cache_write: 5, cache_write_1h: 2 }) }),
        ev.request(T + 2, { request_id: 'r2', model: 'haiku', usage: usage({ input: 2, output: 20 }) }, { agent_id: 'a1' }),
        ev.request(T + 3, { request_id: 'r3', model: 'opus', usage: usage({ input: 3, output: 30 }) }, { agent_id: 'a1' }),
      ],
      ctx,
    );
    expect(record.tokens_input).toBe(6);
    expect(record.tokens_cache_write_1h).toBe(2);
    expect(Object.keys(record.usage_by_agent)).toEqual(['a1', 'main']);
    expect(record.usage_by_agent['a1']).toEqual({
      requests: 2,
      tokens_input: 5,
      tokens_output: 50,
      tokens_cache_read: 0,
      tokens_cache_write: 0,
      tokens_cache_write_1h: 0,
      cost_usd: null,
      unpriced_requests: 0,
      reported_cost_usd: null,
    });
    expect(record.usage_by_model['opus']?.requests).toBe(2);
    expect(record.usage_by_model['haiku']?.tokens_output).toBe(20);
    expect(record.reported_cost_usd).toBeNull();
  });

  it('context is input + cache read + cache write of the last main-agent request', () => {
    const record = projectSession(
      [
        ev.request(T + 1, { request_id: 'r1', usage: usage({ input: 1, cache_read: 10, cache_write: 100 }) }),
        ev.request(T + 2, { request_id: 'r2', usage: usage({ input: 2, cache_read: 20, cache_write: 200, output: 5 }) }),
        ev.request(T + 3, { request_id: 'r3', usage: usage({ input: 9, cache_read: 900 }) }, { agent_id: 'sub' }),
        ev.request(T + 4, { request_id: 'r4', query_source: 'generate_session_title', usage: usage({ input: 50 }) }, { source: 'otel' }),
      ],
      ctx,
    );
    expect(record.context).toBe(222);
    expect(record.provenance.context).toBe('transcript');
  });

  it('skips requests another session owns (foreign request keys)', () => {
    const record = projectSession(
      [
        ev.request(T + 1, { request_id: 'parent_req', message_id: 'm0', usage: usage({ output: 100 }) }),
        ev.request(T + 2, { request_id: 'own_req', message_id: 'm1', usage: usage({ output: 3 }) }),
      ],
      { machine_id: 'm1', foreign_request_keys: new Set(['req:parent_req']) },
    );
    expect(record.api_request_count).toBe(1);
    expect(record.tokens_output).toBe(3);
  });

  it('metric fallback: only without any counted request, token and cost metrics are summed as deltas', () => {
    const points = [
      ev.metric(T + 1, { name: 'claude_code.token.usage', value: 4, type: 'input', model: 'opus' }),
      ev.metric(T + 2, { name: 'claude_code.token.usage', value: 75, type: 'output', model: 'opus' }),
      ev.metric(T + 3, { name: 'claude_code.token.usage', value: 21126, type: 'cacheCreation', model: 'opus' }),
      ev.metric(T + 4, { name: 'claude_code.token.usage', value: 10, type: 'cacheRead', model: 'opus', query_source: 'subagent' }),
      ev.metric(T + 5, { name: 'claude_code.token.usage', value: 5, type: 'output', model: 'opus' }),
      ev.metric(T + 6, { name: 'claude_code.cost.usage', value: 0.1, model: 'opus' }),
      ev.metric(T + 7, { name: 'claude_code.cost.usage', value: 0.2, model: 'opus' }),
      ev.metric(T + 8, { name: 'claude_code.active_time.total', value: 3, type: 'cli' }),
    ];
    const fallback = projectSession(points, ctx);
    expect(fallback.tokens_input).toBe(4);
    expect(fallback.tokens_output).toBe(80);
    expect(fallback.tokens_cache_write).toBe(21126);
    expect(fallback.tokens_cache_read).toBe(10);
    expect(fallback.reported_cost_usd).toBe(0.3);
    expect(fallback.api_request_count).toBe(0);
    expect(fallback.provenance.tokens).toBe('otel');
    expect(fallback.usage_by_agent['subagent']?.tokens_cache_read).toBe(10);

    const withRequest = projectSession([...points, ev.request(T + 9, { request_id: 'r', usage: usage({ output: 1 }) })], ctx);
    expect(withRequest.tokens_output).toBe(1);
    expect(withRequest.tokens_input).toBe(0);
    expect(withRequest.provenance.tokens).toBe('transcript');
  });
});
