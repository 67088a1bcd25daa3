import { describe, expect, it } from 'vitest';
import { projectSession } from '../../../core/merge/index.js';
import { BUNDLED_PRICES, Pricer } from '../../../core/pricing/index.js';
import { ev, usage } from '../../support/events.js';

const price = new Pricer(BUNDLED_PRICES).price;
const ctx = { machine_id: 'm', price };

describe('merge rule: cost from the price table, beside the reported cost', () => {
  it('prices each counted request once and keeps the agent-reported cost apart', () => {
    const events = [
      // One request written as two transcript lines (placeholder output, then the real one) and seen by otel.
      ev.request(1000, { request_id: 'req_1', message_id: 'msg_1', model: 'claude-opus-4-8', usage: usage({ input: 1000, output: 1 }) }),
      ev.request(1001, { request_id: 'req_1', message_id: 'msg_1', model: 'claude-opus-4-8', usage: usage({ input: 1000, output: 500 }) }),
      ev.request(1002, { request_id: 'req_1', model: 'claude-opus-4-8[1m]', usage: usage({ input: 1000, output: 500 }), reported_cost_usd: 0.02 }, { source: 'otel' }),
      // A subagent request on Haiku with a 1-hour cache write.
      ev.request(2000, { request_id: 'req_2', message_id: 'msg_2', model: 'claude-haiku-4-5-20251001', usage: usage({ input: 100, cache_write: 2000, cache_write_1h: 2000 }) }, { agent_id: 'a1' }),
    ];
    const record = projectSession(events, ctx);
    // req_1: 1000*5 + 500*25 = 17,500 µ$; req_2: 100*1 + 2000*2 = 4,100 µ$
    expect(record.cost_usd).toBe(0.0216);
    expect(record.reported_cost_usd).toBe(0.02);
    expect(record.unpriced_requests).toBe(0);
    expect(record.usage_by_agent['main']?.cost_usd).toBe(0.0175);
    expect(record.usage_by_agent['a1']?.cost_usd).toBe(0.0041);
    expect(record.usage_by_model['claude-haiku-4-5-20251001']?.cost_usd).toBe(0.0041);
  });

  it('counts a request for an unknown model as unpriced instead of pricing it at zero', () => {
    const events = [
      ev.request(1000, { request_id: 'req_1', message_id: 'msg_1', model: 'claude-opus-4-8', usage: usage({ input: 1000 }) }),
      ev.request(2000, { request_id: 'req_2', message_id: 'msg_2', model: 'some-new-model', usage: usage({ input: 1000 }) }),
    ];
    const record = projectSession(events, ctx);
    expect(record.cost_usd).toBe(0.005);
    expect(record.unpriced_requests).toBe(1);
    expect(record.usage_by_model['some-new-model']).toMatchObject({ cost_usd: null, unpriced_requests: 1 });
  });

  it('leaves cost null when no pricer is given', () => {
    const record = projectSession([ev.request(1, { request_id: 'r', model: 'claude-opus-4-8', usage: usage({ input: 1 }) })], { machine_id: 'm' });
    expect(record.cost_usd).toBeNull();
    expect(record.unpriced_requests).toBe(0);
  });
});
