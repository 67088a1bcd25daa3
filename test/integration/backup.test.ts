/**
 * `dossier backup`'s engine: an online backup taken while the writer keeps
 * committing is one consistent state, passes quick_check, and restores to a
 * database equal to the source table by table.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../core/store/backup.js';
import { LATEST_SCHEMA_VERSION } from '../../core/store/migrations/index.js';
import { generateLedger } from '../unit/store/ledger-generator.js';
import { seededRandom } from '../support/seeded-random.js';
import { openTestStore, queryRows, tempDir, type TempDir } from '../unit/store/store-fixture.js';

const dirs: TempDir[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

const TABLES = ['events', 'session_keys', 'sessions', 'session_usage', 'checkpoints', 'request_claims', 'session_lineage'];
const ORDER: Record<string, string> = { events: 'seq', session_keys: 'session_key', sessions: 'session_id', session_usage: 'session_id, dimension, name', checkpoints: 'collector, key', request_claims: 'request_key, session_key', session_lineage: 'session_key' };

function dump(path: string): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, queryRows(path, `SELECT * FROM ${t} ORDER BY ${ORDER[t]}`)]));
}

function setup() {
  const tmp = tempDir('dsr-backup-');
  dirs.push(tmp);
  const store = openTestStore(tmp.dir);
  const ledger = generateLedger(seededRandom(3), { sessions: 40, turnsPerSession: 6 });
  return { tmp, store, ledger, source: join(tmp.dir, 'dossier.db') };
}

describe('backup', () => {
  it('restores to a database equal to the source, and the restored store opens and rebuilds to the same rows', async () => {
    const { tmp, store, ledger, source } = setup();
    store.writer.commit(ledger, [{ collector: 'transcripts', key: 'f1', value: '{"offset":10}' }]);
    const target = join(tmp.dir, 'copy.db');
    const result = await backupDatabase(source, target);
    expect(result).toMatchObject({ path: target, events: ledger.length, schema_version: LATEST_SCHEMA_VERSION });
    expect(result.sessions).toBe(40);
    expect(dump(target)).toEqual(dump(source));
    expect(readdirSync(tmp.dir).filter((f) => f.includes('partial'))).toEqual([]);

    const restored = openTestStore(tmp.dir, 'copy.db');
    restored.writer.rebuild();
    restored.close();
    expect(dump(target)).toEqual(dump(source));
    store.close();
  });

  it('taken while batches keep committing, holds one committed state: a prefix of the ledger with its own projection', async () => {
    const { tmp, store, ledger, source } = setup();
    const half = Math.floor(ledger.length / 2);
    store.writer.commit(ledger.slice(0, half), []);
    let next = half;
    const writing = setInterval(() => {
      if (next >= ledger.length) return;
      store.writer.commit(ledger.slice(next, next + 20), []);
      next += 20;
    }, 0);
    const target = join(tmp.dir, 'live.db');
    try {
      await backupDatabase(source, target);
    } finally {
      clearInterval(writing);
    }
    const copy = dump(target);
    const events = copy.events as { seq: number }[];
    expect(events.length).toBeGreaterThanOrEqual(half);
    // Exactly the source's first N events, and the projection those N events give.
    expect(events).toEqual((dump(source).events as { seq: number }[]).slice(0, events.length));
    const projectionBefore = { sessions: copy.sessions, usage: copy.session_usage };
    const restored = openTestStore(tmp.dir, 'live.db');
    restored.writer.rebuild();
    restored.close();
    const rebuilt = dump(target);
    expect({ sessions: rebuilt.sessions, usage: rebuilt.session_usage }).toEqual(projectionBefore);
    store.close();
  });

  it('refuses a relative path, a missing directory and an existing file, leaving it alone', async () => {
    const { tmp, store, source } = setup();
    await expect(backupDatabase(source, 'rel.db')).rejects.toThrow(/must be absolute/);
    await expect(backupDatabase(source, join(tmp.dir, 'nope', 'x.db'))).rejects.toThrow(/directory does not exist/);
    const taken = join(tmp.dir, 'taken.db');
    writeFileSync(taken, 'mine');
    await expect(backupDatabase(source, taken)).rejects.toThrow(/already exists/);
    expect(existsSync(taken)).toBe(true);
    store.close();
  });
});
