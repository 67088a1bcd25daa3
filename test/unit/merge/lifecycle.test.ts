import { describe, expect, it } from 'vitest';
import { projectSession } from '../../../core/merge/index.js';
import { ev } from '../../support/events.js';

const ctx = { machine_id: 'm1' };
const T = 1_800_000_000_000;

describe('rule 4: lifecycle and revival', () => {
  it('a start then an end: started, ended, no revival', () => {
    const record = projectSession([ev.started(T, 'startup'), ev.prompt(T + 10, { prompt_id: 'p' }), ev.ended(T + 20, 'other')], ctx);
    expect(record).toMatchObject({
      first_started_at: T,
      last_started_at: T,
      first_ended_at: T + 20,
      last_ended_at: T + 20,
      revival_count: 0,
      status: 'ended',
      end_reason: 'other',
      last_activity: T + 20,
    });
    expect(record.provenance.end_reason).toBe('hook');
  });

  it('the first event of any kind starts the session when no start was seen', () => {
    const record = projectSession([ev.prompt(T + 5, { prompt_id: 'p' }, { source: 'otel' })], ctx);
    expect(record.first_started_at).toBe(T + 5);
    expect(record.provenance.first_started_at).toBe('otel');
  });

  it('a resume after an end is a revival: last_started_at moves, first_* stay, end_reason clears', () => {
    const record = projectSession(
      [
        ev.started(T, 'startup'),
        ev.ended(T + 20, 'prompt_input_exit'),
        ev.started(T + 100, 'resume'),
        ev.prompt(T + 110, { prompt_id: 'p2' }),
        ev.ended(T + 200, 'other'),
        ev.prompt(T + 300, { prompt_id: 'p3' }, { source: 'otel' }),
      ],
      ctx,
    );
    expect(record).toMatchObject({
      first_started_at: T,
      last_started_at: T + 300,
      first_ended_at: T + 20,
      last_ended_at: T + 200,
      revival_count: 2,
      end_reason: null,
      status: 'busy',
    });
    expect(record.provenance.end_reason).toBeUndefined();
  });

  it('a compaction restart is activity, not a revival', () => {
    const record = projectSession([ev.started(T, 'startup'), ev.compaction(T + 5), ev.started(T + 6, 'compact'), ev.ended(T + 9, 'other')], ctx);
    expect(record.revival_count).toBe(0);
    expect(record.last_started_at).toBe(T);
  });

  it('events sharing the end millisecond do not revive; a session.started at that millisecond does', () => {
    const end = ev.ended(T + 10, 'other', { dedupe_key: 'a-end' });
    const sameMs = ev.toolFinished(T + 10, { tool_use_id: 't', success: true }, { dedupe_key: 'z-tool' });
    const notRevived = projectSession([ev.started(T, 'startup'), end, sameMs], ctx);
    expect(notRevived.revival_count).toBe(0);
    expect(notRevived.status).toBe('ended');

    const restart = ev.started(T + 10, 'resume', { dedupe_key: 'z-start' });
    const revived = projectSession([ev.started(T, 'startup'), end, restart], ctx);
    expect(revived.revival_count).toBe(1);
    expect(revived.status).toBe('idle');
  });

  it('a liveness end after the agent ended keeps the agent reason and is not activity', () => {
    const record = projectSession(
      [ev.started(T, 'startup'), ev.ended(T + 10, 'prompt_input_exit'), ev.ended(T + 5000, 'process_exit', { source: 'process' })],
      ctx,
    );
    expect(record.end_reason).toBe('prompt_input_exit');
    expect(record.last_ended_at).toBe(T + 10);
    expect(record.last_activity).toBe(T + 10);
  });

  it('an exporter flush (metric point) after the end neither revives nor hides the end', () => {
    const record = projectSession(
      [ev.started(T, 'startup'), ev.ended(T + 10, 'other'), ev.metric(T + 50, { name: 'claude_code.active_time.total', value: 1 })],
      ctx,
    );
    expect(record.revival_count).toBe(0);
    expect(record.status).toBe('ended');
    expect(record.last_activity).toBe(T + 50);
  });

  it('last_activity ignores process.seen and git.context', () => {
    const record = projectSession([ev.activity(T), ev.process(T + 100, 42, T - 1), ev.git(T + 200, { cwd: '/p' })], ctx);
    expect(record.last_activity).toBe(T);
  });

  it('a StopFailure hook landing 260 ms after SessionEnd does not revive the session (found by the real-CLI e2e)', () => {
    const record = projectSession(
      [
        ev.started(T, 'startup'),
        ev.prompt(T + 10, { prompt_id: 'p' }),
        ev.ended(T + 1000, 'other'),
        ev.status(T + 1260, 'idle', 'stop_failure'),
        ev.apiError(T + 1260, { error: 'rate_limit' }, { source: 'hook' }),
        ev.title(T + 1300, 'late title'),
      ],
      ctx,
    );
    expect(record).toMatchObject({ revival_count: 0, status: 'ended', end_reason: 'other', last_ended_at: T + 1000 });
  });

  it('new work after an end revives even without a SessionStart (transcript-only resume)', () => {
    const record = projectSession(
      [ev.prompt(T, { prompt_id: 'p1' }), ev.ended(T + 1000, 'other'), ev.prompt(T + 5000, { prompt_id: 'p2' })],
      ctx,
    );
    expect(record).toMatchObject({ revival_count: 1, last_started_at: T + 5000, status: 'busy', end_reason: null });
  });
});

