/**
 * `dossier service` argument handling and `--print`, which shows the unit
 * and writes nothing (installing needs a real service manager, covered by
 * the manager tests with a scripted one).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { command, formatServiceStatus, parse } from '../../../daemon/cli/service.js';
import { recordingIo } from '../daemon/cli/fake-daemon.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('dossier service arguments', () => {
  it('takes one of the four actions', () => {
    expect(parse(['install']).action).toBe('install');
    expect(parse(['logs', '--lines', '5']).lines).toBe(5);
    expect(parse(['--print']).action).toBe('install');
    expect(() => parse([])).toThrow(/missing action/);
    expect(() => parse(['restart'])).toThrow(/unknown action "restart"/);
    expect(() => parse(['status', 'extra'])).toThrow(/unexpected argument "extra"/);
  });

  it('builds another platform\'s unit only for printing', () => {
    expect(parse(['install', '--print', '--platform', 'darwin']).platform).toBe('darwin');
    expect(() => parse(['install', '--platform', 'plan9', '--print'])).toThrow(/--platform: must be one of linux, darwin \(got "plan9"\)/);
    const other = process.platform === 'darwin' ? 'linux' : 'darwin';
    expect(() => parse(['install', '--platform', other])).toThrow(/needs --print/);
  });
});

describe('dossier service --print', () => {
  it('prints the unit for the platform and writes no file', async () => {
    const config = mkdtempSync(join(tmpdir(), 'dsr-svcp-'));
    dirs.push(config);
    const io = recordingIo({ env: { XDG_CONFIG_HOME: config, PATH: '/usr/bin', DOSSIER_HOME: '/data/d' } });
    expect(await command.run(parse(['install', '--print', '--platform', 'linux']), io)).toBe(0);
    expect(io.out()).toContain('[Service]');
    expect(io.out()).toContain('Environment="DOSSIER_HOME=/data/d"');
    expect(existsSync(join(config, 'systemd'))).toBe(false);
    const mac = recordingIo({ env: { PATH: '/usr/bin' } });
    await command.run(parse(['--print', '--platform', 'darwin', '--json']), mac);
    const printed = JSON.parse(mac.out()) as { unit_path: string; text: string };
    expect(printed.unit_path).toMatch(/LaunchAgents\/dev\.dossier\.daemon\.plist$/);
    expect(printed.text).toContain('<key>ProgramArguments</key>');
  });
});

describe('service status text', () => {
  it('says what to do next when the unit is missing or stopped', () => {
    const base = { unitPath: '/u/dossier.service', installed: false, loaded: false, running: false, pid: null, detail: 'inactive (dead), 0 restarts' };
    const down = { healthy: false, version: null, pid: null, error: 'no answer' };
    expect(formatServiceStatus(base, down)).toContain('Try: dossier service install');
    expect(formatServiceStatus({ ...base, installed: true }, down)).toContain('Try: dossier service logs');
    const up = formatServiceStatus({ ...base, installed: true, loaded: true, running: true, pid: 9 }, { healthy: true, version: '0.1.0', pid: 9, error: null });
    expect(up).toContain('healthy, version 0.1.0, pid 9');
    expect(up).not.toContain('Try:');
  });
});
