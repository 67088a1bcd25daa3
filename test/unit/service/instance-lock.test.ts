/**
 * The state dir's PID lock: a live dossier holder refuses a second daemon by
 * PID; a dead holder, a reused PID and garbage are stale and replaced;
 * release removes only our own file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireInstanceLock, PID_FILE_NAME, type ProcessProbe } from '../../../daemon/service/instance-lock.js';
import { tempDirsPerTest } from '../../support/temp-dirs.js';

const home = tempDirsPerTest('dsr-lock-');
function probe(processes: Record<number, string | null>): ProcessProbe {
  return { alive: (pid) => pid in processes, commandLine: (pid) => processes[pid] ?? null };
}

describe('instance lock', () => {
  it('writes our PID and refuses a second daemon, naming the first one', () => {
    const h = home();
    const lock = acquireInstanceLock(h, 100, probe({ 100: 'node /x/bin/dossier.js daemon' }));
    expect(readFileSync(join(h, PID_FILE_NAME), 'utf8')).toBe('100\n');
    expect(() => acquireInstanceLock(h, 200, probe({ 100: 'node /x/bin/dossier.js daemon', 200: 'node dossier' }))).toThrow(
      new RegExp(`another dossier daemon \\(PID 100\\) is already running with the state directory ${h}`),
    );
    lock.release();
    expect(existsSync(join(h, PID_FILE_NAME))).toBe(false);
    acquireInstanceLock(h, 200, probe({})).release();
  });

  it('replaces a stale file: dead holder, reused PID, garbage', () => {
    const h = home();
    const file = join(h, PID_FILE_NAME);
    for (const [content, processes] of [['100\n', {}], ['100\n', { 100: '/usr/sbin/sshd' }], ['not a pid', {}]] as const) {
      writeFileSync(file, content);
      const lock = acquireInstanceLock(h, 300, probe(processes));
      expect(readFileSync(file, 'utf8')).toBe('300\n');
      lock.release();
    }
  });

  it('a live PID without /proc is taken at its word', () => {
    const h = home();
    writeFileSync(join(h, PID_FILE_NAME), '100\n');
    expect(() => acquireInstanceLock(h, 300, probe({ 100: null }))).toThrow(/PID 100/);
  });

  it('release leaves a file another daemon took over alone', () => {
    const h = home();
    const lock = acquireInstanceLock(h, 100, probe({}));
    writeFileSync(join(h, PID_FILE_NAME), '999\n');
    lock.release();
    expect(readFileSync(join(h, PID_FILE_NAME), 'utf8')).toBe('999\n');
  });
});
