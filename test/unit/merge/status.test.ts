import { describe, expect, it } from 'vitest';
import { projectSession } from '../../../core/merge/index.js';
import type { NormalizedEvent } from '../../../schema/index.js';
import { ev } from '../../support/events.js';

const ctx = { machine_id: 'm1' };
const T = 1_800_000_000_000;

function statusAfter(events: NormalizedEvent[]) {
  const record = projectSession(events, ctx);
  return { status: record.status, at: record.status_updated_at, source: record.provenance.status };
}

describe('rule 5: status, latest event wins', () => {
  it('a start is idle, a prompt busy, a turn-ending main request idle', () => {
    expect(statusAfter([ev.started(T, 'startup')])).toEqual({ status: 'idle', at: T, source: 'hook' });
    expect(statusAfter([ev.started(T, 'startup'), ev.prompt(T + 1, { prompt_id: 'p' })]).status).toBe('busy');
    expect(
      statusAfter([ev.prompt(T + 1, { prompt_id: 'p' }), ev.request(T + 2, { request_id: 'r', stop_reason: 'end_turn' })]),
    ).toEqual({ status: 'idle', at: T + 2, source: 'transcript' });
  });

  it('a request stopping for a tool keeps the session busy; a subagent ending its turn does not idle the session', () => {
    expect(statusAfter([ev.started(T, 'startup'), ev.request(T + 1, { request_id: 'r', stop_reason: 'tool_use' })]).status).toBe('busy');
    expect(
      statusAfter([ev.prompt(T, { prompt_id: 'p' }), ev.request(T + 1, { request_id: 'r', stop_reason: 'end_turn' }, { agent_id: 'a1' })]).status,
    ).toBe('busy');
  });

  it('a request without a stop reason (otel) does not flip an idle session back to busy', () => {
    const events = [
      ev.prompt(T, { prompt_id: 'p' }),
      ev.request(T + 10, { request_id: 'r', stop_reason: 'end_turn' }),
      ev.request(T + 20, { request_id: 'r' }, { source: 'otel' }),
    ];
    expect(statusAfter(events)).toEqual({ status: 'idle', at: T + 10, source: 'transcript' });
  });

  it('status.changed sets its status; any later activity clears waiting', () => {
    const waiting = [ev.prompt(T, { prompt_id: 'p' }), ev.status(T + 1, 'waiting', 'permission_request')];
    expect(statusAfter(waiting)).toEqual({ status: 'waiting', at: T + 1, source: 'hook' });
    expect(statusAfter([...waiting, ev.activity(T + 2, { source: 'otel' })])).toEqual({ status: 'busy', at: T + 2, source: 'otel' });
    expect(statusAfter([...waiting, ev.metric(T + 2, { name: 'claude_code.active_time.total', value: 1 })]).status).toBe('waiting');
  });

  it('activity does not change idle or busy, and status_updated_at stays at the event that set the status', () => {
    const events = [ev.prompt(T, { prompt_id: 'p' }), ev.toolCalled(T + 5, { tool_use_id: 't', tool_name: 'Bash' }), ev.title(T + 6, 'x')];
    expect(statusAfter(events)).toEqual({ status: 'busy', at: T, source: 'transcript' });
  });

  it('an api.error with retries exhausted ends the turn (idle); session.ended is ended', () => {
    expect(statusAfter([ev.prompt(T, { prompt_id: 'p' }), ev.apiError(T + 1, { retries_exhausted: true }, { source: 'otel' })]).status).toBe('idle');
    expect(statusAfter([ev.prompt(T, { prompt_id: 'p' }), ev.apiError(T + 1, { attempt: 1 }, { source: 'otel' })]).status).toBe('busy');
    expect(statusAfter([ev.prompt(T, { prompt_id: 'p' }), ev.ended(T + 1, 'other')]).status).toBe('ended');
  });

  it('process.seen and git.context never change status', () => {
    const events = [ev.status(T, 'waiting', 'notification'), ev.process(T + 1, 7, T - 9), ev.git(T + 2, { cwd: '/p' })];
    expect(statusAfter(events)).toEqual({ status: 'waiting', at: T, source: 'hook' });
  });
});
