/**
 * Human log lines for a terminal: `12:34:56.789 INFO  [otlp] listening
 * port=4318`. The JSON line stays the record (file, journal); this is only
 * how a person running `dossier daemon` in a terminal sees it.
 */
import { writeSync } from 'node:fs';
import type { LogDestination } from '../logger.js';

/**
 * The daemon's log destination: every JSON line to the file (when there is
 * one) and to stderr, as JSON for a service manager or pretty on a terminal.
 */
export function daemonLogDestination(file: LogDestination | null, prettyStderr: boolean): LogDestination {
  return {
    write(line) {
      file?.write(line);
      writeSync(2, prettyStderr ? prettyLogLine(line) : line);
    },
  };
}

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, shown in the prefix rather than repeated. */
const PREFIX_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'component']);

/** Formats one pino JSON line; a line that is not JSON is passed through. */
export function prettyLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[record.level as number] ?? String(record.level)).padEnd(5);
  const component = typeof record.component === 'string' ? ` [${record.component}]` : '';
  const extras = Object.entries(record)
    .filter(([key]) => !PREFIX_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${time} ${level}${component} ${String(record.msg ?? '')}${extras.length > 0 ? ` ${extras.join(' ')}` : ''}\n`;
}
