/**
 * The daemon's log output: the file rotates by size keeping a fixed number
 * of old files, nothing is lost across a rotation, and a terminal gets
 * readable lines while the file keeps JSON.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingLogFile } from '../../../daemon/service/log-file.js';
import { prettyLogLine } from '../../../daemon/service/pretty-log.js';
import { createRootLogger } from '../../../daemon/logger.js';
import { tempDirsPerTest } from '../../support/temp-dirs.js';

const dir = tempDirsPerTest('dsr-log-');

describe('rotating log file', () => {
  it('rotates past the size, keeps the newest files, and loses no line in between', () => {
    const path = join(dir(), 'logs', 'dossier.log');
    const file = new RotatingLogFile(path, { maxBytes: 100, keep: 2 });
    const lines = Array.from({ length: 20 }, (_, i) => `line ${String(i).padStart(2, '0')} ${'x'.repeat(20)}\n`);
    for (const line of lines) file.write(line);
    file.close();
    expect(readdirSync(join(path, '..')).sort()).toEqual(['dossier.log', 'dossier.log.1', 'dossier.log.2']);
    const kept = [`${path}.2`, `${path}.1`, path].map((p) => readFileSync(p, 'utf8')).join('');
    // The newest lines, in order, with nothing missing at the seams.
    expect(lines.join('').endsWith(kept)).toBe(true);
    for (const p of [path, `${path}.1`]) expect(readFileSync(p, 'utf8').length).toBeLessThanOrEqual(100);
  });

  it('appends to an existing file and counts its size', () => {
    const path = join(dir(), 'd.log');
    const first = new RotatingLogFile(path, { maxBytes: 50, keep: 1 });
    first.write(`${'a'.repeat(40)}\n`);
    first.close();
    const second = new RotatingLogFile(path, { maxBytes: 50, keep: 1 });
    second.write(`${'b'.repeat(20)}\n`);
    second.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'a'.repeat(40)}\n`);
    expect(readFileSync(path, 'utf8')).toBe(`${'b'.repeat(20)}\n`);
    expect(existsSync(`${path}.2`)).toBe(false);
  });

  it('takes the root logger\'s JSON lines', () => {
    const path = join(dir(), 'd.log');
    const file = new RotatingLogFile(path);
    const logger = createRootLogger('info', file);
    logger.child({ component: 'otlp' }).info({ port: 4318 }, 'listening');
    logger.debug('hidden');
    file.close();
    const records = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ msg: 'listening', component: 'otlp', port: 4318, level: 30 });
  });
});

describe('pretty log lines', () => {
  it('shows time, level, component, message and the other fields', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 2, 3, 4, 5, 678), pid: 1, hostname: 'h', name: 'dossier', component: 'store', msg: 'slow', ms: 12, path: '/x' });
    expect(prettyLogLine(`${line}\n`)).toBe('03:04:05.678 WARN  [store] slow ms=12 path=/x\n');
    expect(prettyLogLine('not json')).toBe('not json\n');
  });
});
