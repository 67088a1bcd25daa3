/**
 * Process facts from the real OS (Linux /proc here; macOS `ps` is covered by
 * the parser test): this process, a child, a dead child, a zombie.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linuxBootTimeMs, readProcessInfo, readProcessStartTime } from '../../../collectors/process/proc-info.js';
import { parsePsLine } from '../../../collectors/process/ps-parse.js';

const onLinux = process.platform === 'linux';

describe.runIf(onLinux)('readProcessInfo on Linux', () => {
  it('reads this process: parent, start time, executable, argv', () => {
    const info = readProcessInfo(process.pid);
    expect(info).toBeTruthy();
    if (!info) return;
    expect(info.ppid).toBe(process.ppid);
    expect(info.exe).toBe(process.execPath);
    expect(info.argv[0]).toBeTruthy();
    expect(info.zombie).toBe(false);
    const startedAt = Date.now() - process.uptime() * 1000;
    expect(Math.abs(info.start_time - startedAt)).toBeLessThan(5_000);
  });

  it('gives the same start time on every read (it identifies the process)', () => {
    const boot = linuxBootTimeMs();
    expect(readProcessStartTime(process.pid, boot)).toBe(readProcessStartTime(process.pid, boot));
  });

  it('sees a child from its start until it is gone', async () => {
    const before = Date.now();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await once(child, 'spawn');
    const pid = child.pid!;
    const info = readProcessInfo(pid)!;
    expect(info.ppid).toBe(process.pid);
    expect(info.argv).toEqual(['sleep', '30']);
    expect(info.start_time).toBeGreaterThanOrEqual(before - 1_500);
    expect(info.start_time).toBeLessThanOrEqual(Date.now() + 1_500);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(readProcessStartTime(pid)).toBeNull();
  });

  it('reads a zombie as gone', () => {
    // `sleep 0` exits in the background; its parent becomes `sleep 5` (exec), which never reaps it.
    const out = spawnSync('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { timeout: 500, encoding: 'utf8' });
    const zombiePid = Number(out.stdout.trim());
    expect(zombiePid).toBeGreaterThan(1);
    // spawnSync killed `sleep 5` at the timeout, so the zombie was re-parented and reaped (or still a zombie): either way not alive.
    expect(readProcessStartTime(zombiePid)).toBeNull();
  });

  it('answers null for PIDs that cannot exist', () => {
    expect(readProcessInfo(0)).toBeNull();
    expect(readProcessInfo(-5)).toBeNull();
    expect(readProcessInfo(4_194_303)).toBeNull();
  });
});

describe('parsePsLine (macOS, BSD)', () => {
  it('reads ppid, state, local lstart and args', () => {
    const line = '  4321 S+   Thu Nov 21 12:04:05 2026     /usr/local/bin/claude --resume abc --fork-session';
    const parsed = parsePsLine(line)!;
    expect(parsed.ppid).toBe(4321);
    expect(parsed.state).toBe('S+');
    expect(parsed.start_time).toBe(new Date(2026, 10, 21, 12, 4, 5).getTime());
    expect(parsed.argv).toEqual(['/usr/local/bin/claude', '--resume', 'abc', '--fork-session']);
  });

  it('reads single-digit days and empty args', () => {
    expect(parsePsLine('1 Ss Mon Mar  3 09:00:00 2025')).toEqual({
      ppid: 1,
      state: 'Ss',
      start_time: new Date(2025, 2, 3, 9, 0, 0).getTime(),
      argv: [],
    });
  });

  it('refuses lines of another shape', () => {
    expect(parsePsLine('')).toBeUndefined();
    expect(parsePsLine('abc S Thu Nov 21 12:04:05 2026 x')).toBeUndefined();
    expect(parsePsLine('12 S Thu Foo 21 12:04:05 2026 x')).toBeUndefined();
  });
});
