/**
 * `dossier prices` against the real daemon: the bundled table with its source
 * and date, a user override file in the config dir applied at start and
 * marked, and a bad override file refused at start with its path and field.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PricesResponse } from '../../schema/index.js';
import { makeTempHome, startDaemon, type DaemonHandle } from '../support/daemon.js';

const running: DaemonHandle[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.cleanup()));
});

/** A config dir holding `dossier/prices.json` with `content`. */
function configDir(home: string, content: unknown): string {
  const dir = join(home, 'cfg');
  mkdirSync(join(dir, 'dossier'), { recursive: true });
  writeFileSync(join(dir, 'dossier', 'prices.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

describe('dossier prices', () => {
  it('lists the bundled table with its source and date when there is no override', async () => {
    const home = makeTempHome();
    const daemon = await startDaemon({ home, env: { XDG_CONFIG_HOME: join(home, 'no-such-cfg') } });
    running.push(daemon);
    const json = await daemon.cli(['prices', '--json']);
    expect(json.code).toBe(0);
    const prices = JSON.parse(json.stdout) as PricesResponse;
    expect(prices.override).toBeNull();
    expect(prices.bundled.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(prices.models.find((m) => m.id === 'claude-opus-4-8')).toEqual({
      id: 'claude-opus-4-8', aliases: [], input: 5, output: 25, cache_read: 0.5, cache_write_5m: 6.25, cache_write_1h: 10, long_context: null, origin: 'bundled',
    });
    expect(prices.models.find((m) => m.id === 'claude-sonnet-4-5')?.long_context).toEqual({
      threshold_input_tokens: 200_000, input: 6, output: 22.5, cache_read: 0.6, cache_write_5m: 7.5, cache_write_1h: 12,
    });

    const human = await daemon.cli(['prices']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`${prices.bundled.source} (${prices.bundled.retrieved})`);
    expect(human.stdout).toMatch(/claude-opus-4-8\s+\$5\s+\$25\s+\$0\.50\s+\$6\.25\s+\$10/);
    expect(human.stdout).toMatch(/claude-sonnet-4-5\s+\$3\s+\$15\s+\$0\.30\s+\$3\.75\s+\$6\s+>200k: \$6 in, \$22\.50 out/);
  });

  it('applies the override file from $XDG_CONFIG_HOME/dossier/prices.json and marks its models', async () => {
    const home = makeTempHome();
    const cfg = configDir(home, {
      source: 'team contract rates',
      retrieved: '2026-10-01',
      models: [
        { id: 'claude-opus-4-8', input: 4, output: 20, cache_read: 0.4, cache_write_5m: 5, cache_write_1h: 8 },
        { id: 'in-house-model', aliases: ['in-house-model-v2'], input: 0.25, output: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
      ],
    });
    const daemon = await startDaemon({ home, env: { XDG_CONFIG_HOME: cfg } });
    running.push(daemon);
    const prices = JSON.parse((await daemon.cli(['prices', '--json'])).stdout) as PricesResponse;
    expect(prices.override).toEqual({ path: join(cfg, 'dossier', 'prices.json'), source: 'team contract rates', retrieved: '2026-10-01' });
    expect(prices.models.find((m) => m.id === 'claude-opus-4-8')).toMatchObject({ input: 4, origin: 'override' });
    expect(prices.models.find((m) => m.id === 'in-house-model')).toMatchObject({ aliases: ['in-house-model-v2'], origin: 'override' });
    expect(prices.models.filter((m) => m.id === 'claude-opus-4-8')).toHaveLength(1);
    expect(prices.models.find((m) => m.id === 'claude-haiku-4-5')).toMatchObject({ origin: 'bundled' });
    const human = (await daemon.cli(['prices'])).stdout;
    expect(human).toContain('team contract rates (2026-10-01)');
    expect(human).toMatch(/claude-opus-4-8 \*/);
  });

  it('refuses to start with a bad override file, naming the file and the field', async () => {
    const home = makeTempHome();
    const cfg = configDir(home, { source: 's', retrieved: 'r', models: [{ id: 'x', input: 'cheap', output: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 }] });
    const started = startDaemon({ home, env: { XDG_CONFIG_HOME: cfg } });
    await expect(started).rejects.toThrow(new RegExp(`${join(cfg, 'dossier', 'prices.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: models\\.0\\.input: .*\\(got "cheap"\\)`));
  });

  it('the route refuses unknown parameters like every other', async () => {
    const daemon = await startDaemon();
    running.push(daemon);
    const reply = await daemon.request('GET', '/v1/prices?model=opus');
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: { code: 'DOSSIER_E_API_BAD_QUERY' } });
  });
});
