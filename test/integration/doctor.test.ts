/**
 * `dossier doctor` against a real daemon and a real state dir: all checks
 * run, warnings alone exit 0, and a stopped daemon is a failure (exit 1)
 * with its fix.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type DaemonHandle } from '../support/daemon.js';

const daemons: DaemonHandle[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.cleanup();
});

interface Report {
  ok: boolean;
  checks: { id: string; status: string; detail: string; fix: string | null }[];
}

describe('dossier doctor', () => {
  it('reports on a running daemon, then fails with a fix once it is stopped', async () => {
    const d = await startDaemon();
    daemons.push(d);
    // Ports are off so a concurrent test daemon on 4318 cannot change the verdict.
    const env = { HOME: join(d.home, 'user-home'), DOSSIER_OTLP_HTTP: 'off', DOSSIER_OTLP_GRPC: 'off', CLAUDE_CONFIG_DIR: '' };
    const run = await d.cli(['doctor', '--json'], env);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Report;
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(Object.keys(byId)).toEqual(['daemon.reachable', 'daemon.version', 'ports', 'claude.settings', 'transcripts.readable', 'hooks.spool', 'database.integrity', 'disk.space']);
    expect(byId['daemon.reachable']!.status).toBe('ok');
    expect(byId['daemon.version']!.status).toBe('ok');
    expect(byId['database.integrity']).toMatchObject({ status: 'ok', detail: expect.stringContaining('passes quick_check') });
    expect(byId['claude.settings']).toMatchObject({ status: 'warn', fix: expect.stringContaining('dossier setup claude') });
    expect(byId['hooks.spool']!.status).toBe('ok');
    expect(report.ok).toBe(true);
    expect(run.code).toBe(0);

    await d.stop();
    const down = await d.cli(['doctor'], env);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/^FAIL {2}daemon\.reachable/m);
    expect(down.stdout).toContain('Fix: start it: dossier service install');
  });
});
