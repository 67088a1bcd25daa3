/**
 * Exact cost through the real daemon, hand-computed: requests posted as
 * events come back in the session record priced per request, per model, per
 * agent and per session; the agent's own reported cost sits beside it, never
 * added; a request for a model with no price is counted, not priced at zero;
 * and a user override file changes the prices the daemon computes with.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../schema/index.js';
import { makeTempHome, startDaemon, type DaemonHandle } from '../support/daemon.js';

const T0 = Date.parse('2026-10-01T09:00:00Z');

function request(session: string, n: number, model: string, usage: Record<string, number>, extra: Record<string, unknown> = {}, agent: string | null = null) {
  return {
    dedupe_key: `t:cost:${session}:${n}`,
    source: 'transcript',
    framework: 'claude_code',
    session_id: session,
    agent_id: agent,
    ts: T0 + n * 1_000,
    received_at: T0 + n * 1_000,
    kind: 'api.request',
    attrs: {
      request_id: `req_${session}_${n}`,
      message_id: `msg_${session}_${n}`,
      model,
      usage: { input: 0, output: 0, cache_read: 0, cache_write: 0, cache_write_1h: 0, ...usage },
      ...extra,
    },
  };
}

async function post(daemon: DaemonHandle, events: unknown[]): Promise<void> {
  const reply = await daemon.request('POST', '/v1/events', { body: JSON.stringify({ events }), headers: { 'content-type': 'application/json' } });
  expect(reply.status).toBe(200);
}

async function session(daemon: DaemonHandle, id: string): Promise<SessionResponse['session']> {
  const reply = await daemon.request('GET', `/v1/sessions/${id}`);
  expect(reply.status).toBe(200);
  return (reply.json as SessionResponse).session;
}

describe('cost in the daemon (bundled prices)', () => {
  let daemon: DaemonHandle;
  beforeAll(async () => {
    const home = makeTempHome();
    daemon = await startDaemon({ home, env: { XDG_CONFIG_HOME: join(home, 'no-cfg') } });
  });
  afterAll(async () => daemon?.cleanup());

  it('prices every token class, 1-hour writes, a long-context request and a subagent; keeps the reported cost apart', async () => {
    const s = 'c0570000-0000-4000-8000-000000000001';
    await post(daemon, [
      // Opus 4.8, every class: 1,000×$5 + 400×$25 + 50,000×$0.50 + 8,000×$6.25 + 2,000×$10 = 110,000 µ$
      request(s, 1, 'claude-opus-4-8', { input: 1_000, output: 400, cache_read: 50_000, cache_write: 10_000, cache_write_1h: 2_000 }),
      // The same request as Claude Code's OTel api_request reports it, with its own cost estimate.
      {
        ...request(s, 1, 'claude-opus-4-8[1m]', { input: 1_000, output: 400, cache_read: 50_000, cache_write: 10_000 }, { reported_cost_usd: 0.2 }),
        dedupe_key: `o:cost:${s}:1`,
        source: 'otel',
        attrs: { request_id: `req_${s}_1`, model: 'claude-opus-4-8[1m]', usage: { input: 1_000, output: 400, cache_read: 50_000, cache_write: 10_000, cache_write_1h: 0 }, reported_cost_usd: 0.2 },
      },
      // Sonnet 4.5 past 200k of prompt (150,000 + 60,000): all at long rates, 150,000×$6 + 60,000×$0.60 + 1,000×$22.50 = 958,500 µ$
      request(s, 2, 'claude-sonnet-4-5-20250929', { input: 150_000, cache_read: 60_000, output: 1_000 }),
      // Subagent on Haiku, 1-hour writes only: 100×$1 + 3,000×$2 = 6,100 µ$
      request(s, 3, 'claude-haiku-4-5-20251001', { input: 100, cache_write: 3_000, cache_write_1h: 3_000 }, { is_sidechain: true }, 'agent-a1'),
    ]);
    const record = await session(daemon, s);
    expect(record.cost_usd).toBe(1.0746);
    expect(record.reported_cost_usd).toBe(0.2);
    expect(record.unpriced_requests).toBe(0);
    expect(record.usage_by_model['claude-opus-4-8']?.cost_usd).toBe(0.11);
    expect(record.usage_by_model['claude-sonnet-4-5-20250929']?.cost_usd).toBe(0.9585);
    expect(record.usage_by_agent['main']?.cost_usd).toBe(1.0685);
    expect(record.usage_by_agent['agent-a1']?.cost_usd).toBe(0.0061);
  });

  it('counts a request for an unknown model as unpriced and shows it, never as $0', async () => {
    const s = 'c0570000-0000-4000-8000-000000000002';
    await post(daemon, [
      // 2,000×$1 + 100×$5 = 2,500 µ$
      request(s, 1, 'claude-haiku-4-5', { input: 2_000, output: 100 }),
      request(s, 2, 'claude-from-the-future-9', { input: 5_000, output: 100 }),
    ]);
    const record = await session(daemon, s);
    expect(record.cost_usd).toBe(0.0025);
    expect(record.unpriced_requests).toBe(1);
    expect(record.usage_by_model['claude-from-the-future-9']).toMatchObject({ cost_usd: null, unpriced_requests: 1, tokens_input: 5_000 });
    const shown = await daemon.cli(['show', s]);
    expect(shown.stdout).toMatch(/unpriced_requests\s+1/);
  });
});

describe('cost in the daemon (user override file)', () => {
  let daemon: DaemonHandle;
  beforeAll(async () => {
    const home = makeTempHome();
    const cfg = join(home, 'cfg');
    mkdirSync(join(cfg, 'dossier'), { recursive: true });
    writeFileSync(
      join(cfg, 'dossier', 'prices.json'),
      JSON.stringify({
        source: 'negotiated',
        retrieved: '2026-10-01',
        models: [{ id: 'in-house-model', input: 2, output: 4, cache_read: 0.2, cache_write_5m: 2.5, cache_write_1h: 4 }],
      }),
    );
    daemon = await startDaemon({ home, env: { XDG_CONFIG_HOME: cfg } });
  });
  afterAll(async () => daemon?.cleanup());

  it('prices a model only the override knows', async () => {
    const s = 'c0570000-0000-4000-8000-000000000003';
    // 1,000×$2 + 1,000×$4 = 6,000 µ$
    await post(daemon, [request(s, 1, 'in-house-model', { input: 1_000, output: 1_000 })]);
    const record = await session(daemon, s);
    expect(record.cost_usd).toBe(0.006);
    expect(record.unpriced_requests).toBe(0);
  });
});
