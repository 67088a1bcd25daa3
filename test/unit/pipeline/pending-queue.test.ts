import { describe, expect, it } from 'vitest';
import { attributeResults } from '../../../core/pipeline/attribution.js';
import { PendingQueue, type PendingSubmission } from '../../../core/pipeline/pending-queue.js';
import type { NormalizedEvent } from '../../../schema/index.js';

const tagOf = new WeakMap<PendingSubmission, string>();

function submission(size: number, tag: string): PendingSubmission {
  const s: PendingSubmission = { batch: { events: new Array<NormalizedEvent>(size) }, resolve: () => {}, reject: () => {} };
  tagOf.set(s, tag);
  return s;
}

function tags(list: PendingSubmission[]): (string | undefined)[] {
  return list.map((s) => tagOf.get(s));
}

describe('PendingQueue', () => {
  it('tracks depth in events and takes whole submissions in order up to a limit', () => {
    const q = new PendingQueue(100);
    for (const [size, tag] of [[4, 'a'], [4, 'b'], [0, 'checkpoint-only'], [30, 'c'], [1, 'd']] as const) q.push(submission(size, tag));
    expect(q.depth).toBe(39);
    expect(q.wouldOverflow(62)).toBe(true);
    expect(q.wouldOverflow(61)).toBe(false);
    expect(tags(q.take(10))).toEqual(['a', 'b', 'checkpoint-only']);
    // One submission larger than the limit still comes out, alone.
    expect(tags(q.take(10))).toEqual(['c']);
    expect(q.depth).toBe(1);
    expect(tags(q.takeAll())).toEqual(['d']);
    expect(q.isEmpty).toBe(true);
    expect(q.take(10)).toEqual([]);
  });

  it('keeps FIFO order across many pushes and takes', () => {
    const q = new PendingQueue(1_000_000);
    const out: (string | undefined)[] = [];
    for (let i = 0; i < 5_000; i++) {
      q.push(submission(1, String(i)));
      if (i % 3 === 0) out.push(...tags(q.take(2)));
    }
    out.push(...tags(q.takeAll()));
    expect(out).toEqual(Array.from({ length: 5_000 }, (_, i) => String(i)));
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new PendingQueue(0)).toThrow(RangeError);
    expect(() => new PendingQueue(1.5)).toThrow(RangeError);
  });
});

describe('attributeResults', () => {
  it('gives each submission the counts of its own slice of flags', () => {
    expect(attributeResults([2, 0, 3], [true, false, true, true, false])).toEqual([
      { received: 2, inserted: 1, duplicates: 1 },
      { received: 0, inserted: 0, duplicates: 0 },
      { received: 3, inserted: 2, duplicates: 1 },
    ]);
  });

  it('refuses flags that do not match the events sent', () => {
    expect(() => attributeResults([2], [true])).toThrow(RangeError);
  });
});
