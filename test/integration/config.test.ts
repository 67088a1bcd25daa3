/**
 * The config file in a real daemon: values from the file are used, a bad
 * value stops the start with `key: reason (got value) [from file …]`, SIGHUP
 * applies a changed retention age and log level without a restart, and
 * `dossier config` shows each value's origin.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GcResponse } from '../../schema/maintenance.js';
import type { StatusResponse } from '../../schema/index.js';
import { DEFAULT_EVENT_CACHE_EVENTS } from '../../daemon/event-cache-flag.js';
import { pollUntil } from '../support/poll.js';
import { makeTempHome, runDossier, startDaemon, type DaemonHandle } from '../support/daemon.js';

const daemons: DaemonHandle[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.cleanup();
});

const DAY = 86_400_000;

async function gcCutoffDays(d: DaemonHandle): Promise<number> {
  const run = await d.cli(['gc', '--dry-run', '--json']);
  const done = JSON.parse(run.stdout) as GcResponse;
  return Math.round((Date.now() - done.before) / DAY);
}

function waitFor(check: () => boolean, what: string): Promise<void> {
  return pollUntil(what, check, { timeoutMs: 15_000, intervalMs: 50 });
}

describe('config file in the daemon', () => {
  it('uses the file, and SIGHUP applies a new retention age and log level without a restart', async () => {
    const home = makeTempHome();
    const file = join(home, 'config.json');
    writeFileSync(file, JSON.stringify({ 'retention-days': 30 }));
    const d = await startDaemon({ home, env: { DOSSIER_CONFIG: file } });
    daemons.push(d);
    const pid = d.child.pid;
    expect(await gcCutoffDays(d)).toBe(30);

    writeFileSync(file, JSON.stringify({ 'retention-days': 10, 'log-level': 'debug', 'otlp-http': 'off' }));
    d.child.kill('SIGHUP');
    await waitFor(() => d.logs().includes('"msg":"config reloaded"'), 'the reload log line');
    expect(await gcCutoffDays(d)).toBe(10);
    const reloaded = d.logs().split('\n').find((l) => l.includes('"msg":"config reloaded"'))!;
    expect(JSON.parse(reloaded)).toMatchObject({ applied: ['log-level', 'retention-days'], needs_restart: ['otlp-http'] });
    expect(d.logs()).toContain('"msg":"some changed settings take effect only after a restart"');

    // A broken file on the next SIGHUP is refused; the daemon keeps running with what it had.
    writeFileSync(file, JSON.stringify({ 'retention-days': 'soon' }));
    d.child.kill('SIGHUP');
    await waitFor(() => d.logs().includes('config reload refused'), 'the refusal');
    expect(await gcCutoffDays(d)).toBe(10);
    expect(d.child.pid).toBe(pid);
  });

  it('a bad value in the file stops the start, naming key, reason, value and file', async () => {
    const home = makeTempHome();
    const file = join(home, 'config.json');
    writeFileSync(file, JSON.stringify({ 'log-level': 'loud' }));
    const run = await runDossier(['daemon', '--home', home, '--socket', join(home, 's.sock'), '--collectors', 'none'], { DOSSIER_CONFIG: file, DOSSIER_HOME: '', DOSSIER_SOCKET: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`log-level: must be one of fatal, error, warn, info, debug, trace, silent (got "loud") [from file ${file}]`);
    writeFileSync(file, JSON.stringify({ 'retention-dayz': 3 }));
    const unknown = await runDossier(['daemon', '--home', home, '--collectors', 'none'], { DOSSIER_CONFIG: file, DOSSIER_HOME: '', DOSSIER_SOCKET: '' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`retention-dayz: unknown key in ${file} (got 3)`);
  });

  it('dossier config shows every value and where it came from', async () => {
    const home = makeTempHome();
    const file = join(home, 'config.json');
    writeFileSync(file, JSON.stringify({ 'retention-days': 45, 'otlp-http': '127.0.0.1:5318' }));
    const run = await runDossier(['config', '--json', '--log-level', 'warn'], { DOSSIER_CONFIG: file, DOSSIER_RETENTION_DAYS: '50' });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { config_file: string; settings: { key: string; value: unknown; source: string }[] };
    expect(out.config_file).toBe(file);
    const byKey = Object.fromEntries(out.settings.map((s) => [s.key, s]));
    expect(byKey['log-level']).toMatchObject({ value: 'warn', source: 'flag' });
    expect(byKey['retention-days']).toMatchObject({ value: '50', source: 'env DOSSIER_RETENTION_DAYS' });
    expect(byKey['otlp-http']).toMatchObject({ value: '127.0.0.1:5318', source: `file ${file}` });
    expect(byKey.collectors).toMatchObject({ value: 'all', source: 'default' });
    const bad = await runDossier(['config'], { DOSSIER_OTLP_HTTP: '0.0.0.0:80' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/otlp-http: .*\[from env DOSSIER_OTLP_HTTP\]/);
  });

  it('the event cache size from the environment reaches the store, and the default applies without it', async () => {
    const sized = await startDaemon({ env: { DOSSIER_EVENT_CACHE: '1234' } });
    daemons.push(sized);
    const status = JSON.parse((await sized.cli(['status', '--json'])).stdout) as StatusResponse;
    expect(status.database.event_cache.budget).toBe(1234);
    const plain = await startDaemon({});
    daemons.push(plain);
    const defaults = JSON.parse((await plain.cli(['status', '--json'])).stdout) as StatusResponse;
    expect(defaults.database.event_cache.budget).toBe(DEFAULT_EVENT_CACHE_EVENTS);
  });
});
