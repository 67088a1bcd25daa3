/**
 * The multi-GB crash check of issue 3: kill -9 the daemon at random points
 * of a backfill, restart it on the same state dir, many times, then let it
 * finish and compare every session with what the generator wrote.
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { SessionListResponse, SessionRecord, StatusResponse } from '../../schema/index.js';
import { makeTempHome, transcriptsPhase, type DaemonHandle } from '../../test/support/daemon.js';
import { daemonOn } from './daemon-backfill.js';
import type { TreeManifest } from './generate-tree.js';
import { Rng } from './text-pool.js';

/** Outcome of the crash run. */
export interface CrashOutcome {
  kills: number;
  killedDuringBackfill: number;
  /** Sessions whose tokens or counts differ from the generator's truth (0 is the only good value). */
  mismatches: number;
  events: number;
}

async function sessions(d: DaemonHandle): Promise<SessionRecord[]> {
  const out: SessionRecord[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `/v1/sessions?all=true&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = (await d.request('GET', q)).json as SessionListResponse;
    out.push(...body.sessions);
    cursor = body.next_cursor;
  } while (cursor);
  return out;
}

/** Kills a backfill `kills` times at random points within `backfillS` seconds each, then finishes it and compares. */
export async function crashRun(root: string, manifest: TreeManifest, kills: number, backfillS: number, seed: number): Promise<CrashOutcome> {
  const home = makeTempHome('dsc-');
  const rng = new Rng(seed);
  let during = 0;
  try {
    for (let i = 0; i < kills; i++) {
      const d = await daemonOn(root, home);
      await new Promise((r) => setTimeout(r, Math.floor(rng.next() * backfillS * 1000 * (2 / kills))));
      if ((await transcriptsPhase(d).catch(() => undefined)) !== 'live') during++;
      d.child.kill('SIGKILL');
      await d.exited;
    }
    const d = await daemonOn(root, home);
    const end = performance.now() + 600_000;
    while ((await transcriptsPhase(d)) !== 'live') {
      if (performance.now() > end) throw new Error('crash run: backfill never finished');
      await new Promise((r) => setTimeout(r, 200));
    }
    const byId = new Map((await sessions(d)).map((s) => [s.session_id, s]));
    const status = (await d.request('GET', '/v1/status')).json as StatusResponse;
    await d.stop();
    let mismatches = 0;
    for (const t of manifest.sessions) {
      const s = byId.get(t.session_id);
      const same =
        s !== undefined &&
        s.tokens_input === t.input && s.tokens_output === t.output && s.tokens_cache_read === t.cache_read && s.tokens_cache_write === t.cache_write &&
        s.tokens_cache_write_1h === t.cache_write_1h && s.api_request_count === t.requests && s.tool_call_count === t.tool_calls && s.message_count === t.prompts &&
        s.compaction_count === t.compactions && s.api_error_count === t.api_errors;
      if (!same) mismatches++;
    }
    return { kills, killedDuringBackfill: during, mismatches, events: status.database.events };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
