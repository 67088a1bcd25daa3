/**
 * The service managers against a scripted `systemctl` / `launchctl`: install
 * is idempotent (an unchanged unit is only started, a changed one reloaded
 * and restarted), uninstall stops before removing, status reads the
 * manager's own report.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LaunchdManager } from '../../../daemon/service/launchd-manager.js';
import type { CommandResult, CommandRunner } from '../../../daemon/service/runner.js';
import { buildServiceSpec } from '../../../daemon/service/spec.js';
import { SystemdManager, parseProperties } from '../../../daemon/service/systemd-manager.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A runner that records every call and answers from `reply` (default: success, no output). */
function scripted(reply: (line: string) => Partial<CommandResult> = () => ({})): { runner: CommandRunner; calls: string[] } {
  const calls: string[] = [];
  const runner: CommandRunner = async (command, args) => {
    const line = [command, ...args].join(' ');
    calls.push(line);
    return { code: 0, stdout: '', stderr: '', ...reply(line) };
  };
  return { runner, calls };
}

function setup(platform: 'linux' | 'darwin', env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'dsr-svcm-'));
  dirs.push(home);
  // A fixed systemd version: the scripted runner stands in for systemctl, so the real one is never asked.
  const spec = buildServiceSpec({ platform, env: { PATH: '/usr/bin', XDG_STATE_HOME: join(home, 'state'), ...env }, execPath: '/usr/bin/node', scriptPath: '/opt/dossier/bin/dossier.js', userHome: home, realpath: (p) => p, systemdVersion: 252 });
  return { home, spec };
}

