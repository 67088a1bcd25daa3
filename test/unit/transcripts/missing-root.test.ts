/**
 * A Claude root that does not exist when the collector starts (a machine
 * where Claude Code has not run yet): the collector waits for it from the
 * nearest existing ancestor and reads its transcripts as soon as they
 * appear. The periodic rescan is set to a day, so only the watches can
 * deliver. No timing assertions: tests wait for conditions.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessesPerTest, makeCollector, FIXTURES, type Harness } from './support/harness.js';
import { readTree } from './support/read-tree.js';

const SCENARIO = join(FIXTURES, 'a-simple-http-json', 'transcripts');
const PROJECT = readdirSync(join(SCENARIO, 'projects'))[0]!;
const DAY_MS = 24 * 3_600_000;

const track = harnessesPerTest();

/** A collector on `<tmp>/<levels...>/.claude`, none of which exists yet. */
function missingRoot(reader: 'inline' | 'worker', levels: string[]): Harness & { parent: string } {
  const parent = mkdtempSync(join(tmpdir(), 'dossier-missing-root-'));
  const root = join(parent, ...levels, '.claude');
  const h = makeCollector(root, { reader, rescan_interval_ms: DAY_MS });
  return track({ ...h, parent, cleanup: () => rmSync(parent, { recursive: true, force: true }) });
}

function expectedKeys(): Set<string> {
  return new Set(readTree(SCENARIO).events.map((e) => e.dedupe_key));
}

async function startLive(h: Harness): Promise<void> {
  await h.collector.start();
  await h.sink.until(() => h.collector.status().phase === 'live', 'empty backfill');
  expect(h.sink.events.size).toBe(0);
}

/**
 * Waits until `dirs` directories are watched. The worker reader reports its
 * watch count only with its messages, so there the step gets a pause
 * instead: the steps may then merge, which the test must survive anyway.
 */
async function watching(h: Harness, dirs: number, what: string): Promise<void> {
  if (h.collector.status().reader === 'worker') {
    await new Promise((r) => setTimeout(r, 200));
    return;
  }
  await h.sink.until(() => h.collector.status().watched_dirs === dirs, what);
}

describe.each(['inline', 'worker'] as const)('a root that does not exist yet (%s reader)', (reader) => {
  it('reads a transcript created with the whole tree at once', async () => {
    const h = missingRoot(reader, ['home']);
    const expected = expectedKeys();
    await startLive(h);
    cpSync(SCENARIO, h.root, { recursive: true });
    await h.sink.until(() => h.sink.events.size === expected.size, 'events of the new transcript');
    expect(new Set(h.sink.events.keys())).toEqual(expected);
    expect(h.sink.checkpoints.size).toBe(1);
  });

  it('follows the root appearing first and projects/ later, one level at a time', async () => {
    const h = missingRoot(reader, ['home']);
    const expected = expectedKeys();
    await startLive(h);
    if (reader === 'inline') expect(h.collector.status().watched_dirs).toBe(0);
    mkdirSync(h.root, { recursive: true });
    await watching(h, 1, 'the root watched');
    mkdirSync(join(h.root, 'projects'));
    await watching(h, 2, 'projects/ watched');
    mkdirSync(join(h.root, 'projects', PROJECT));
    await watching(h, 3, 'the project watched');
    cpSync(join(SCENARIO, 'projects', PROJECT), join(h.root, 'projects', PROJECT), { recursive: true });
    await h.sink.until(() => h.sink.events.size === expected.size, 'events of the new transcript');
    expect(new Set(h.sink.events.keys())).toEqual(expected);
  });

  it('climbs back up when a half-built ancestor is deleted, then sees the root', async () => {
    const h = missingRoot(reader, ['a', 'b']);
    const expected = expectedKeys();
    await startLive(h);
    mkdirSync(join(h.parent, 'a', 'b'), { recursive: true });
    rmSync(join(h.parent, 'a'), { recursive: true });
    mkdirSync(join(h.parent, 'a', 'b'), { recursive: true });
    cpSync(SCENARIO, h.root, { recursive: true });
    await h.sink.until(() => h.sink.events.size === expected.size, 'events of the new transcript');
    expect(new Set(h.sink.events.keys())).toEqual(expected);
  });

  it('waits again for a root that is deleted and created anew', async () => {
    const h = missingRoot(reader, ['home']);
    const expected = expectedKeys();
    await startLive(h);
    mkdirSync(h.root, { recursive: true });
    await watching(h, 1, 'the root watched');
    rmSync(h.root, { recursive: true });
    await watching(h, 0, 'the deleted root unwatched');
    cpSync(SCENARIO, h.root, { recursive: true });
    await h.sink.until(() => h.sink.events.size === expected.size, 'events of the new transcript');
    expect(new Set(h.sink.events.keys())).toEqual(expected);
  });
});
