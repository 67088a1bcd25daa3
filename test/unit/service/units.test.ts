/**
 * The generated service files: the systemd unit passes `systemd-analyze
 * verify` (where the tool exists) and quotes awkward paths; the launchd plist
 * is well-formed XML with the keys launchd requires (checked by Python's
 * plistlib where present, and by a tag walk always).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXml, renderLaunchdPlist } from '../../../daemon/service/launchd-plist.js';
import { buildServiceSpec, servicePath, type ServiceSpec } from '../../../daemon/service/spec.js';
import { quoteEnvAssignment, quoteExecArg, renderSystemdUnit } from '../../../daemon/service/systemd-unit.js';
import { parseSystemdVersion } from '../../../daemon/service/systemd-version.js';
import { tempDirsPerTest } from '../../support/temp-dirs.js';

const tempDir = tempDirsPerTest('dsr-svc-');

function spec(platform: 'linux' | 'darwin', env: Record<string, string> = {}, systemdVersion: number | null = 252): ServiceSpec {
  return buildServiceSpec({
    systemdVersion,
    platform,
    env: { PATH: '/home/u/.nvm/versions/node/v20/bin:/usr/bin:relative/bin:/usr/bin', ...env },
    execPath: '/home/u/.nvm/versions/node/v20/bin/node',
    scriptPath: '/home/u/src/dossier/bin/dossier.js',
    userHome: '/home/u',
    realpath: (p) => p,
  });
}

function hasTool(tool: string, args: string[]): boolean {
  return spawnSync(tool, args, { stdio: 'ignore' }).status === 0;
}

describe('service spec', () => {
  it('puts node first on PATH, drops relative and repeated entries, and keeps the system dirs', () => {
    expect(servicePath('/opt/node/bin/node', '/usr/bin:rel:/opt/node/bin:/usr/bin')).toBe('/opt/node/bin:/usr/bin:/usr/local/bin:/bin');
  });

  it('places the systemd unit under XDG_CONFIG_HOME and the plist in LaunchAgents', () => {
    expect(spec('linux').unitPath).toBe('/home/u/.config/systemd/user/dossier.service');
    expect(spec('linux', { XDG_CONFIG_HOME: '/cfg' }).unitPath).toBe('/cfg/systemd/user/dossier.service');
    expect(spec('darwin').unitPath).toBe('/home/u/Library/LaunchAgents/dev.dossier.daemon.plist');
    expect(spec('darwin').logDir).toBe('/home/u/Library/Application Support/dossier/logs');
  });

  it('refuses other platforms with a message naming them', () => {
    expect(() => spec('win32' as 'linux')).toThrow(/not win32/);
  });

  it('passes DOSSIER_HOME and DOSSIER_SOCKET on only when set', () => {
    expect(spec('linux').dossierHome).toBeUndefined();
    const s = spec('linux', { DOSSIER_HOME: '/data/dossier', DOSSIER_SOCKET: '/run/d.sock' });
    expect(s.dossierHome).toBe('/data/dossier');
    expect(s.dossierSocket).toBe('/run/d.sock');
    expect(s.logDir).toBe('/data/dossier/logs');
  });
});

describe('systemd unit', () => {
  it('runs node with the dossier script, restarts on failure forever, and starts at login', () => {
    const unit = renderSystemdUnit(spec('linux'));
    expect(unit).toContain('ExecStart="/home/u/.nvm/versions/node/v20/bin/node" "/home/u/src/dossier/bin/dossier.js" "daemon"\n');
    expect(unit).toContain('Environment="PATH=/home/u/.nvm/versions/node/v20/bin:/usr/bin:/usr/local/bin:/bin"\n');
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartSec=\d+$/m);
    expect(unit).toMatch(/^StartLimitIntervalSec=0$/m);
    expect(unit).toMatch(/^WantedBy=default.target$/m);
    expect(unit).not.toContain('DOSSIER_HOME');
  });

  it('grows the restart delay from 1 s to 5 min on systemd 254 and later, and keeps a fixed 5 s where the keys are unknown', () => {
    const restartLines = (version: number | null) => renderSystemdUnit(spec('linux', {}, version)).split('\n').filter((l) => l.startsWith('Restart'));
    expect(restartLines(256)).toEqual(['Restart=on-failure', 'RestartSec=1', 'RestartSteps=9', 'RestartMaxDelaySec=300']);
    expect(restartLines(254)).toContain('RestartSteps=9');
    expect(restartLines(253)).toEqual(['Restart=on-failure', 'RestartSec=5']);
    expect(restartLines(null)).toEqual(['Restart=on-failure', 'RestartSec=5']);
  });

  it('reads the major version from systemctl --version', () => {
    expect(parseSystemdVersion('systemd 252 (252.38-1~deb12u1)\n+PAM +AUDIT -SELINUX\n')).toBe(252);
    expect(parseSystemdVersion('systemd 256 (256.7-arch1-1)\n')).toBe(256);
    expect(parseSystemdVersion('not systemd\n')).toBeNull();
    expect(parseSystemdVersion('')).toBeNull();
  });

  it('escapes quotes, backslashes, specifiers and variables the way systemd reads them', () => {
    expect(quoteExecArg('/a b/100%/$HOME/"q"\\')).toBe('"/a b/100%%/$$HOME/\\"q\\"\\\\"');
    expect(quoteEnvAssignment('X=/a b/50%/$y')).toBe('"X=/a b/50%%/$y"');
  });

  it('passes systemd-analyze verify, even with spaces and % in the paths', () => {
    if (!hasTool('systemd-analyze', ['--version'])) return;
    const dir = tempDir();
    const bin = join(dir, 'my node 100%');
    execFileSync('mkdir', ['-p', bin]);
    const node = join(bin, 'node');
    writeFileSync(node, '#!/bin/sh\n', { mode: 0o755 });
    const s = buildServiceSpec({ platform: 'linux', env: { PATH: '/usr/bin', DOSSIER_HOME: join(dir, 'state $x') }, execPath: node, scriptPath: join(dir, 'dossier.js'), userHome: dir, realpath: (p) => p });
    const unitFile = join(dir, 'dossier.service');
    writeFileSync(unitFile, renderSystemdUnit(s));
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', unitFile], { encoding: 'utf8' });
    // Complaints about the host (no user manager in a container) are not about our file; anything naming it is.
    const aboutOurFile = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.includes('dossier.service'));
    expect(aboutOurFile).toEqual([]);
  });
});

describe('launchd plist', () => {
  const required = ['Label', 'ProgramArguments', 'RunAtLoad', 'KeepAlive', 'EnvironmentVariables', 'StandardErrorPath'];

  it('has the keys launchd needs, with restart-on-failure and the program arguments in order', () => {
    const plist = renderLaunchdPlist(spec('darwin'));
    for (const key of required) expect(plist).toContain(`<key>${key}</key>`);
    expect(plist).toMatch(/<key>Label<\/key>\s*<string>dev\.dossier\.daemon<\/string>/);
    expect(plist).toMatch(/<array>\s*<string>\/home\/u\/\.nvm\/versions\/node\/v20\/bin\/node<\/string>\s*<string>\/home\/u\/src\/dossier\/bin\/dossier\.js<\/string>\s*<string>daemon<\/string>\s*<\/array>/);
    expect(plist).toMatch(/<key>SuccessfulExit<\/key>\s*<false\/>/);
    expect(wellFormed(plist)).toBe(true);
  });

  it('escapes XML in paths, so the file stays well-formed', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    const plist = renderLaunchdPlist(spec('darwin', { DOSSIER_HOME: '/Users/u/R&D <x>' }));
    expect(plist).toContain('<string>/Users/u/R&amp;D &lt;x&gt;</string>');
    expect(wellFormed(plist)).toBe(true);
  });

  it('parses as a property list with the same values (Python plistlib, where present)', () => {
    if (!hasTool('python3', ['-c', 'import plistlib'])) return;
    const s = spec('darwin', { DOSSIER_HOME: '/Users/u/R&D' });
    const parsed = JSON.parse(
      execFileSync('python3', ['-c', 'import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], { input: renderLaunchdPlist(s), encoding: 'utf8' }),
    ) as Record<string, unknown>;
    expect(parsed.Label).toBe('dev.dossier.daemon');
    expect(parsed.ProgramArguments).toEqual([s.nodePath, s.scriptPath, 'daemon']);
    expect(parsed.RunAtLoad).toBe(true);
    expect(parsed.KeepAlive).toEqual({ SuccessfulExit: false });
    expect(parsed.EnvironmentVariables).toEqual({ PATH: s.pathEnv, DOSSIER_HOME: '/Users/u/R&D' });
  });
});

/** Every element closes in order and no raw `&` or `<` appears in text: enough to catch broken escaping. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*<!DOCTYPE[^>]*>/, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z]+)[^>]*?(\/?)>|([^<]+)/g)) {
    if (m[4] !== undefined) {
      if (/&(?!amp;|lt;|gt;|quot;|apos;)/.test(m[4])) return false;
      continue;
    }
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
}
