import { describe, expect, it } from 'vitest';
import { BUNDLED_PRICES, Pricer, mergeTables, normalizeModel, PriceTableSchema } from '../../../core/pricing/index.js';

const pricer = new Pricer(BUNDLED_PRICES);
const usage = (u: Partial<{ input: number; output: number; cache_read: number; cache_write: number; cache_write_1h: number }>) => ({
  input: 0, output: 0, cache_read: 0, cache_write: 0, cache_write_1h: 0, ...u,
});

describe('normalizeModel', () => {
  it.each([
    ['claude-opus-4-8[1m]', 'claude-opus-4-8'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-8-fast', 'claude-opus-4-8'],
    ['Claude-Opus-5', 'claude-opus-5'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeModel(input)).toBe(expected);
  });
});

describe('Pricer.price (hand-computed, USD per million tokens)', () => {
  it('prices every token class of an Opus 4.8 request, 1-hour writes at 2x input', () => {
    // 1000*5 + 500*25 + 20000*0.5 + 2000*6.25 + 1000*10 = 50,000 micro-dollars
    expect(pricer.price('claude-opus-4-8[1m]', usage({ input: 1000, output: 500, cache_read: 20_000, cache_write: 3000, cache_write_1h: 1000 }))).toBe(0.05);
  });

  it('prices cache writes without a 1-hour split as 5-minute writes', () => {
    // 4000 * 3.75 = 15,000 micro-dollars
    expect(pricer.price('claude-sonnet-4-6', usage({ cache_write: 4000 }))).toBe(0.015);
  });

  it('bills a legacy long-context Sonnet 4.5 request entirely at the long rates once input exceeds 200k', () => {
    // input+cache = 210,000 > 200k: 150000*6 + 60000*0.6 + 1000*22.5 = 958,500
    expect(pricer.price('claude-sonnet-4-5-20250929', usage({ input: 150_000, cache_read: 60_000, output: 1000 }))).toBe(0.9585);
    // 190,000 ≤ 200k: 150000*3 + 40000*0.3 + 1000*15 = 477,000
    expect(pricer.price('claude-sonnet-4-5-20250929', usage({ input: 150_000, cache_read: 40_000, output: 1000 }))).toBe(0.477);
  });

  it('has no long-context premium for 4.6 and later', () => {
    // 300000*5 + 1000*25 = 1,525,000
    expect(pricer.price('claude-opus-4-6', usage({ input: 300_000, output: 1000 }))).toBe(1.525);
  });

  it('finds old-style names through aliases', () => {
    // 1,000,000 * 0.8
    expect(pricer.price('claude-3-5-haiku-20241022', usage({ input: 1_000_000 }))).toBe(0.8);
  });

  it('returns null for an unknown model instead of zero', () => {
    expect(pricer.price('gpt-5-codex', usage({ input: 10 }))).toBeNull();
    expect(pricer.lookup('<synthetic>')).toBeNull();
  });

  it('answers a repeated lookup the same, unknown models included, also after its memo of reported names filled up', () => {
    const names = ['claude-opus-4-6', 'Claude-Opus-4-6[1m]', 'gpt-5-codex', 'claude-3-5-haiku-20241022'];
    const first = names.map((name) => pricer.lookup(name)?.id ?? null);
    expect(first[1]).toBe(first[0]);
    expect(first[2]).toBeNull();
    for (let i = 0; i < 600; i++) pricer.lookup(`made-up-model-${i}`);
    expect(names.map((name) => pricer.lookup(name)?.id ?? null)).toEqual(first);
    expect(names.map((name) => pricer.lookup(name)?.id ?? null)).toEqual(first);
  });
});

describe('price tables', () => {
  it('the bundled table names its source and date', () => {
    expect(BUNDLED_PRICES.source).toMatch(/Anthropic/);
    expect(BUNDLED_PRICES.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('an override replaces an entry and adds new ones', () => {
    const override = PriceTableSchema.parse({
      source: 'user', retrieved: '2026-11-01',
      models: [
        { id: 'claude-opus-4-8', input: 1, output: 2, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
        { id: 'my-proxy-model', input: 1, output: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
      ],
    });
    const merged = new Pricer(mergeTables(BUNDLED_PRICES, override));
    expect(merged.price('claude-opus-4-8', usage({ input: 1_000_000, output: 1_000_000 }))).toBe(3);
    expect(merged.price('my-proxy-model', usage({ input: 1_000_000 }))).toBe(1);
    expect(merged.price('claude-haiku-4-5', usage({ input: 1_000_000 }))).toBe(1);
  });

  it('rejects a malformed table with the field named', () => {
    const bad = PriceTableSchema.safeParse({ source: 's', retrieved: 'r', models: [{ id: 'x', input: -1 }] });
    expect(bad.success).toBe(false);
  });
});
