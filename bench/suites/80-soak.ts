/**
 * Soak: a simulated hour of load compressed into minutes against the real
 * daemon binary. Hundreds of sessions, requests reported by two sources,
 * hook tool calls and status changes, one batch per simulated minute; every
 * few minutes the daemon is SIGKILLed with a batch in flight and restarted,
 * and the sender re-sends what was not acknowledged (at-least-once, as the
 * hook spool and OTel exporters do). At the end every session's tokens and
 * request count must equal the generated truth, before and after a rebuild,
 * and the daemon's memory must stay flat (RSS sampled after every batch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalizedEvent, SessionResponse, StatusResponse } from '../../schema/index.js';
import { DEFAULT_EVENT_CACHE_EVENTS } from '../../core/store/index.js';
import type { BenchRow } from '../row.js';
import { buildLoad, type SessionTruth } from '../soak/load.js';

const SUITE = 'soak';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(REPO, 'bin', 'dossier.js');
const SHAPE = { sessions: 600, minutes: 60, requestsPerMinute: 2, seed: 80 };
/** SIGKILL after every this many minutes. */
const KILL_EVERY = 8;

function call(socket: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath: socket, method, path, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface Running {
  child: ChildProcess;
  exited: Promise<unknown>;
}

async function startDaemon(home: string, socket: string): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'daemon', '--home', home, '--socket', socket, '--collectors', 'none', '--log-file', 'off', '--log-level', 'warn'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  for (let i = 0; i < 400; i++) {
    try {
      if ((await call(socket, 'GET', '/v1/status')).status === 200) return { child, exited };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('daemon did not start');
}

/**
 * Resident memory of the daemon, MB: all of it, and the anonymous part (heap,
 * SQLite caches). The rest is file pages the API readers map from the
 * database: the kernel drops those under pressure, so they say nothing about leaks.
 */
function residentMb(pid: number): { rss: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon') };
}

/** Posts in slices the API accepts; resolves when all are acknowledged. */
async function post(socket: string, events: NormalizedEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1_000) {
    const reply = await call(socket, 'POST', '/v1/events', { events: events.slice(i, i + 1_000) });
    if (reply.status !== 200) throw new Error(`POST /v1/events answered ${reply.status}: ${JSON.stringify(reply.json)}`);
  }
}

async function mismatches(socket: string, truth: Map<string, SessionTruth>): Promise<number> {
  let bad = 0;
  for (const [id, want] of truth) {
    const got = ((await call(socket, 'GET', `/v1/sessions/${id}`)).json as SessionResponse).session;
    const same = got.api_request_count === want.requests && got.tokens_input === want.input && got.tokens_output === want.output && got.tokens_cache_read === want.cache_read && got.tokens_cache_write === want.cache_write;
    if (!same) bad++;
  }
  return bad;
}

/** The check's result once it is 0, or its last result after a few seconds (projection may trail commits). */
async function settled(check: () => Promise<number>): Promise<number> {
  let bad = await check();
  for (let i = 0; i < 20 && bad > 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    bad = await check();
  }
  return bad;
}

/** Runs the soak and reports totals, kills and memory. */
export async function run(): Promise<BenchRow[]> {
  const home = mkdtempSync(join(tmpdir(), 'dsr-soak-'));
  const socket = join(home, 's.sock');
  const load = buildLoad(SHAPE, Date.now());
  const started = Date.now();
  let daemon = await startDaemon(home, socket);
  let kills = 0;
  const rss: number[] = [];
  const anon: number[] = [];
  const heap: number[] = [];
  /** Highest RSS, anonymous RSS and V8 heap in use of each daemon life (between kills). */
  const perLife: { rss: number; anon: number; heap: number }[] = [];
  const endLife = (minutes: number) =>
    perLife.push({ rss: Math.max(...rss.slice(-minutes)), anon: Math.max(...anon.slice(-minutes)), heap: Math.max(...heap.slice(-minutes)) });
  try {
    for (const [minute, batch] of load.batches.entries()) {
      if (minute > 0 && minute % KILL_EVERY === 0) {
        // Kill with this minute's batch in flight; whatever was not acknowledged is sent again.
        const inFlight = post(socket, batch).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 5));
        daemon.child.kill('SIGKILL');
        await inFlight;
        await daemon.exited;
        kills++;
        endLife(KILL_EVERY);
        daemon = await startDaemon(home, socket);
      }
      await post(socket, batch);
      const sample = residentMb(daemon.child.pid!);
      rss.push(sample.rss);
      anon.push(sample.anon);
      const status = (await call(socket, 'GET', '/v1/status')).json as StatusResponse;
      heap.push(status.memory.heap_used / 1024 / 1024);
    }
    const bad = await settled(() => mismatches(socket, load.truth));
    await call(socket, 'POST', '/v1/rebuild', {});
    const badAfterRebuild = await settled(() => mismatches(socket, load.truth));
    const status = (await call(socket, 'GET', '/v1/status')).json as { database: { events: number; bytes: number } };
    endLife((SHAPE.minutes % KILL_EVERY) || KILL_EVERY);
    const lives = (pick: 'rss' | 'anon' | 'heap') => perLife.map((m) => Math.round(m[pick])).join(', ');
    // Every life starts empty and carries on over a longer history; flat means the later lives stay level.
    const half = Math.floor(perLife.length / 2);
    const later = perLife.slice(half).map((m) => m.anon);
    const spread = Math.max(...later) - Math.min(...later);
    const ledgerAt = (life: number) => load.batches.slice(0, Math.min(load.batches.length, (life + 1) * KILL_EVERY)).reduce((n, b) => n + b.length, 0);
    const note = `${SHAPE.sessions} sessions, ${SHAPE.minutes} simulated minutes`;
    return [
      { suite: SUITE, case: 'events sent (each request from 2 sources)', value: load.events, unit: 'events', note },
      { suite: SUITE, case: 'events stored (distinct)', value: status.database.events, unit: 'events' },
      { suite: SUITE, case: 'SIGKILLs with a batch in flight', value: kills, unit: 'kills' },
      { suite: SUITE, case: 'sessions differing from ground truth', value: bad, unit: 'sessions', note: 'tokens (4 classes) and request count; must be 0' },
      { suite: SUITE, case: 'sessions differing after rebuild', value: badAfterRebuild, unit: 'sessions', note: 'must be 0' },
      { suite: SUITE, case: 'daemon RSS, first life (max)', value: perLife[0]!.rss, unit: 'MB' },
      { suite: SUITE, case: 'daemon RSS, last life (max)', value: perLife.at(-1)!.rss, unit: 'MB', note: `per life: ${lives('rss')}` },
      { suite: SUITE, case: 'daemon anonymous RSS, last life (max)', value: perLife.at(-1)!.anon, unit: 'MB', note: `per life: ${lives('anon')}; heap and SQLite caches, without mapped database pages` },
      { suite: SUITE, case: 'daemon V8 heap in use, last life (max)', value: perLife.at(-1)!.heap, unit: 'MB', note: `per life: ${lives('heap')}; sampled after each batch (includes garbage not yet collected)` },
      {
        suite: SUITE,
        case: `anonymous RSS spread over lives ${half + 1}..${perLife.length}`,
        value: spread,
        unit: 'MB',
        note: `ledger grows from ${ledgerAt(half).toLocaleString('en-US')} to ${ledgerAt(perLife.length - 1).toLocaleString('en-US')} events over those lives; the writer's event cache holds ${DEFAULT_EVENT_CACHE_EVENTS.toLocaleString('en-US')} events`,
      },
      { suite: SUITE, case: 'database size', value: status.database.bytes / 1024 / 1024, unit: 'MB' },
      { suite: SUITE, case: 'wall time', value: (Date.now() - started) / 1000, unit: 's' },
    ];
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    rmSync(home, { recursive: true, force: true });
  }
}
