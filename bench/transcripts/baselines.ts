/**
 * Single-thread baselines on the benchmark tree, for context: reading and
 * splitting every line, `JSON.parse` of every line, and the collector's own
 * reader (selective scan + mapping, no store), each in this process.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { BatchReader } from '../../collectors/transcripts/batch-reader.js';
import { discoverTranscripts } from '../../collectors/transcripts/discover.js';
import type { LineScanner } from '../../collectors/transcripts/native-scanner.js';

/** Seconds of wall and CPU for one pass. */
export interface Pass {
  wall_s: number;
  cpu_s: number;
  bytes: number;
  units: number;
}

function timed(work: () => { bytes: number; units: number }): Pass {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = work();
  const c = process.cpuUsage(c0);
  return { wall_s: (performance.now() - t0) / 1000, cpu_s: (c.user + c.system) / 1e6, ...r };
}

function eachLine(paths: string[], onLine: (buf: Buffer, start: number, end: number) => void): { bytes: number; units: number } {
  const buf = Buffer.allocUnsafe(1 << 24);
  let bytes = 0;
  let lines = 0;
  for (const path of paths) {
    const fd = openSync(path, 'r');
    let have = 0;
    for (;;) {
      const n = readSync(fd, buf, have, buf.length - have, null);
      if (n === 0) break;
      have += n;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0 && nl < have; nl = buf.indexOf(10, start)) {
        onLine(buf, start, nl);
        lines++;
        start = nl + 1;
      }
      buf.copy(buf, 0, start, have);
      have -= start;
      bytes += start;
    }
    closeSync(fd);
  }
  return { bytes, units: lines };
}

/** Read every file and split it into lines. */
export function readAndSplit(root: string): Pass {
  const paths = discoverTranscripts([root]).files.map((f) => f.identity.path);
  return timed(() => eachLine(paths, () => {}));
}

/** Read, split and `JSON.parse` every line. */
export function parseEveryLine(root: string): Pass {
  const paths = discoverTranscripts([root]).files.map((f) => f.identity.path);
  return timed(() => eachLine(paths, (b, s, e) => void JSON.parse(b.toString('utf8', s, e))));
}

/** The collector's reader alone: scan, map, batch (events are dropped). */
export function collectorReader(root: string, scanner: LineScanner): Pass {
  return timed(() => {
    const reader = new BatchReader({ maxLineBytes: 16 << 20, includePromptText: false, now: Date.now, scanner });
    reader.enqueue(discoverTranscripts([root]).files.map((f) => f.identity), false);
    let bytes = 0;
    let events = 0;
    for (let b = reader.next(2_000, 16 << 20); b; b = reader.next(2_000, 16 << 20)) {
      bytes += b.bytes;
      events += b.events.length;
    }
    return { bytes, units: events };
  });
}
