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
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NormalizedEvent, SessionResponse, StatusResponse } from '../../schema/index.js';
import { DEFAULT_EVENT_CACHE_EVENTS } from '../../core/store/index.js';
import { makeTempHome, rawRequest, startDaemon, type DaemonHandle } from '../../test/support/daemon.js';
import { rssMb } from '../proc.js';
import type { BenchRow } from '../row.js';
import { buildLoad, type SessionTruth } from '../soak/load.js';

const SUITE = 'soak';
const SHAPE = { sessions: 600, minutes: 60, requestsPerMinute: 2, seed: 80 };
/** SIGKILL after every this many minutes. */
const KILL_EVERY = 8;

/** One request to the daemon's API, with `body` sent as JSON. */
async function call(socket: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const options = body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  return rawRequest(socket, method, path, options);
}

/** The daemon on the soak's home, started afresh after every kill. */
function startSoakDaemon(home: string, socket: string): Promise<DaemonHandle> {
  return startDaemon({ home, socket, args: ['--log-file', 'off', '--log-level', 'warn'] });
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
  const home = makeTempHome('dsr-soak-');
  const socket = join(home, 's.sock');
  const load = buildLoad(SHAPE, Date.now());
  const started = Date.now();
  let daemon = await startSoakDaemon(home, socket);
  let kills = 0;
  /**
   * Highest RSS, anonymous RSS (heap, SQLite caches; without the database
   * pages the API readers map, which the kernel drops under pressure) and V8
   * heap in use of each daemon life (between kills), and of the current one.
   */
  const perLife: { rss: number; anon: number; heap: number }[] = [];
  let life = { rss: 0, anon: 0, heap: 0 };
  const endLife = () => {
    perLife.push(life);
    life = { rss: 0, anon: 0, heap: 0 };
  };
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
        endLife();
        daemon = await startSoakDaemon(home, socket);
      }
      await post(socket, batch);
      const memory = rssMb(daemon.child.pid!);
      const status = (await call(socket, 'GET', '/v1/status')).json as StatusResponse;
      life = { rss: Math.max(life.rss, memory.current), anon: Math.max(life.anon, memory.anon), heap: Math.max(life.heap, status.memory.heap_used / 1024 / 1024) };
    }
    const bad = await settled(() => mismatches(socket, load.truth));
    await call(socket, 'POST', '/v1/rebuild', {});
    const badAfterRebuild = await settled(() => mismatches(socket, load.truth));
    const status = (await call(socket, 'GET', '/v1/status')).json as { database: { events: number; bytes: number } };
    endLife();
    const lives = (pick: 'rss' | 'anon' | 'heap') => perLife.map((m) => Math.round(m[pick])).join(', ');
    // Every life starts empty and carries on over a longer history; flat means the later lives stay level.
    const half = Math.floor(perLife.length / 2);
    const later = perLife.slice(half).map((m) => m.anon);
    const spread = Math.max(...later) - Math.min(...later);
    const ledgerAt = (lifeIndex: number) => load.batches.slice(0, Math.min(load.batches.length, (lifeIndex + 1) * KILL_EVERY)).reduce((n, b) => n + b.length, 0);
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
    await daemon.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
