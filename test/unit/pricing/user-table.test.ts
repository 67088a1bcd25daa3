import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_PRICES, Pricer } from '../../../core/pricing/index.js';
import { describePrices, loadEffectivePrices, priceOverridePath } from '../../../core/pricing/user-table.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dossier-prices-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const usage = { input: 1_000_000, output: 0, cache_read: 0, cache_write: 0, cache_write_1h: 0 };

describe('price override file', () => {
  it('lives in $XDG_CONFIG_HOME/dossier, else ~/.config/dossier', () => {
    expect(priceOverridePath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/dossier/prices.json');
    expect(priceOverridePath({}, '/home/u')).toBe('/home/u/.config/dossier/prices.json');
    expect(priceOverridePath({ XDG_CONFIG_HOME: '' }, '/home/u')).toBe('/home/u/.config/dossier/prices.json');
  });

  it('is optional: no file means the bundled table', () => {
    const effective = loadEffectivePrices(join(dir, 'absent.json'));
    expect(effective.table).toBe(BUNDLED_PRICES);
    expect(effective.override).toBeNull();
    expect(describePrices(effective).models.every((m) => m.origin === 'bundled')).toBe(true);
  });

  it('overrides a bundled model and adds a new one', () => {
    const path = write('ok.json', {
      source: 'my negotiated rates',
      retrieved: '2026-09-01',
      models: [
        { id: 'claude-opus-4-8', input: 4, output: 20, cache_read: 0.4, cache_write_5m: 5, cache_write_1h: 8 },
        { id: 'my-proxy-model', aliases: ['proxy-model-v2'], input: 1, output: 2, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
      ],
    });
    const effective = loadEffectivePrices(path);
    const pricer = new Pricer(effective.table);
    expect(pricer.price('claude-opus-4-8[1m]', usage)).toBe(4);
    expect(pricer.price('proxy-model-v2', usage)).toBe(1);
    expect(pricer.price('claude-sonnet-4-6', usage)).toBe(3);
    const listed = describePrices(effective);
    expect(listed.override).toEqual({ path, source: 'my negotiated rates', retrieved: '2026-09-01' });
    expect(listed.models.find((m) => m.id === 'claude-opus-4-8')).toMatchObject({ origin: 'override', input: 4, long_context: null });
    expect(listed.models.find((m) => m.id === 'claude-sonnet-4-5')).toMatchObject({ origin: 'bundled', long_context: { threshold_input_tokens: 200_000 } });
    expect(listed.models.filter((m) => m.id === 'claude-opus-4-8')).toHaveLength(1);
  });

  it.each([
    ['bad-json.json', '{ "source": ', /price file .*bad-json\.json: is not valid JSON/],
    ['bad-field.json', { source: 's', retrieved: 'r', models: [{ id: 'm', input: 'cheap', output: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 }] }, /price file .*bad-field\.json: models\.0\.input: .*\(got "cheap"\)/],
    ['missing-field.json', { source: 's', retrieved: 'r', models: [{ id: 'm', input: 1, output: 1, cache_read: 0, cache_write_5m: 0 }] }, /models\.0\.cache_write_1h: .*\(got nothing\)/],
    ['unknown-key.json', { source: 's', retrieved: 'r', models: [], currency: 'EUR' }, /unknown-key\.json: .*currency/],
    ['negative.json', { source: 's', retrieved: 'r', models: [{ id: 'm', input: -1, output: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 }] }, /models\.0\.input: .*\(got -1\)/],
    ['twice.json', { source: 's', retrieved: 'r', models: [
      { id: 'm', input: 1, output: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
      { id: 'm', input: 2, output: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
    ] }, /models\.1\.id: listed twice \(got "m"\)/],
  ])('refuses %s with the file and the field named', (name, content, message) => {
    const path = write(name, content);
    expect(() => loadEffectivePrices(path)).toThrow(message);
    try {
      loadEffectivePrices(path);
    } catch (error) {
      expect(error).toMatchObject({ code: 'DOSSIER_E_CONFIG_INVALID' });
    }
  });

  it('refuses an unreadable path (a directory) instead of ignoring it', () => {
    const path = join(dir, 'is-a-dir.json');
    mkdirSync(path);
    expect(() => loadEffectivePrices(path)).toThrow(/is-a-dir\.json: cannot be read/);
  });
});
