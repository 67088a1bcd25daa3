/**
 * Facts about one operating-system process: its parent, its start time (with
 * the pid, an identity that survives PID reuse), its executable and argv.
 * Linux reads `/proc`; macOS asks `ps`. Both the hook forwarder (on an
 * agent's hot path) and the liveness check use this file, so it imports only
 * Node built-ins and computes start times the same way in both.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parsePsLine } from './ps-parse.js';

/** One process, as far as the OS lets us see it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Start time in ms since epoch. */
  start_time: number;
  /** Absolute path of the executable, when the OS tells (not for other users' processes on Linux). */
  exe?: string;
  /** The process's argv; on macOS split on spaces (ps cannot tell the words apart). */
  argv: string[];
  /** True for a zombie: exited, not yet reaped by its parent. */
  zombie: boolean;
}

/**
 * Linux clock ticks per second in `/proc/<pid>/stat` (USER_HZ). The kernel
 * fixes it at 100 on every architecture Node ships for; reading it would
 * mean spawning `getconf`.
 */
const USER_HZ = 100;

/** The boot time (ms since epoch) `/proc/<pid>/stat` start ticks count from; undefined off Linux. */
export function linuxBootTimeMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/stat', 'latin1');
    const match = /^btime (\d+)$/m.exec(stat);
    return match ? Number(match[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads one process. Returns null when no such process exists, undefined
 * when it could not tell (an unsupported platform, `ps` failing).
 * `bootMs` is {@link linuxBootTimeMs}, read once by callers that look at
 * several processes.
 */
export function readProcessInfo(pid: number, bootMs: number | undefined = linuxBootTimeMs()): ProcessInfo | null | undefined {
  if (!Number.isSafeInteger(pid) || pid < 1) return null;
  if (process.platform === 'linux') return readLinux(pid, bootMs);
  if (process.platform === 'darwin' || process.platform === 'freebsd') return readPs(pid);
  return undefined;
}

/**
 * Start time of a live, non-zombie process: a number; null when the process
 * is gone (or a zombie); undefined when it could not tell.
 */
export function readProcessStartTime(pid: number, bootMs: number | undefined = linuxBootTimeMs()): number | null | undefined {
  const info = readProcessInfo(pid, bootMs);
  if (info === null || info === undefined) return info;
  return info.zombie ? null : info.start_time;
}

function readLinux(pid: number, bootMs: number | undefined): ProcessInfo | null | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH' ? null : undefined;
  }
  if (bootMs === undefined) return undefined;
  // comm (field 2) may hold spaces and parentheses: fields resume after the LAST ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const ppid = Number(fields[1]);
  const startTicks = Number(fields[19]);
  if (!Number.isSafeInteger(ppid) || !Number.isSafeInteger(startTicks)) return undefined;
  const info: ProcessInfo = {
    pid,
    ppid,
    start_time: bootMs + Math.round((startTicks * 1000) / USER_HZ),
    argv: readArgv(pid),
    zombie: state === 'Z' || state === 'X',
  };
  try {
    info.exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    // Another user's process, or a kernel thread: argv still identifies it.
  }
  return info;
}

function readArgv(pid: number): string[] {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const words = raw.split('\0');
    if (words.at(-1) === '') words.pop();
    return words;
  } catch {
    return [];
  }
}

function readPs(pid: number): ProcessInfo | null | undefined {
  // Required lazily: Linux never needs it, and the forwarder pays for every module it loads.
  const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  let out: string;
  try {
    out = execFileSync('ps', ['-ww', '-o', 'ppid=,state=,lstart=,args=', '-p', String(pid)], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C', TZ: process.env.TZ ?? '' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
    });
  } catch (error) {
    // ps exits 1 when the pid matches nothing.
    return (error as { status?: number }).status === 1 ? null : undefined;
  }
  const line = out.split('\n').find((l) => l.trim() !== '');
  if (line === undefined) return null;
  const parsed = parsePsLine(line);
  if (parsed === undefined) return undefined;
  const info: ProcessInfo = { pid, ppid: parsed.ppid, start_time: parsed.start_time, argv: parsed.argv, zombie: parsed.state.startsWith('Z') };
  if (parsed.argv[0]?.startsWith('/')) info.exe = parsed.argv[0];
  return info;
}
