/**
 * One daemon per state directory: a PID file created exclusively at start.
 * A second daemon on the same home fails with a message naming the first
 * one's PID; a file left by a daemon that died (SIGKILL, power loss) is
 * recognised as stale and replaced.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DossierError } from '../../schema/errors.js';

/** The PID file's name inside the state dir. */
export const PID_FILE_NAME = 'daemon.pid';

/** Facts about a process, injected so tests can model live, dead and reused PIDs. */
export interface ProcessProbe {
  /** True when a process with this PID exists (even if owned by someone else). */
  alive(pid: number): boolean;
  /** Its command line, or null when unknown (no /proc); used to tell PID reuse apart. */
  commandLine(pid: number): string | null;
}

/** The real probe: signal 0 and /proc/<pid>/cmdline. */
export const systemProbe: ProcessProbe = {
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  commandLine(pid) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      return null;
    }
  },
};

/** A held lock; `release` removes the file if it is still ours. */
export interface InstanceLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the state dir's lock for process `pid`. Throws
 * `DOSSIER_E_DAEMON_RUNNING` naming the holder's PID when another live
 * dossier daemon holds it.
 */
export function acquireInstanceLock(home: string, pid: number = process.pid, probe: ProcessProbe = systemProbe): InstanceLock {
  const path = join(home, PID_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(path, pid)) return { path, release: () => releaseIfOurs(path, pid) };
    const holder = readPid(path);
    if (holder !== null && holder !== pid && isDossierDaemon(holder, probe)) {
      throw new DossierError('DOSSIER_E_DAEMON_RUNNING', `another dossier daemon (PID ${holder}) is already running with the state directory ${home}`);
    }
    // Stale (dead holder, reused PID, our own PID from a previous life, or unreadable): replace it.
    removeQuietly(path);
  }
  throw new DossierError('DOSSIER_E_DAEMON_RUNNING', `could not take ${path}: another daemon keeps creating it`);
}

function isDossierDaemon(pid: number, probe: ProcessProbe): boolean {
  if (!probe.alive(pid)) return false;
  const cmd = probe.commandLine(pid);
  // Without /proc we cannot tell reuse apart; a live PID is then taken at its word.
  return cmd === null || /dossier/.test(cmd);
}

function tryCreate(path: string, pid: number): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readPid(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function releaseIfOurs(path: string, pid: number): void {
  if (readPid(path) === pid) removeQuietly(path);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
