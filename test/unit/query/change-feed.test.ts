import { describe, expect, it } from 'vitest';
import { ChangeFeed, decodePosition, encodePosition } from '../../../core/query/change-feed.js';

describe('ChangeFeed', () => {
  it('numbers changes, tells listeners in order, and replays the latest change per session after a position', () => {
    const feed = new ChangeFeed({ epoch: 'e1' });
    const heard: string[] = [];
    const off = feed.subscribe({ changes: (changes) => heard.push(...changes.map((c) => `${c.seq}:${c.session_id}`)), reset: () => heard.push('reset') });
    feed.record(['a', 'b']);
    feed.record([]);
    feed.record(['a']);
    off();
    feed.record(['c']);
    expect(heard).toEqual(['1:a', '2:b', '3:a']);
    expect(feed.head).toBe(4);
    expect(feed.replayAfter('e1', 1)).toEqual({ kind: 'replay', changes: [{ seq: 2, session_id: 'b' }, { seq: 3, session_id: 'a' }, { seq: 4, session_id: 'c' }] });
    expect(feed.replayAfter('e1', 4)).toEqual({ kind: 'replay', changes: [] });
    expect(feed.replayAfter('e1', 0)).toMatchObject({ kind: 'replay' });
  });

  it('refuses positions from another epoch, from the future, or older than what it keeps', () => {
    const feed = new ChangeFeed({ epoch: 'e2', capacity: 4 });
    for (let i = 0; i < 10; i++) feed.record([`s${i}`]);
    expect(feed.replayAfter('other', 9)).toEqual({ kind: 'unknown-position' });
    expect(feed.replayAfter('e2', 11)).toEqual({ kind: 'unknown-position' });
    expect(feed.replayAfter('e2', 1)).toEqual({ kind: 'unknown-position' });
    const recent = feed.replayAfter('e2', 8);
    expect(recent).toEqual({ kind: 'replay', changes: [{ seq: 9, session_id: 's8' }, { seq: 10, session_id: 's9' }] });
  });

  it('drops a listener that throws and keeps telling the others', () => {
    const feed = new ChangeFeed({ epoch: 'e3' });
    let calls = 0;
    feed.subscribe({
      changes: () => {
        throw new Error('boom');
      },
      reset: () => undefined,
    });
    feed.subscribe({ changes: () => calls++, reset: () => undefined });
    feed.record(['x']);
    feed.record(['y']);
    expect(calls).toBe(2);
    expect(feed.listenerCount).toBe(1);
  });

  it('a reset tells listeners and makes every earlier position unknown, later ones replayable', () => {
    const feed = new ChangeFeed({ epoch: 'e4' });
    const heard: string[] = [];
    feed.subscribe({ changes: (c) => heard.push(...c.map((x) => x.session_id)), reset: () => heard.push('reset') });
    feed.record(['a']);
    const before = feed.head;
    feed.reset();
    const after = feed.head;
    feed.record(['b']);
    expect(heard).toEqual(['a', 'reset', 'b']);
    expect(feed.replayAfter('e4', before)).toEqual({ kind: 'unknown-position' });
    expect(feed.replayAfter('e4', after)).toEqual({ kind: 'replay', changes: [{ seq: after + 1, session_id: 'b' }] });
  });

  it('encodes and decodes positions, refusing anything else', () => {
    expect(decodePosition(encodePosition('abc', 12))).toEqual({ epoch: 'abc', seq: 12 });
    for (const bad of ['', 'abc', 'abc.', '.3', 'a b.3', 'abc.-1', 'abc.1.2']) expect(decodePosition(bad), bad).toBeNull();
  });
});
