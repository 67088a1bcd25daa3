/**
 * `dossier gc`'s engine on a real store: old bulky attributes go, every
 * session row (numbers, provenance, usage breakdown) is byte-identical before
 * and after, a rebuild from the pruned ledger reproduces them, recent events
 * keep everything, and a dry run changes nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../schema/index.js';
import { collectGarbage, PRUNABLE_ATTRS } from '../../core/store/gc.js';
import { ev } from '../support/events.js';
import { generateLedger } from '../unit/store/ledger-generator.js';
import { seededRandom } from '../support/seeded-random.js';
import { openTestStore, queryRows, tempDir, type TempDir } from '../unit/store/store-fixture.js';

const dirs: TempDir[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

const BULK = 'x'.repeat(4_000);

/** Tool calls, tool results, api errors and process sightings with big texts, spread over the sessions' lifetimes. */
function bulkyEvents(ledger: readonly NormalizedEvent[]): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  ledger.forEach((e, i) => {
    if (e.kind !== 'prompt.submitted') return;
    const o = { session_id: e.session_id };
    const id = `toolu_${i}`;
    out.push(ev.toolCalled(e.ts + 1, { tool_use_id: id, tool_name: 'Bash', command: `${BULK} ${i}`, input_summary: BULK, file_path: `/w/${i}` }, o));
    out.push(ev.toolFinished(e.ts + 2, { tool_use_id: id, tool_name: 'Bash', success: i % 3 !== 0, error: i % 3 === 0 ? BULK : undefined }, o));
    if (i % 5 === 0) out.push(ev.apiError(e.ts + 3, { request_id: `err_${i}`, status_code: 529, error: BULK }, o));
  });
  return out;
}

function projectionRows(path: string): unknown[] {
  return [
    ...queryRows(path, 'SELECT * FROM sessions ORDER BY session_id'),
    ...queryRows(path, 'SELECT * FROM session_usage ORDER BY session_id, dimension, name'),
    ...queryRows(path, 'SELECT * FROM request_claims ORDER BY request_key, session_key'),
  ];
}

async function loadedStore() {
  const tmp = tempDir('dsr-gc-');
  dirs.push(tmp);
  const store = openTestStore(tmp.dir);
  const ledger = generateLedger(seededRandom(8), { sessions: 30, turnsPerSession: 8 });
  const all = [...ledger, ...bulkyEvents(ledger)];
  for (let i = 0; i < all.length; i += 500) store.writer.commit(all.slice(i, i + 500), []);
  const times = all.map((e) => e.ts).sort((a, b) => a - b);
  return { store, path: join(tmp.dir, 'dossier.db'), all, cutoff: times[Math.floor(times.length / 2)]! };
}

describe('gc', () => {
  it('prunes old bulky attributes and leaves every session record identical, before and after a rebuild', async () => {
    const { store, path, all, cutoff } = await loadedStore();
    const before = projectionRows(path);
    const prunable = all.filter((e) => e.ts < cutoff && (PRUNABLE_ATTRS[e.kind] ?? []).some((k) => (e.attrs as Record<string, unknown>)[k] !== undefined)).length;
    expect(prunable).toBeGreaterThan(50);

    const result = await collectGarbage(path, { before: cutoff, vacuumFreeRatio: 0 });
    expect(result.events_pruned).toBe(prunable);
    expect(result.vacuumed).toBe(true);
    expect(result.bytes_after).toBeLessThan(result.bytes_before);

    expect(projectionRows(path)).toEqual(before);
    store.writer.rebuild();
    expect(projectionRows(path)).toEqual(before);

    const rows = queryRows(path, `SELECT kind, ts, attrs FROM events WHERE kind IN ('tool.called', 'tool.finished', 'api.error')`) as { kind: string; ts: number; attrs: string }[];
    for (const row of rows) {
      const attrs = JSON.parse(row.attrs) as Record<string, unknown>;
      const kept = PRUNABLE_ATTRS[row.kind]!.filter((k) => k in attrs);
      if (row.ts < cutoff) expect(kept).toEqual([]);
      // Joins and counts still have what they need.
      if (row.kind !== 'api.error') expect(attrs.tool_use_id).toBeDefined();
    }
    expect(rows.some((r) => r.ts >= cutoff && JSON.parse(r.attrs).command !== undefined)).toBe(true);

    // The live store still answers and a second run finds nothing left.
    expect(store.reader.totals().events).toBe(all.length);
    expect((await collectGarbage(path, { before: cutoff })).events_pruned).toBe(0);
    store.close();
  });

  it('a dry run counts and changes nothing', async () => {
    const { store, path, cutoff } = await loadedStore();
    const events = queryRows(path, 'SELECT * FROM events ORDER BY seq');
    const result = await collectGarbage(path, { before: cutoff, dryRun: true, batchRows: 7 });
    expect(result.events_pruned).toBeGreaterThan(0);
    expect(result.vacuumed).toBe(false);
    expect(queryRows(path, 'SELECT * FROM events ORDER BY seq')).toEqual(events);
    store.close();
  });

  it('does not vacuum when little of the file is free', async () => {
    const { store, path, cutoff } = await loadedStore();
    const result = await collectGarbage(path, { before: cutoff, vacuumFreeRatio: 0.99 });
    expect(result.vacuumed).toBe(false);
    expect(result.vacuum_note).toMatch(/pages free, under 99 %/);
    store.close();
  });
});

describe('gc prunes only what the merge never reads', () => {
  it('no prunable attribute name is read anywhere in core/merge', () => {
    const mergeDir = join(import.meta.dirname, '../../core/merge');
    const sources = readdirSync(mergeDir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(mergeDir, f), 'utf8')).join('\n');
    for (const name of new Set(Object.values(PRUNABLE_ATTRS).flat())) {
      expect(sources, name).not.toMatch(new RegExp(`attrs\\.${name}\\b|\\[['"]${name}['"]\\]`));
    }
  });
});
