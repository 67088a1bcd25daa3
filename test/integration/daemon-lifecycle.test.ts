/**
 * The real daemon's process lifecycle: socket permissions, refusing a second
 * daemon, replacing a stale socket, clean SIGTERM, and the CLI's exit code
 * when nothing runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StatusResponse } from '../../schema/index.js';
import { assertBuilt, makeTempHome, runDossier, startDaemon, type DaemonHandle } from '../support/daemon.js';
import { JSON_HEADERS, apiRequest, batchBody } from './wire-events.js';

/** Leaves a socket file nobody listens on, as a SIGKILLed daemon does. */
function makeStaleSocket(path: string): void {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' });
}

describe('daemon lifecycle', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(() => assertBuilt());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(options: Parameters<typeof startDaemon>[0] = {}): Promise<DaemonHandle> {
    const daemon = await startDaemon(options);
    cleanups.push(() => daemon.cleanup());
    return daemon;
  }

  function tempHome(): string {
    const home = makeTempHome();
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    return home;
  }

  it('creates the socket with mode 0600 and reports itself in status', async () => {
    const daemon = await start();
    expect(statSync(daemon.socket).mode & 0o777).toBe(0o600);
    expect(statSync(daemon.home).isDirectory()).toBe(true);
    const run = await daemon.cli(['status', '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as StatusResponse;
    expect(status).toMatchObject({ api_version: 'v1', pid: daemon.child.pid, home: daemon.home, socket: daemon.socket });
    expect(status.database.path).toBe(join(daemon.home, 'dossier.db'));
    // The daemon's own figures: some heap in use, within what V8 reserved, within the resident set.
    expect(status.memory.heap_used).toBeGreaterThan(0);
    expect(status.memory.heap_used).toBeLessThanOrEqual(status.memory.heap_total);
    expect(status.memory.heap_total).toBeLessThan(status.memory.rss);
    expect(status.components.map((c) => [c.name, c.state])).toEqual([
      ['store', 'running'],
      ['pipeline', 'running'],
      ['api', 'running'],
    ]);
    const human = await daemon.cli(['status']);
    expect(human.stdout).toContain(`socket      ${daemon.socket}`);
  });

  it('refuses a second daemon on the same socket with a clear message, and the first keeps serving', async () => {
    const first = await start();
    const second = await runDossier(['daemon', '--home', tempHome(), '--socket', first.socket, '--collectors', 'none']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Error: another dossier daemon is already running');
    expect(second.stderr).toContain(first.socket);
    expect(existsSync(first.socket)).toBe(true);
    expect((await first.cli(['status', '--json'])).code).toBe(0);
  });

  it('removes a stale socket file left by a killed daemon and starts', async () => {
    const home = tempHome();
    const socket = join(home, 's.sock');
    makeStaleSocket(socket);
    expect(statSync(socket).isSocket()).toBe(true);
    const daemon = await start({ home, socket });
    expect(daemon.logs()).toContain('removed a stale socket file');
    expect(statSync(socket).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace a socket path that is not a socket', async () => {
    const home = tempHome();
    const socket = join(home, 's.sock');
    writeFileSync(socket, 'not a socket');
    const run = await runDossier(['daemon', '--home', home, '--socket', socket, '--collectors', 'none']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${socket} exists and is not a socket`);
    expect(existsSync(socket)).toBe(true);
  });

  it('refuses a socket path too long for the kernel, naming it', async () => {
    const home = tempHome();
    const socket = join(home, 'x'.repeat(120), 's.sock');
    const run = await runDossier(['daemon', '--home', home, '--socket', socket, '--collectors', 'none']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(socket);
    expect(run.stderr).toContain('over the 107-byte limit');
  });

  it('on SIGTERM commits what it acknowledged, removes the socket and exits 0; a restart finds the data', async () => {
    const home = tempHome();
    const daemon = await start({ home });
    const now = Date.now();
    const events = Array.from({ length: 50 }, (_, i) => apiRequest('term-session', i, { input: 10, output: 1 }, now + i));
    const posted = await daemon.request('POST', '/v1/events', { body: batchBody(events), headers: JSON_HEADERS });
    expect(posted.status).toBe(200);
    const exit = await daemon.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(daemon.socket)).toBe(false);
    expect(daemon.logs()).toContain('daemon stopped');

    const again = await start({ home });
    const run = await again.cli(['show', 'term-session', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ session_id: 'term-session', tokens_input: 500, tokens_output: 50, api_request_count: 50 });
  });

  it('stops the same way on SIGINT (Ctrl-C)', async () => {
    const daemon = await start();
    expect(await daemon.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(existsSync(daemon.socket)).toBe(false);
    expect(daemon.logs()).toContain('"signal":"SIGINT"');
  });

  it('the CLI exits 3 with the socket path when no daemon runs', async () => {
    const socket = join(tempHome(), 'nobody.sock');
    const run = await runDossier(['ls'], { DOSSIER_SOCKET: socket });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`Error: the dossier daemon is not running (socket ${socket})`);
    expect(run.stderr).toContain('Try: dossier daemon');
    expect(run.stdout).toBe('');
  });
});
