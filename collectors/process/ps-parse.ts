/**
 * Parsing `ps -o ppid=,state=,lstart=,args=` lines (macOS, BSD), run with
 * `LC_ALL=C` so `lstart` is always `Thu Nov 21 12:04:05 2026` in local time.
 * Pure, so it is tested on any platform.
 */

/** One parsed `ps` line. */
export interface PsLine {
  ppid: number;
  state: string;
  /** ms since epoch; `lstart` has whole seconds. */
  start_time: number;
  /** args split on spaces: ps joins argv with spaces and cannot give the words back. */
  argv: string[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Parses one line; undefined when it does not have the expected shape.
 * `lstart` is local time, read with the process's own time zone (the same
 * zone `ps` printed it in).
 */
export function parsePsLine(line: string): PsLine | undefined {
  const m = /^\s*(\d+)\s+(\S+)\s+\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})\s*(.*)$/.exec(line);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[3]!);
  if (month < 0) return undefined;
  const start = new Date(Number(m[8]), month, Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])).getTime();
  if (!Number.isFinite(start)) return undefined;
  const args = m[9]!.trim();
  return { ppid: Number(m[1]), state: m[2]!, start_time: start, argv: args === '' ? [] : args.split(/\s+/) };
}
