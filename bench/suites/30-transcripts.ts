/**
 * Transcript collector benchmark (issue 3): a generated ~1 GB tree of 3,000
 * transcripts (realistic line mix and sizes, responses written as several
 * lines, subagents, compactions), read by
 *   - ccusage 20.0.24 (`ccusage claude session --json --offline`), side by side,
 *   - the real daemon: cold backfill wall/CPU/peak RSS, queries answered meanwhile,
 *     idle CPU with every file watched, newline-to-API latency of live lines,
 *   - single-thread baselines (read+split, JSON.parse of every line, the collector's reader),
 *   - chokidar 5 versus one fs.watch per directory on the same tree,
 *   - kill -9 at random points of a backfill, restarted, compared with the generator's truth.
 * Knobs: DOSSIER_BENCH_TRANSCRIPTS_MB (tree size, default 1000),
 * DOSSIER_BENCH_TRANSCRIPTS_KILLS (crash run kills, default 4; 0 skips it).
 * The tree is kept under $TMPDIR/dossier-bench-transcripts and reused.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from '../row.js';
import { collectorReader, parseEveryLine, readAndSplit } from '../transcripts/baselines.js';
import { locateCcusage, runCcusage, CCUSAGE } from '../transcripts/ccusage.js';
import { crashRun } from '../transcripts/crash-run.js';
import { daemonOn, idleCpuPercent, liveLatencies, measureBackfill, quantile } from '../transcripts/daemon-backfill.js';
import { generateTree } from '../transcripts/generate-tree.js';
import { hasProc } from '../proc.js';
import { resolveScanner } from '../../collectors/transcripts/native-scanner.js';

const SUITE = 'transcripts';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET_MB = Number(process.env.DOSSIER_BENCH_TRANSCRIPTS_MB ?? 1000);
const KILLS = Number(process.env.DOSSIER_BENCH_TRANSCRIPTS_KILLS ?? 4);

function log(message: string): void {
  process.stderr.write(`bench: transcripts: ${message}\n`);
}

function watchProbe(mode: string, root: string): { ready_ms: number; rss_added_mb: number; idle_cpu_percent: number; watched: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(REPO, 'bench/transcripts/watch-probe.ts'), mode, root, '15'], { cwd: REPO, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { ready_ms: number; rss_added_mb: number; idle_cpu_percent: number; watched: number };
}

/** Runs the suite. */
export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const row = (c: string, value: number, unit: string, note?: string) => rows.push(note === undefined ? { suite: SUITE, case: c, value, unit } : { suite: SUITE, case: c, value, unit, note });
  if (!hasProc()) {
    row('skipped', 0, '-', 'needs Linux /proc for CPU and RSS of the daemon');
    return rows;
  }

  // Generation overshoots the target by ~10 % (whole turns); 0.9 lands near it.
  const root = join(tmpdir(), 'dossier-bench-transcripts', `tree-${TARGET_MB}m`);
  const t0 = performance.now();
  const manifest = generateTree({ root, files: 3000, totalBytes: Math.round(TARGET_MB * 0.9e6), seed: 2026 });
  const mb = manifest.bytes / 1e6;
  log(`tree ready: ${mb.toFixed(0)} MB, ${manifest.jsonlFiles} files, ${manifest.sessions.length} sessions (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  row('tree', mb, 'MB', `${manifest.jsonlFiles} transcripts, ${manifest.sessions.length} sessions, generated`);

  // Warm the page cache so every reader below sees the same (cached) files.
  const split = readAndSplit(root);
  row('baseline: read + split lines, 1 thread', split.wall_s, 's', `${(mb / split.wall_s).toFixed(0)} MB/s, ${split.units.toLocaleString('en-US')} lines, cpu ${split.cpu_s.toFixed(2)} s`);
  const parsed = parseEveryLine(root);
  row('baseline: JSON.parse every line, 1 thread', parsed.wall_s, 's', `${(mb / parsed.wall_s).toFixed(0)} MB/s, cpu ${parsed.cpu_s.toFixed(2)} s`);
  for (const scanner of resolveScanner('auto') === 'native' ? (['native', 'js'] as const) : (['js'] as const)) {
    const reader = collectorReader(root, scanner);
    row(`collector reader alone (scan + map), ${scanner} scanner, 1 thread`, reader.wall_s, 's', `${(mb / reader.wall_s).toFixed(0)} MB/s, ${reader.units.toLocaleString('en-US')} events, cpu ${reader.cpu_s.toFixed(2)} s`);
  }

  // ccusage, side by side.
  const located = locateCcusage();
  let ccusageWall: number | null = null;
  if ('bin' in located) {
    const runs = [await runCcusage(located.bin, root), await runCcusage(located.bin, root)];
    const best = runs.reduce((a, b) => (b.wall_s < a.wall_s ? b : a));
    ccusageWall = best.wall_s;
    row(`${CCUSAGE} claude session --json --offline`, best.wall_s, 's', `best of 2; ${(mb / best.wall_s).toFixed(0)} MB/s; cpu ${best.cpu_s?.toFixed(2) ?? '?'} s; peak RSS ${best.peak_rss_mb?.toFixed(0) ?? '?'} MB; ${best.sessions} sessions`);
    const truth = manifest.sessions.reduce((a, s) => ({ input: a.input + s.input, output: a.output + s.output }), { input: 0, output: 0 });
    row('ccusage tokens equal the generated truth', best.tokens.input === truth.input && best.tokens.output === truth.output ? 1 : 0, 'bool', `input ${best.tokens.input} vs ${truth.input}, output ${best.tokens.output} vs ${truth.output}`);
  } else {
    row(`${CCUSAGE}`, 0, '-', `unavailable: ${located.reason}`);
  }

  // The daemon: cold backfill, then idle, then live latency.
  const spawned = performance.now();
  const d = await daemonOn(root);
  try {
    const b = await measureBackfill(d, spawned);
    row('dossier daemon cold backfill (wall, spawn to live)', b.wall_s, 's', `${(mb / b.wall_s).toFixed(0)} MB/s; ${b.events.toLocaleString('en-US')} events, ${b.sessions} sessions; ${b.scanner} scanner`);
    row('dossier backfill CPU (all threads)', b.cpu_s, 's', ccusageWall === null ? undefined : `ccusage ${ccusageWall.toFixed(2)} s wall`);
    if (ccusageWall !== null) row('dossier / ccusage backfill wall', b.wall_s / ccusageWall, 'x', 'target ≤ 1.5, goal 1.0');
    row('dossier peak RSS during backfill', b.peak_rss_mb, 'MB', 'target ≤ 150');
    row('dossier peak anonymous RSS during backfill', b.peak_anon_mb, 'MB', `sampled every ~100 ms; file pages mapped at that moment ${b.file_at_peak_anon_mb.toFixed(0)} MB (node binary, database mapped by the API readers)`);
    row('slowest API query during backfill', b.query_max_ms, 'ms', `${b.queries} × GET /v1/sessions?limit=20`);
    // After a backfill V8 gives back the heap it grew (a full GC or two, 10–60 s later; seen at
    // both ends); the steady state is measured after that, over a window holding one 60 s safety rescan.
    const settling = await idleCpuPercent(d, 75);
    row('dossier CPU, first 75 s after the backfill', settling.percent, '% core', `V8 shrinks the heap once; RSS after ${settling.rss_mb.toFixed(0)} MB`);
    const idle = await idleCpuPercent(d, 65);
    row(`dossier idle CPU, ${manifest.jsonlFiles} files watched`, idle.percent, '% core', `the next 65 s (includes one 60 s safety rescan); RSS ${idle.rss_mb.toFixed(0)} MB; target < 0.5`);
    const lat = await liveLatencies(d, root, 40);
    row('live: newline to GET /v1/sessions/{id}, p50', quantile(lat, 0.5), 'ms', `${lat.length} lines, each written as half a line then the rest`);
    row('live: newline to GET /v1/sessions/{id}, p95', quantile(lat, 0.95), 'ms', 'target < 100');
    row('live: newline to GET /v1/sessions/{id}, max', Math.max(...lat), 'ms');

    // Watching: the design's chokidar against one fs.watch per directory.
    for (const mode of ['fswatch', 'chokidar'] as const) {
      const w = watchProbe(mode, root);
      const label = mode === 'fswatch' ? 'fs.watch per directory' : 'chokidar 5';
      row(`watch ${w.watched} files: ${label}, ready`, w.ready_ms, 'ms', `+${w.rss_added_mb.toFixed(1)} MB RSS; idle ${w.idle_cpu_percent.toFixed(3)} % core over 15 s`);
    }

    // Memory must not grow with history: the same backfill on a tree a quarter the size.
    const smallRoot = join(tmpdir(), 'dossier-bench-transcripts', `tree-${Math.round(TARGET_MB / 4)}m`);
    const small = generateTree({ root: smallRoot, files: 750, totalBytes: Math.round((TARGET_MB / 4) * 0.9e6), seed: 2027 });
    const spawnedSmall = performance.now();
    const ds = await daemonOn(smallRoot);
    try {
      const bs = await measureBackfill(ds, spawnedSmall);
      row(`dossier peak RSS, tree of ${(small.bytes / 1e6).toFixed(0)} MB`, bs.peak_rss_mb, 'MB', `vs ${b.peak_rss_mb.toFixed(0)} MB for ${mb.toFixed(0)} MB; backfill ${bs.wall_s.toFixed(1)} s, cpu ${bs.cpu_s.toFixed(1)} s`);
    } finally {
      await ds.cleanup();
    }

    if (KILLS > 0) {
      log(`crash run: ${KILLS} kills`);
      const crash = await crashRun(root, manifest, KILLS, b.wall_s, 20261121);
      row(`kill -9 ×${crash.kills} during backfill, restart: sessions differing from truth`, crash.mismatches, 'sessions', `${crash.killedDuringBackfill} kills landed mid-backfill; events ${crash.events.toLocaleString('en-US')} vs clean ${b.events.toLocaleString('en-US')}`);
    }
  } finally {
    await d.cleanup();
  }
  return rows;
}
