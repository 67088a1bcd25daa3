import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMachineId } from '../../../daemon/machine-id.js';

describe('loadMachineId', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dmid-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes the OS machine id instead of exposing it', () => {
    const osFile = join(dir, 'machine-id');
    writeFileSync(osFile, '0123456789abcdef0123456789abcdef\n');
    const id = loadMachineId({ osMachineIdPath: osFile, persistedPath: join(dir, 'persisted') });
    expect(id).toBe(createHash('sha256').update('0123456789abcdef0123456789abcdef').digest('hex'));
    expect(id).not.toContain('0123456789abcdef');
  });

  it('persists a random id with mode 0600 when the OS has none, and returns it again', () => {
    const persisted = join(dir, 'persisted');
    const first = loadMachineId({ osMachineIdPath: join(dir, 'missing'), persistedPath: persisted });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(persisted, 'utf8').trim()).toBe(first);
    expect(statSync(persisted).mode & 0o777).toBe(0o600);
    expect(loadMachineId({ osMachineIdPath: join(dir, 'missing'), persistedPath: persisted })).toBe(first);
  });

  it('ignores an empty OS machine id file', () => {
    const osFile = join(dir, 'empty');
    writeFileSync(osFile, '\n');
    const persisted = join(dir, 'persisted');
    const id = loadMachineId({ osMachineIdPath: osFile, persistedPath: persisted });
    expect(readFileSync(persisted, 'utf8').trim()).toBe(id);
  });
});
