/**
 * Measures one way of watching a transcript tree, in its own process:
 * `node --import tsx bench/transcripts/watch-probe.ts <none|fswatch|chokidar> <claude-root> <idle-seconds>`.
 * Prints one JSON line: time until the watch is ready, resident size added
 * over the same process doing nothing, and CPU used while idle afterwards.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { DirWatcher } from '../../collectors/transcripts/dir-watcher.js';
import { discoverTranscripts } from '../../collectors/transcripts/discover.js';

const [mode = 'none', root = '', idleArg = '10'] = process.argv.slice(2);
const idleSeconds = Number(idleArg);

function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  settle();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let watched = 0;
  let stop: () => Promise<void> | void = () => {};
  if (mode === 'fswatch') {
    const found = discoverTranscripts([root]);
    const w = new DirWatcher({ changed: () => {}, failed: () => {} }, 5);
    for (const dir of found.dirs) w.watch(dir);
    watched = found.files.length;
    stop = () => w.close();
  } else if (mode === 'chokidar') {
    const { watch } = await import('chokidar');
    const w = watch(join(root, 'projects'), { persistent: true, ignoreInitial: true });
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
    watched = Object.values(w.getWatched()).reduce((n, names) => n + names.filter((x) => x.endsWith('.jsonl')).length, 0);
    stop = () => w.close();
  }
  const readyMs = performance.now() - t0;
  settle();
  const rssReady = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  await stop();
  const idleCpuPercent = ((cpu.user + cpu.system) / 1e6 / idleSeconds) * 100;
  process.stdout.write(`${JSON.stringify({ mode, watched, ready_ms: readyMs, rss_added_mb: (rssReady - rssBefore) / 1e6, idle_cpu_percent: idleCpuPercent })}\n`);
}

await main();
