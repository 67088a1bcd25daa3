/**
 * Linux process figures for the benchmarks, read from /proc: CPU time of a
 * whole process and of each of its threads, and its resident size. The one
 * place the suites read /proc, so every figure is parsed the same way.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

/** Clock ticks per second of /proc/<pid>/stat times (usually 100). */
function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The command name and user + system CPU seconds of one `stat` file (of a process or a thread). */
function readStat(path: string): { name: string; seconds: number } {
  const stat = readFileSync(path, 'utf8');
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  // After the command: state is field 3, utime field 14, stime field 15 (1-based) → indices 11 and 12 here.
  return { name: stat.slice(stat.indexOf('(') + 1, close), seconds: (Number(fields[11]) + Number(fields[12])) / clockTicks() };
}

/** User + system CPU seconds a process has used so far (all its threads). Throws without /proc. */
export function cpuSeconds(pid: number): number {
  return readStat(`/proc/${pid}/stat`).seconds;
}

/**
 * Each thread of a process by thread id (the main thread's id is the pid):
 * its name and CPU seconds so far. Empty without /proc; a thread that ends
 * between the listing and its read is left out.
 */
export function threadCpuSeconds(pid: number): Map<number, { name: string; seconds: number }> {
  const out = new Map<number, { name: string; seconds: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      out.set(Number(tid), readStat(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // The thread ended after the listing.
    }
  }
  return out;
}

/**
 * Peak (VmHWM) and current (VmRSS) resident size in MB, and the current
 * split: anonymous memory (heaps, caches) and file pages mapped in (the node
 * binary, the database the API readers map). Throws without /proc.
 */
export function rssMb(pid: number): { peak: number; current: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kb('VmHWM') / 1024, current: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 };
}

/** True when /proc can be read (Linux). */
export function hasProc(): boolean {
  try {
    readFileSync(`/proc/${process.pid}/stat`);
    return true;
  } catch {
    return false;
  }
}
