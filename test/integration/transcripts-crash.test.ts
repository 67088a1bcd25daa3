/**
 * kill -9 the daemon at random points of a transcript backfill, restart it,
 * many times: the final record of every session equals a clean run's and
 * the generator's truth, and the ledger holds exactly as many events. The
 * multi-GB variant of this lives in the benchmark; here the tree is small so
 * the test stays well under a minute on two cores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionRecord, StatusResponse } from '../../schema/index.js';
import { Rng } from '../../bench/transcripts/text-pool.js';
import { generateTree, type TreeManifest } from '../../bench/transcripts/generate-tree.js';
import { assertBuilt, makeTempHome, startDaemon, transcriptsPhase, type DaemonHandle } from '../support/daemon.js';
import { allSessions, waitFor } from './transcripts-support.js';

const KILLS = 7;
/** Small batches, so that a backfill is many transactions and kills land between them. */
const FLAGS = ['--claude-dirs-only', '--transcripts-batch', '150'];

function summary(s: SessionRecord) {
  return {
    tokens: [s.tokens_input, s.tokens_output, s.tokens_cache_read, s.tokens_cache_write, s.tokens_cache_write_1h],
    counts: [s.api_request_count, s.tool_call_count, s.tool_error_count, s.message_count, s.compaction_count, s.api_error_count, s.subagent_count],
    agents: Object.fromEntries(Object.entries(s.usage_by_agent).map(([k, v]) => [k, v.requests])),
    place: [s.cwd, s.git_branch, s.first_started_at, s.last_activity],
  };
}

async function runToEnd(home: string, root: string): Promise<{ sessions: Map<string, ReturnType<typeof summary>>; events: number; d: DaemonHandle; backfillMs: number }> {
  const d = await startDaemon({ home, collectors: 'transcripts', args: ['--claude-dir', root, ...FLAGS], readyTimeoutMs: 30_000 });
  const ready = Date.now();
  await waitFor('backfill', async () => ((await transcriptsPhase(d)) === 'live' ? true : undefined), 60_000);
  const backfillMs = Date.now() - ready;
  const sessions = new Map((await allSessions(d)).map((s) => [s.session_id, summary(s)]));
  const status = (await d.request('GET', '/v1/status')).json as StatusResponse;
  return { sessions, events: status.database.events, d, backfillMs };
}

describe('transcripts backfill under kill -9', () => {
  let root: string;
  let manifest: TreeManifest;
  const homes: string[] = [];
  beforeAll(() => {
    assertBuilt();
    root = mkdtempSync(join(tmpdir(), 'dsr-crashtree-'));
    manifest = generateTree({ root, files: 120, totalBytes: 12_000_000, seed: 3 });
  });
  afterAll(() => {
    for (const h of homes) rmSync(h, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('ends with the same sessions and events as a clean run, exactly', async () => {
    const cleanHome = makeTempHome();
    homes.push(cleanHome);
    const clean = await runToEnd(cleanHome, root);
    await clean.d.stop();

    const home = makeTempHome();
    homes.push(home);
    const rng = new Rng(20261121);
    let killedMidBackfill = 0;
    for (let i = 0; i < KILLS; i++) {
      const d = await startDaemon({ home, collectors: 'transcripts', args: ['--claude-dir', root, ...FLAGS], readyTimeoutMs: 30_000 });
      // Each run gets a random slice of what a whole backfill takes, so successive runs advance through it.
      await new Promise((r) => setTimeout(r, Math.floor(rng.next() * (clean.backfillMs / KILLS) * 2)));
      if ((await transcriptsPhase(d).catch(() => undefined)) !== 'live') killedMidBackfill++;
      d.child.kill('SIGKILL');
      await d.exited;
    }
    const crashed = await runToEnd(home, root);
    await crashed.d.stop();

    expect(crashed.events).toBe(clean.events);
    expect(Object.fromEntries(crashed.sessions)).toEqual(Object.fromEntries(clean.sessions));
    for (const t of manifest.sessions) {
      const s = crashed.sessions.get(t.session_id);
      expect(s, t.session_id).toBeDefined();
      expect(s!.tokens).toEqual([t.input, t.output, t.cache_read, t.cache_write, t.cache_write_1h]);
      expect([s!.counts[0], s!.counts[1], s!.counts[3], s!.counts[4], s!.counts[5]]).toEqual([t.requests, t.tool_calls, t.prompts, t.compactions, t.api_errors]);
      for (const [agent, a] of Object.entries(t.agents)) expect(s!.agents[agent]).toBe(a.requests);
    }
    // Not an assertion on timing: it says how much of the run the kills covered.
    console.info(`transcripts crash test: ${KILLS} kills, ${killedMidBackfill} during the backfill (clean backfill ${clean.backfillMs} ms, ${manifest.sessions.length} sessions, ${(manifest.bytes / 1e6).toFixed(1)} MB)`);
    // About 25 s on a busy 2-core machine; the limit only guards against a hang.
  }, 180_000);
});
