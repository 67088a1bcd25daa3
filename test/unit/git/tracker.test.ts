import { describe, expect, it } from 'vitest';
import type { CwdSighting } from '../../../collectors/git/config.js';
import { SightingTracker } from '../../../collectors/git/tracker.js';
import { TtlCache } from '../../../collectors/git/ttl-cache.js';

const seen = (session_id: string, cwd: string, at: number): CwdSighting => ({ session_id, cwd, at, framework: 'claude_code' });

describe('SightingTracker', () => {
  it('collapses a burst per (session, cwd) and ignores older activity', () => {
    const t = new SightingTracker(10);
    expect(t.note(seen('s1', '/a', 100))).toBe('new');
    expect(t.note(seen('s1', '/a', 90))).toBe('ignored');
    expect(t.note(seen('s1', '/a', 100))).toBe('ignored');
    expect(t.note(seen('s1', '/a', 110))).toBe('updated');
    expect(t.note(seen('s1', '/b', 50))).toBe('new');
    expect(t.note(seen('s2', '/a', 50))).toBe('new');
    expect(t.size).toBe(3);
    expect(t.due(0).map((e) => e.sighting.at)).toEqual([110, 50, 50]);
  });

  it('waits for notBefore and re-resolves only newer activity', () => {
    const t = new SightingTracker(10);
    t.note(seen('s', '/a', 100));
    const [entry] = t.due(1000);
    entry!.resolvedAt = 100;
    entry!.notBefore = 2000;
    expect(t.due(1000)).toEqual([]);
    expect(t.nextDueIn(1000)).toBeNull();
    t.note(seen('s', '/a', 150));
    expect(t.due(1000)).toEqual([]);
    expect(t.nextDueIn(1000)).toBe(1000);
    expect(t.due(2000)).toHaveLength(1);
    expect(t.pending()).toBe(1);
  });

  it('drops new pairs beyond its bound and prunes old resolved ones', () => {
    const t = new SightingTracker(2);
    t.note(seen('s1', '/a', 10));
    t.note(seen('s2', '/a', 20));
    expect(t.note(seen('s3', '/a', 30))).toBe('dropped');
    for (const entry of t.due(0)) entry.resolvedAt = entry.sighting.at;
    t.prune(15);
    expect(t.size).toBe(1);
    expect(t.note(seen('s3', '/a', 30))).toBe('new');
  });
});

describe('TtlCache', () => {
  it('expires entries and evicts the oldest when full', () => {
    const c = new TtlCache<number>(100, 2);
    c.set('a', 1, 0);
    c.set('b', 2, 0);
    expect(c.get('a', 99)).toBe(1);
    expect(c.get('a', 100)).toBeUndefined();
    c.set('c', 3, 0);
    c.set('d', 4, 0);
    expect(c.get('b', 1)).toBeUndefined();
    expect(c.get('d', 1)).toBe(4);
    expect(c.size).toBe(2);
  });
});
