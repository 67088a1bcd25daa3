/**
 * One cold backfill in a fresh process, with the real store and pipeline:
 * `node --import tsx bench/transcripts/backfill-run.ts <claude-root> [worker|inline] [store-event-cache]`.
 * Prints one JSON line: wall seconds, CPU seconds of this thread, peak RSS,
 * events and sessions stored. The benchmark runs it as a child process so
 * that peak RSS is this run's alone.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import type * as StoreModule from '../../core/store/index.js';
import type * as PipelineModule from '../../core/pipeline/ingest-pipeline.js';
import type * as CountersModule from '../../core/pipeline/counters.js';
import type * as TranscriptsModule from '../../collectors/transcripts/index.js';
import { threadCpuSeconds } from '../proc.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The compiled modules when `npm run build` has run (what the daemon runs,
 * and its reader worker starts without a TypeScript loader), else the sources.
 */
async function load<T>(rel: string): Promise<T> {
  const built = resolve(REPO, 'dist', `${rel}.js`);
  return (await import(existsSync(built) ? pathToFileURL(built).href : pathToFileURL(resolve(REPO, `${rel}.ts`)).href)) as T;
}
const { openStore } = await load<typeof StoreModule>('core/store/index');
const { IngestPipeline } = await load<typeof PipelineModule>('core/pipeline/ingest-pipeline');
const { Counters } = await load<typeof CountersModule>('core/pipeline/counters');
const { transcriptsFactory } = await load<typeof TranscriptsModule>('collectors/transcripts/index');

/** What one run measured. */
export interface BackfillResult {
  reader: string;
  wall_s: number;
  main_cpu_s: number;
  process_cpu_s: number;
  peak_rss_mb: number;
  /** Largest V8 heap in use and largest off-heap (Buffers, SQLite is not counted) seen while sampling every 100 ms. */
  peak_heap_mb: number;
  peak_external_mb: number;
  events: number;
  sessions: number;
  counters: Record<string, number>;
  /** CPU seconds per thread (Linux /proc; empty elsewhere), by thread name, largest first. */
  threads_cpu_s: Record<string, number>;
}

/** CPU seconds of each thread of this process, by name (`main` is the main thread; `BENCH_TIDS` set keeps threads of one name apart). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const [tid, { name, seconds }] of threadCpuSeconds(process.pid)) {
    const label = tid === process.pid ? 'main' : process.env.BENCH_TIDS ? `${name}:${tid}` : name;
    out.set(label, (out.get(label) ?? 0) + seconds);
  }
  return out;
}

async function main(): Promise<void> {
  const root = process.argv[2];
  const reader = (process.argv[3] ?? 'worker') as 'worker' | 'inline';
  if (!root) throw new Error('usage: backfill-run.ts <claude-root> [worker|inline]');
  const home = mkdtempSync(join(tmpdir(), 'dossier-backfill-'));
  try {
    const cache = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
    const store = openStore(join(home, 'dossier.db'), { machineId: 'bench', eventCacheEvents: cache });
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
    const peaks = { heap: 0, external: 0 };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peaks.heap = Math.max(peaks.heap, m.heapUsed);
      peaks.external = Math.max(peaks.external, m.external);
    }, 100);
    await collector.start();
    while ((collector.status!() as { phase: string }).phase !== 'live') await new Promise((r) => setTimeout(r, 10));
    const wall = (performance.now() - t0) / 1000;
    const threads = threadCpu();
    clearInterval(sampler);
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
      peak_heap_mb: peaks.heap / 1e6,
      peak_external_mb: peaks.external / 1e6,
      events: totals.events,
      sessions: totals.sessions,
      counters: counters.snapshot(),
      threads_cpu_s: Object.fromEntries([...threads].filter(([, s]) => s >= 0.05).sort((a, b) => b[1] - a[1])),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