describe('systemd manager', () => {
  it('first install writes the unit, reloads, enables and restarts', async () => {
    const { spec } = setup('linux');
    const { runner, calls } = scripted();
    const done = await new SystemdManager(spec, runner).install();
    expect(done.file).toBe('created');
    expect(calls).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable dossier.service', 'systemctl --user restart dossier.service']);
    expect(readFileSync(spec.unitPath, 'utf8')).toBe(new SystemdManager(spec, runner).render());
  });

  it('a repeated install changes nothing and only makes sure the unit runs', async () => {
    const { spec } = setup('linux');
    await new SystemdManager(spec, scripted().runner).install();
    const { runner, calls } = scripted();
    const done = await new SystemdManager(spec, runner).install();
    expect(done.file).toBe('unchanged');
    expect(calls).toEqual(['systemctl --user enable dossier.service', 'systemctl --user start dossier.service']);
  });

  it('an install with different settings updates the unit and restarts it', async () => {
    const { spec } = setup('linux');
    await new SystemdManager(spec, scripted().runner).install();
    const { runner, calls } = scripted();
    const changed = { ...spec, dossierHome: '/elsewhere' };
    const done = await new SystemdManager(changed, runner).install();
    expect(done.file).toBe('updated');
    expect(calls.at(-1)).toBe('systemctl --user restart dossier.service');
    expect(readFileSync(spec.unitPath, 'utf8')).toContain('DOSSIER_HOME=/elsewhere');
  });

  it('a failing systemctl is an error quoting the command and its stderr', async () => {
    const { spec } = setup('linux');
    const { runner } = scripted((line) => (line.includes('enable') ? { code: 1, stderr: 'Failed to connect to bus' } : {}));
    await expect(new SystemdManager(spec, runner).install()).rejects.toThrow(/systemctl --user enable dossier.service` failed: Failed to connect to bus/);
    const missing = scripted(() => ({ code: 127 }));
    await expect(new SystemdManager(spec, missing.runner).install()).rejects.toThrow(/systemctl not found/);
  });

  it('uninstall stops and disables before removing, and is a no-op when nothing is installed', async () => {
    const { spec } = setup('linux');
    await new SystemdManager(spec, scripted().runner).install();
    const { runner, calls } = scripted();
    const done = await new SystemdManager(spec, runner).uninstall();
    expect(done.removed).toBe(true);
    expect(existsSync(spec.unitPath)).toBe(false);
    expect(calls).toEqual(['systemctl --user disable --now dossier.service', 'systemctl --user daemon-reload']);
    const again = scripted();
    expect((await new SystemdManager(spec, again.runner).uninstall()).removed).toBe(false);
    expect(again.calls).toEqual([]);
  });

  it('logs: the daemon\'s own log file when there is one, else the journal', async () => {
    const { spec } = setup('linux');
    const journal = scripted((line) => (line.startsWith('journalctl') ? { stdout: 'from journal\n' } : {}));
    expect(await new SystemdManager(spec, journal.runner).logs(5)).toBe('from journal\n');
    expect(journal.calls).toEqual(['journalctl --user --unit dossier.service --lines 5 --no-pager --output cat']);
    mkdirSync(spec.logDir, { recursive: true });
    writeFileSync(join(spec.logDir, 'dossier.log'), 'a\nb\nc\n');
    const fileOnly = scripted();
    expect(await new SystemdManager(spec, fileOnly.runner).logs(2)).toBe('b\nc\n');
    expect(fileOnly.calls).toEqual([]);
  });

  it('status reads loaded, running, pid and restarts from systemctl show', async () => {
    const { spec } = setup('linux');
    const show = 'LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=4242\nNRestarts=3\n';
    const state = await new SystemdManager(spec, scripted(() => ({ stdout: show })).runner).state();
    expect(state).toMatchObject({ installed: false, loaded: true, running: true, pid: 4242 });
    expect(state.detail).toBe('active (running), 3 restarts');
    const down = await new SystemdManager(spec, scripted(() => ({ stdout: 'LoadState=not-found\nActiveState=inactive\nMainPID=0\n' })).runner).state();
    expect(down).toMatchObject({ loaded: false, running: false, pid: null });
    expect(parseProperties('A=b=c\nnoise\n')).toEqual({ A: 'b=c' });
  });
});

describe('launchd manager', () => {
  const loadedReply = (loaded: { value: boolean }) => (line: string) => (line.startsWith('launchctl print') && !loaded.value ? { code: 113 } : {});

  it('first install writes the plist and bootstraps it into the gui domain', async () => {
    const { spec } = setup('darwin');
    const { runner, calls } = scripted(loadedReply({ value: false }));
    const done = await new LaunchdManager(spec, runner, 501).install();
    expect(done.file).toBe('created');
    expect(calls).toEqual(['launchctl print gui/501/dev.dossier.daemon', `launchctl bootstrap gui/501 ${spec.unitPath}`]);
    expect(existsSync(spec.logDir)).toBe(true);
  });

  it('a repeated install of a loaded, unchanged plist runs nothing; a changed one is booted out and in again', async () => {
    const { spec } = setup('darwin');
    await new LaunchdManager(spec, scripted(loadedReply({ value: false })).runner, 501).install();
    const same = scripted(loadedReply({ value: true }));
    expect((await new LaunchdManager(spec, same.runner, 501).install()).file).toBe('unchanged');
    expect(same.calls).toEqual(['launchctl print gui/501/dev.dossier.daemon']);
    const changed = scripted(loadedReply({ value: true }));
    await new LaunchdManager({ ...spec, args: ['daemon', '--log-level', 'debug'] }, changed.runner, 501).install();
    expect(changed.calls.slice(1)).toEqual(['launchctl bootout gui/501/dev.dossier.daemon', `launchctl bootstrap gui/501 ${spec.unitPath}`]);
  });

  it('uninstall boots out a loaded agent and removes the plist', async () => {
    const { spec } = setup('darwin');
    await new LaunchdManager(spec, scripted(loadedReply({ value: false })).runner, 501).install();
    const { runner, calls } = scripted(loadedReply({ value: true }));
    expect((await new LaunchdManager(spec, runner, 501).uninstall()).removed).toBe(true);
    expect(calls).toEqual(['launchctl print gui/501/dev.dossier.daemon', 'launchctl bootout gui/501/dev.dossier.daemon']);
    expect(existsSync(spec.unitPath)).toBe(false);
  });

  it('status reads state and pid from launchctl print; logs tail the stderr file', async () => {
    const { spec } = setup('darwin');
    const printed = 'gui/501/dev.dossier.daemon = {\n\tstate = running\n\tpid = 777\n}\n';
    const state = await new LaunchdManager(spec, scripted(() => ({ stdout: printed })).runner, 501).state();
    expect(state).toMatchObject({ loaded: true, running: true, pid: 777, detail: 'running' });
    const manager = new LaunchdManager(spec, scripted().runner, 501);
    await manager.install();
    writeFileSync(join(spec.logDir, 'launchd.err.log'), 'one\ntwo\nthree\n');
    expect(await manager.logs(2)).toBe('two\nthree\n');
  });
});
