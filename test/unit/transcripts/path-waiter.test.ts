/**
 * The waiter for missing directories on its own: it reports a path that
 * already exists at once, follows a path created level by level, climbs
 * back up (counting the loss) when its watched ancestor is deleted, and
 * stops reporting after close. Tests wait for conditions, never for time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PathWaiter } from '../../../collectors/transcripts/path-waiter.js';
import { pollUntil } from '../../support/poll.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup() {
  const parent = mkdtempSync(join(tmpdir(), 'dossier-path-waiter-'));
  const appeared: string[] = [];
  const failed: string[] = [];
  const waiter = new PathWaiter({ appeared: (t) => appeared.push(t), failed: (d) => failed.push(d) });
  cleanups.push(() => {
    waiter.close();
    rmSync(parent, { recursive: true, force: true });
  });
  return { parent, appeared, failed, waiter };
}

function until(check: () => boolean, what: string): Promise<void> {
  return pollUntil(what, check, { timeoutMs: 10_000, intervalMs: 5 });
}

describe('PathWaiter', () => {
  it('reports a path that already exists without watching', () => {
    const { parent, appeared, waiter } = setup();
    waiter.wait(parent);
    expect(appeared).toEqual([parent]);
    expect(waiter.size).toBe(0);
  });

  it('follows a path created one level at a time and reports it once', async () => {
    const { parent, appeared, failed, waiter } = setup();
    const target = join(parent, 'x', 'y', '.claude');
    waiter.wait(target);
    waiter.wait(target);
    expect(waiter.has(target)).toBe(true);
    mkdirSync(join(parent, 'x'));
    mkdirSync(join(parent, 'x', 'y'));
    mkdirSync(target);
    await until(() => appeared.length > 0, 'the target reported');
    expect(appeared).toEqual([target]);
    expect(waiter.size).toBe(0);
    expect(failed).toEqual([]);
  });

  it('ignores unrelated entries of the ancestor', async () => {
    const { parent, appeared, waiter } = setup();
    const target = join(parent, '.claude');
    waiter.wait(target);
    mkdirSync(join(parent, 'other'));
    mkdirSync(join(parent, '.claude-not'));
    mkdirSync(target);
    await until(() => appeared.length > 0, 'the target reported');
    expect(appeared).toEqual([target]);
  });

  it('climbs back up when the watched ancestor is deleted, counting it', async () => {
    const { parent, appeared, failed, waiter } = setup();
    const target = join(parent, 'a', 'b', '.claude');
    waiter.wait(target);
    mkdirSync(join(parent, 'a', 'b'), { recursive: true });
    // Wait until the waiter has moved down to a/b, then take a/ away.
    expect(waiter.watchedAncestor(target)).toBe(parent);
    await until(() => waiter.watchedAncestor(target) === join(parent, 'a', 'b'), 'the waiter down at a/b');
    rmSync(join(parent, 'a'), { recursive: true });
    await until(() => failed.length > 0, 'the lost ancestor counted');
    await until(() => waiter.watchedAncestor(target) === parent, 'the waiter back up at the parent');
    mkdirSync(target, { recursive: true });
    await until(() => appeared.length > 0, 'the target reported');
    expect(appeared).toEqual([target]);
  });

  it('reports nothing after close', async () => {
    const { parent, appeared, waiter } = setup();
    const target = join(parent, '.claude');
    waiter.wait(target);
    waiter.close();
    expect(waiter.size).toBe(0);
    mkdirSync(target);
    await new Promise((r) => setTimeout(r, 50));
    expect(appeared).toEqual([]);
  });
});
