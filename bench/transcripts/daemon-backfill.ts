/**
 * Runs the real, built daemon on a Claude root for the benchmark: a cold
 * backfill (wall time from spawn to "live", CPU of the whole process, peak
 * resident size, how fast it answers queries meanwhile), then idle CPU with
 * every file watched, then the latency from a transcript newline to the API.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SessionResponse, StatusResponse } from '../../schema/index.js';
import { startDaemon, statusDetailValue, transcriptsPhase, type DaemonHandle } from '../../test/support/daemon.js';
import { cpuSeconds, rssMb } from '../proc.js';

/** Figures of one cold backfill. */
export interface BackfillFigures {
  wall_s: number;
  cpu_s: number;
  peak_rss_mb: number;
  /** Largest anonymous resident size seen while polling (every ~100 ms), and the file-backed part at that moment. */
  peak_anon_mb: number;
  file_at_peak_anon_mb: number;
  events: number;
  sessions: number;
  /** Slowest `GET /v1/sessions?limit=20` answered during the backfill (ms). */
  query_max_ms: number;
  queries: number;
  /** Line scanner the daemon's transcripts collector reported. */
  scanner: string;
}

/** Starts a daemon reading `root` only, with its state in `home` (default: a temp dir removed by `cleanup`). */
export function daemonOn(root: string, home?: string, extra: string[] = []): Promise<DaemonHandle> {
  return startDaemon({ home, collectors: 'transcripts', args: ['--claude-dir', root, '--claude-dirs-only', '--log-level', 'warn', ...extra], readyTimeoutMs: 60_000 });
}

/** Waits until the backfill is over, querying the API meanwhile; returns the figures. */
export async function measureBackfill(d: DaemonHandle, spawnedAt: number): Promise<BackfillFigures> {
  let queryMax = 0;
  let queries = 0;
  let peakAnon = 0;
  let fileAtPeakAnon = 0;
  for (;;) {
    const sample = rssMb(d.child.pid!);
    if (sample.anon > peakAnon) [peakAnon, fileAtPeakAnon] = [sample.anon, sample.file];
    const q0 = performance.now();
    await d.request('GET', '/v1/sessions?limit=20');
    queryMax = Math.max(queryMax, performance.now() - q0);
    queries++;
    if ((await transcriptsPhase(d)) === 'live') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const wall = (performance.now() - spawnedAt) / 1000;
  const pid = d.child.pid!;
  const status = (await d.request('GET', '/v1/status')).json as StatusResponse;
  const scanner = statusDetailValue(status, 'transcripts', 'scanner') ?? 'unknown';
  return { wall_s: wall, cpu_s: cpuSeconds(pid), peak_rss_mb: rssMb(pid).peak, peak_anon_mb: peakAnon, file_at_peak_anon_mb: fileAtPeakAnon, events: status.database.events, sessions: status.database.sessions, query_max_ms: queryMax, queries, scanner };
}

/** CPU share of one core used by the daemon over the next `seconds`, and its RSS at the end. */
export async function idleCpuPercent(d: DaemonHandle, seconds: number): Promise<{ percent: number; rss_mb: number }> {
  const pid = d.child.pid!;
  const c0 = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return { percent: ((cpuSeconds(pid) - c0) / seconds) * 100, rss_mb: rssMb(pid).current };
}

/**
 * Appends `count` prompts to a new transcript under `root` (each line in two
 * writes, the newline last) and measures, per line, the time from the write
 * of its newline until `GET /v1/sessions/{id}` shows it. Removes the file's
 * project folder afterwards.
 */
export async function liveLatencies(d: DaemonHandle, root: string, count: number): Promise<number[]> {
  const sessionId = '0b0b0b0b-1111-4222-8333-444455556666';
  const dir = join(root, 'projects', '-bench-live-latency');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${sessionId}.jsonl`);
  const line = (n: number) =>
    JSON.stringify({ parentUuid: null, isSidechain: false, promptId: `bench-prompt-${n}`, type: 'user', message: { role: 'user', content: `live prompt ${n}` }, uuid: `0b0b0b0b-0000-4000-8000-${String(n).padStart(12, '0')}`, timestamp: new Date().toISOString(), cwd: '/bench/live', sessionId, version: '2.1.197', gitBranch: 'main' });
  const prompts = async (): Promise<number> => {
    const r = await d.request('GET', `/v1/sessions/${sessionId}`);
    return r.status === 200 ? (r.json as SessionResponse).session.message_count : 0;
  };
  const out: number[] = [];
  try {
    writeFileSync(file, `${line(0)}\n`);
    while ((await prompts()) < 1) await new Promise((r) => setTimeout(r, 10));
    for (let n = 1; n <= count; n++) {
      const text = line(n);
      appendFileSync(file, text.slice(0, text.length >> 1));
      await new Promise((r) => setTimeout(r, 20));
      const t0 = performance.now();
      appendFileSync(file, `${text.slice(text.length >> 1)}\n`);
      while ((await prompts()) < n + 1) {
        if (performance.now() - t0 > 10_000) throw new Error(`line ${n} never showed up`);
      }
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 30));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Quantile of a sample (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
