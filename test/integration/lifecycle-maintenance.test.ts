/**
 * The maintenance side of a running daemon, through the real CLI: one daemon
 * per home (a second one names the first one's PID), `dossier backup` while
 * it runs, `dossier gc` keeping every session identical (before and after a
 * rebuild), and the PID file gone after a clean stop, its log in the state dir.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../schema/index.js';
import type { BackupResponse, GcResponse } from '../../schema/maintenance.js';
import { ev, usage } from '../support/events.js';
import { makeTempHome, runDossier, startDaemon, type DaemonHandle } from '../support/daemon.js';

const daemons: DaemonHandle[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.cleanup();
});

const DAY = 86_400_000;
const SESSIONS = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'];

/** Two sessions, 200 and 100 days old, with usage and tool calls carrying big command lines. */
function history(now: number): NormalizedEvent[] {
  return SESSIONS.flatMap((session_id, s) => {
    const o = { session_id };
    const t0 = now - (200 - s * 100) * DAY;
    return [
      ev.started(t0, 'startup', o, { cwd: '/w/r' }),
      ev.prompt(t0 + 1, { text: `fix bug ${s}`, cwd: '/w/r' }, o),
      ...Array.from({ length: 20 }, (_, i) => [
        ev.request(t0 + 10 + i * 10, { request_id: `req_${s}_${i}`, model: 'claude-sonnet-4-5', usage: usage({ input: 100 + i, output: 50, cache_read: 1000 }) }, o),
        ev.toolCalled(t0 + 11 + i * 10, { tool_use_id: `tu_${s}_${i}`, tool_name: 'Bash', command: `${'y'.repeat(3_000)} ${i}` }, o),
        ev.toolFinished(t0 + 12 + i * 10, { tool_use_id: `tu_${s}_${i}`, tool_name: 'Bash', success: true }, o),
      ]).flat(),
    ];
  });
}

async function post(d: DaemonHandle, events: NormalizedEvent[]): Promise<void> {
  const reply = await d.request('POST', '/v1/events', { body: JSON.stringify({ events }), headers: { 'content-type': 'application/json' } });
  expect(reply.status).toBe(200);
}

/** The sessions once both are projected (projection may trail the commit by a moment). */
async function projected(d: DaemonHandle): Promise<unknown[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const sessions = await sessionsOf(d);
    if (sessions.every((s) => (s as { session?: unknown }).session !== undefined)) return sessions;
    if (Date.now() > deadline) throw new Error(`sessions not projected: ${JSON.stringify(sessions).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function sessionsOf(d: DaemonHandle): Promise<unknown[]> {
  return Promise.all(SESSIONS.map(async (id) => (await d.request('GET', `/v1/sessions/${id}`)).json));
}

describe('daemon maintenance', () => {
  it('refuses a second daemon on the same home, naming the first one\'s PID, and removes its PID file on stop', async () => {
    const home = makeTempHome();
    const first = await startDaemon({ home });
    daemons.push(first);
    const pid = ((await first.request('GET', '/v1/status')).json as { pid: number }).pid;
    expect(existsSync(join(home, 'daemon.pid'))).toBe(true);
    const second = await runDossier(['daemon', '--home', home, '--socket', join(home, 'other.sock'), '--collectors', 'none'], { DOSSIER_HOME: '', DOSSIER_SOCKET: '' });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`another dossier daemon (PID ${pid}) is already running with the state directory ${home}`);
    // The first one is untouched.
    expect((await first.request('GET', '/v1/status')).status).toBe(200);
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(join(home, 'daemon.pid'))).toBe(false);
    // The same JSON lines went to the log file in the state dir.
    const logged = readFileSync(join(home, 'logs', 'dossier.log'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(logged).toContain('daemon started');
    expect(logged.at(-1)).toBe('daemon stopped');
  });

  it('a PID file left by a SIGKILLed daemon does not stop the next start', async () => {
    const home = makeTempHome();
    const killed = await startDaemon({ home });
    await killed.stop('SIGKILL');
    expect(existsSync(join(home, 'daemon.pid'))).toBe(true);
    const next = await startDaemon({ home });
    daemons.push(next);
    expect((await next.request('GET', '/v1/status')).status).toBe(200);
  });

  it('backs up while running, and gc keeps every session identical, before and after a rebuild', async () => {
    const d = await startDaemon();
    daemons.push(d);
    const events = history(Date.now());
    await post(d, events);
    const before = await projected(d);

    const target = join(d.home, 'backup.db');
    const backup = await d.cli(['backup', target, '--json']);
    expect(backup.stderr).toBe('');
    expect(JSON.parse(backup.stdout) as BackupResponse).toMatchObject({ path: target, events: events.length, sessions: 2 });
    const copy = new Database(target, { readonly: true });
    const live = new Database(join(d.home, 'dossier.db'), { readonly: true });
    expect(copy.prepare('SELECT * FROM events ORDER BY seq').all()).toEqual(live.prepare('SELECT * FROM events ORDER BY seq').all());
    expect(copy.prepare('SELECT * FROM sessions ORDER BY session_id').all()).toEqual(live.prepare('SELECT * FROM sessions ORDER BY session_id').all());
    copy.close();
    live.close();
    expect((await d.cli(['backup', target])).stderr).toMatch(/already exists/);

    // 150 days: only the older session's tool calls go.
    const dry = JSON.parse((await d.cli(['gc', '--older-than', '150', '--dry-run', '--json'])).stdout) as GcResponse;
    expect(dry).toMatchObject({ dry_run: true, events_pruned: 20 });
    const gc = JSON.parse((await d.cli(['gc', '--older-than', '150', '--json'])).stdout) as GcResponse;
    expect(gc).toMatchObject({ dry_run: false, events_pruned: 20 });
    expect(await sessionsOf(d)).toEqual(before);
    expect((await d.cli(['rebuild'])).code).toBe(0);
    expect(await sessionsOf(d)).toEqual(before);

    // The daemon's default (90 days) then takes the rest.
    const human = await d.cli(['gc']);
    expect(human.stdout).toMatch(/^Pruned raw attributes of 20 events older than /);
    expect(await sessionsOf(d)).toEqual(before);
    const timeline = (await d.request('GET', `/v1/sessions/${SESSIONS[1]}/events?kind=tool.called`)).json as { events: { attrs: Record<string, unknown> }[] };
    expect(timeline.events).toHaveLength(20);
    for (const e of timeline.events) expect(e.attrs).toMatchObject({ tool_name: 'Bash' });
    for (const e of timeline.events) expect(e.attrs.command).toBeUndefined();
  });

  it('answers bad maintenance requests with the field and the value', async () => {
    const d = await startDaemon();
    daemons.push(d);
    const relative = await d.request('POST', '/v1/backup', { body: JSON.stringify({ path: 'x.db' }), headers: { 'content-type': 'application/json' } });
    expect(relative.status).toBe(400);
    expect(relative.text).toContain('path: must be an absolute path (got \\"x.db\\")');
    const days = await d.request('POST', '/v1/gc', { body: JSON.stringify({ older_than_days: -1 }), headers: { 'content-type': 'application/json' } });
    expect(days.status).toBe(400);
    expect(days.text).toContain('older_than_days');
    expect((await d.cli(['gc', '--older-than', 'ten'])).code).toBe(2);
  });
});
