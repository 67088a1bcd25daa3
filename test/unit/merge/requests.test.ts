import { describe, expect, it } from 'vitest';
import { chooseRequestOwner, forkedFromOf, requestKey, requestKeysOf, sortEvents } from '../../../core/merge/index.js';
import { ev, usage } from '../../support/events.js';

const T = 1_800_000_000_000;

describe('request identity', () => {
  it('requestKey prefers request_id, then message_id, then the dedupe key', () => {
    expect(requestKey(ev.request(T, { request_id: 'req_1', message_id: 'msg_1' }))).toBe('req:req_1');
    expect(requestKey(ev.request(T, { message_id: 'msg_1' }))).toBe('msg:msg_1');
    expect(requestKey(ev.request(T, {}, { dedupe_key: 'otel:x:7' }))).toBe('evt:otel:x:7');
    // Lone surrogates become U+FFFD, as SQLite gives such text back; pairs are kept.
    expect(requestKey(ev.request(T, { request_id: 'r\ud800x\udc00' }))).toBe('req:r\ufffdx\ufffd');
    expect(requestKey(ev.request(T, { request_id: 'r\ud83d\ude00' }))).toBe('req:r\ud83d\ude00');
  });

  it('requestKeysOf lists distinct keys of real requests, sorted', () => {
    const keys = requestKeysOf([
      ev.request(T + 2, { request_id: 'b', usage: usage({ output: 1 }) }),
      ev.request(T + 1, { request_id: 'a' }),
      ev.request(T + 3, { request_id: 'b', usage: usage({ output: 2 }) }),
      ev.request(T + 4, { message_id: 'syn', model: '<synthetic>' }),
      ev.prompt(T, { prompt_id: 'p' }),
    ]);
    expect(keys).toEqual(['req:a', 'req:b']);
  });
});

describe('request ownership across sessions', () => {
  it('the parent wins over its fork even when the fork saw the request first', () => {
    const owner = chooseRequestOwner([
      { session_id: 'fork', first_ts: 100, forked_from: 'parent' },
      { session_id: 'parent', first_ts: 200, forked_from: null },
    ]);
    expect(owner).toBe('parent');
  });

  it('otherwise the earliest first sighting wins, then the smallest session id', () => {
    expect(
      chooseRequestOwner([
        { session_id: 'b', first_ts: 50, forked_from: null },
        { session_id: 'a', first_ts: 60, forked_from: null },
      ]),
    ).toBe('b');
    expect(
      chooseRequestOwner([
        { session_id: 'b', first_ts: 50, forked_from: null },
        { session_id: 'a', first_ts: 50, forked_from: null },
      ]),
    ).toBe('a');
  });

  it('a fork of a session that is not a claimant competes normally; a fork chain resolves to its root', () => {
    expect(
      chooseRequestOwner([
        { session_id: 'x', first_ts: 10, forked_from: 'gone' },
        { session_id: 'y', first_ts: 20, forked_from: null },
      ]),
    ).toBe('x');
    expect(
      chooseRequestOwner([
        { session_id: 'c', first_ts: 1, forked_from: 'b' },
        { session_id: 'b', first_ts: 2, forked_from: 'a' },
        { session_id: 'a', first_ts: 3, forked_from: null },
      ]),
    ).toBe('a');
  });

  it('rejects an empty claim list', () => {
    expect(() => chooseRequestOwner([])).toThrow();
  });

  it('forkedFromOf reads the forked_from of a session start', () => {
    expect(forkedFromOf([ev.prompt(T, { prompt_id: 'p' })])).toBeNull();
    expect(forkedFromOf([ev.prompt(T, { prompt_id: 'p' }), ev.started(T + 1, 'fork', {}, { forked_from: 'parent-id' })])).toBe('parent-id');
  });
});

describe('sortEvents', () => {
  it('orders by ts then dedupe key and drops repeated dedupe keys', () => {
    const a = ev.activity(T + 5, { dedupe_key: 'b' });
    const b = ev.activity(T + 5, { dedupe_key: 'a' });
    const c = ev.activity(T + 1, { dedupe_key: 'z' });
    const input = [a, b, c, a, c];
    const sorted = sortEvents(input);
    expect(sorted.map((e) => e.dedupe_key)).toEqual(['z', 'a', 'b']);
    expect(input).toHaveLength(5);
  });
});
