/**
 * One cold backfill in a fresh process, with the real store and pipeline:
 * `node --import tsx bench/transcripts/backfill-run.ts <claude-root> [worker|inline]`.
 * Prints one JSON line: wall seconds, CPU seconds of this thread, peak RSS,
 * events and sessions stored. The benchmark runs it as a child process so
 * that peak RSS is this run's alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openStore } from '../../core/store/index.js';
import { IngestPipeline } from '../../core/pipeline/ingest-pipeline.js';
import { Counters } from '../../core/pipeline/counters.js';
import { transcriptsFactory } from '../../collectors/transcripts/index.js';

/** What one run measured. */
export interface BackfillResult {
  reader: string;
  wall_s: number;
  main_cpu_s: number;
  process_cpu_s: number;
  peak_rss_mb: number;
  events: number;
  sessions: number;
  counters: Record<string, number>;
}

async function main(): Promise<void> {
  const root = process.argv[2];
  const reader = (process.argv[3] ?? 'worker') as 'worker' | 'inline';
  if (!root) throw new Error('usage: backfill-run.ts <claude-root> [worker|inline]');
  const home = mkdtempSync(join(tmpdir(), 'dossier-backfill-'));
  try {
    const store = openStore(join(home, 'dossier.db'), { machineId: 'bench' });
    const pipeline = new IngestPipeline(store.writer, {});
    const counters = new Counters();
    const cpu0 = process.cpuUsage();
    const res0 = process.resourceUsage();
    const t0 = performance.now();
    const collector = transcriptsFactory.create(
      { logger: pino({ level: 'silent' }), counters, checkpoints: store.writer, home, now: Date.now },
      { ...transcriptsFactory.defaultConfig(), claude_dirs: [root], default_roots: false, reader, progress: 'never', watch: false, rescan_interval_ms: 0 },
      pipeline,
    );
    await collector.start();
    while ((collector.status!() as { phase: string }).phase !== 'live') await new Promise((r) => setTimeout(r, 10));
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const res = process.resourceUsage();
    await collector.shutdown(2_000);
    await pipeline.stop(5_000);
    const totals = store.reader.totals();
    store.close();
    const result: BackfillResult = {
      reader,
      wall_s: wall,
      main_cpu_s: (cpu.user + cpu.system) / 1e6,
      process_cpu_s: (res.userCPUTime + res.systemCPUTime - res0.userCPUTime - res0.systemCPUTime) / 1e6,
      peak_rss_mb: res.maxRSS / 1024,
      events: totals.events,
      sessions: totals.sessions,
      counters: counters.snapshot(),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
