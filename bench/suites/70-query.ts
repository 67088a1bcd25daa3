/**
 * Query latency through the real API server on a Unix socket: `GET
 * /v1/sessions` (filtered first pages, a sorted page, a text search, a deep
 * page) and `GET /v1/stats` (grouped by day, by model), median and p99 over
 * sequential requests, on stores of 10,000 and 100,000 generated sessions
 * (bench/query/generate-sessions.ts). Target: p99 under 50 ms for a filtered
 * first page at 10,000 sessions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { Counters } from '../../core/pipeline/counters.js';
import { openStore } from '../../core/store/index.js';
import { apiRoutes } from '../../daemon/api/routes.js';
import { ApiServer } from '../../daemon/api/server.js';
import { generateSessions, insertSessions } from '../query/generate-sessions.js';
import type { BenchRow } from '../row.js';

const SUITE = 'query';
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const SIZES = [10_000, 100_000] as const;

/** What is measured, as request paths. */
const CASES: readonly { name: string; path: string; repeats: number }[] = [
  { name: 'sessions default view, first page', path: '/v1/sessions', repeats: 200 },
  { name: 'sessions filtered first page (status+cwd+since)', path: '/v1/sessions?all=true&status=ended&cwd=/home/u/app&since=30d&limit=50', repeats: 200 },
  { name: 'sessions filtered first page (repo+branch)', path: '/v1/sessions?all=true&repo=acme/app&branch=main&limit=50', repeats: 200 },
  { name: 'sessions sorted by tokens, first page', path: '/v1/sessions?all=true&sort=tokens&limit=50', repeats: 200 },
  { name: 'sessions text search, first page', path: '/v1/sessions?all=true&q=cursor&limit=50', repeats: 100 },
  { name: 'stats 30d by day', path: '/v1/stats?range=30d&by=day&tz=UTC', repeats: 30 },
  { name: 'stats all by model', path: '/v1/stats?by=model', repeats: 20 },
];

/** Runs every case at every size. */
export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const size of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'dbench-query-'));
    const dbPath = join(dir, 'dossier.db');
    const store = openStore(dbPath, { machineId: 'bench-machine', now: () => NOW });
    for (let done = 0; done < size; done += 10_000) {
      insertSessions(dbPath, generateSessions(Math.min(10_000, size - done), { seed: 99 + done, now: NOW, firstIndex: done }));
    }
    const counters = new Counters();
    const server = new ApiServer({
      routes: apiRoutes({
        reader: store.reader,
        sink: { submit: () => Promise.reject(new Error('no ingest in this bench')), accepting: false },
        rebuild: () => ({ sessions: 0, events: 0 }),
        status: () => {
          throw new Error('unused');
        },
        now: () => NOW,
        counters,
      }),
      version: 'bench',
      logger: pino({ level: 'silent' }),
      counters,
    });
    const socket = join(dir, 'api.sock');
    await server.listen(socket);
    try {
      for (const c of CASES) {
        const times: number[] = [];
        await get(socket, c.path); // warm the statement cache and the page cache
        for (let i = 0; i < c.repeats; i++) {
          const start = performance.now();
          await get(socket, c.path);
          times.push(performance.now() - start);
        }
        times.sort((a, b) => a - b);
        const label = `${c.name} @ ${size.toLocaleString('en-US')}`;
        rows.push({ suite: SUITE, case: `${label} median`, value: quantile(times, 0.5), unit: 'ms' });
        rows.push({ suite: SUITE, case: `${label} p99`, value: quantile(times, 0.99), unit: 'ms', note: `${c.repeats} sequential requests` });
      }
    } finally {
      await server.close(1000);
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function get(socket: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}
