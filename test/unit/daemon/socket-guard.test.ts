import { existsSync, lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimSocketPath, probeSocket } from '../../../daemon/socket-guard.js';
import { makeStaleSocket } from './stale-socket.js';

describe('claimSocketPath', () => {
  let dir: string;
  let live: Server | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dguard-'));
  });
  afterEach(async () => {
    if (live) await new Promise<void>((r) => live!.close(() => r()));
    live = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is free when nothing is there', async () => {
    expect(await claimSocketPath(join(dir, 'none.sock'))).toBe('free');
  });

  it('removes a stale socket file nobody answers on', async () => {
    const path = join(dir, 'stale.sock');
    makeStaleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(await probeSocket(path)).toBe('refused');
    expect(await claimSocketPath(path)).toBe('removed-stale');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses, naming the path, when something answers', async () => {
    const path = join(dir, 'live.sock');
    live = createServer((c) => c.end());
    await new Promise<void>((r) => live!.listen(path, r));
    await expect(claimSocketPath(path)).rejects.toMatchObject({ code: 'DOSSIER_E_DAEMON_RUNNING', message: expect.stringContaining(path) });
    expect(existsSync(path)).toBe(true);
  });

  it('never removes a file that is not a socket', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'precious');
    await expect(claimSocketPath(path)).rejects.toMatchObject({ code: 'DOSSIER_E_CONFIG_INVALID', message: expect.stringContaining('is not a socket') });
    expect(existsSync(path)).toBe(true);
  });
});
