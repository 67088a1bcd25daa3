import { describe, expect, it } from 'vitest';
import { projectSession } from '../../../core/merge/index.js';
import type { SessionRecord } from '../../../schema/index.js';
import { ev, makeEvent, usage } from '../../support/events.js';

const ctx = { machine_id: 'machine-7' };
const T = 1_800_000_000_000;

describe('rule 6: hidden sessions', () => {
  it('a session of only otel metric points and activity (-p --continue start-up telemetry) is hidden', () => {
    const record = projectSession(
      [
        ev.metric(T, { name: 'claude_code.session.count', value: 1 }),
        ev.activity(T + 1, { source: 'otel' }, { name: 'hook_registered' }),
      ],
      ctx,
    );
    expect(record.hidden).toBe(true);
    expect(record.hidden_reason).toBe('no_agent_activity');
  });

  it('any prompt, request, tool, transcript or hook event makes it visible', () => {
    const base = [ev.metric(T, { name: 'claude_code.session.count', value: 1 })];
    for (const extra of [
      ev.prompt(T + 1, { prompt_id: 'p' }, { source: 'otel' }),
      ev.request(T + 1, { request_id: 'r' }, { source: 'otel' }),
      ev.toolFinished(T + 1, { success: true }, { source: 'otel' }),
      ev.activity(T + 1, { source: 'transcript' }),
      ev.activity(T + 1, { source: 'hook' }),
    ]) {
      const record = projectSession([...base, extra], ctx);
      expect(record.hidden).toBe(false);
      expect(record.hidden_reason).toBeNull();
    }
  });
});

describe('rule 7: other fields', () => {
  it('tasks by task_id: latest subject, created and completed times, completion is final', () => {
    const record = projectSession(
      [
        ev.task(T + 1, { task_id: '1', state: 'created', subject: 'Write tests' }),
        ev.task(T + 2, { task_id: '2', state: 'created', subject: 'Ship' }),
        ev.task(T + 3, { task_id: '1', state: 'updated', subject: 'Write more tests' }),
        ev.task(T + 4, { task_id: '1', state: 'completed' }),
        ev.task(T + 5, { task_id: '1', state: 'updated' }, { source: 'transcript' }),
      ],
      ctx,
    );
    expect(record.tasks).toEqual([
      { task_id: '1', subject: 'Write more tests', state: 'completed', created_at: T + 1, completed_at: T + 4 },
      { task_id: '2', subject: 'Ship', state: 'created', created_at: T + 2, completed_at: null },
    ]);
  });

  it('counts events per source, distinct by dedupe key, and notes transcript availability', () => {
    const line = ev.activity(T, { source: 'transcript' });
    const record = projectSession([line, line, ev.activity(T + 1, { source: 'otel' }), ev.activity(T + 2, { source: 'hook' }), ev.process(T + 3, 1, T)], ctx);
    expect(record).toMatchObject({ n_transcript_events: 1, n_otel_events: 1, n_hook_events: 1, n_events: 4, transcript_available: true });
    expect(projectSession([ev.activity(T, { source: 'hook' })], ctx).transcript_available).toBe(false);
  });

  it('framework is the most common one, a tie going to the earliest event; machine_id comes from the context', () => {
    const record = projectSession(
      [ev.activity(T, { framework: 'codex' }), ev.activity(T + 1, { framework: 'claude_code' }), ev.activity(T + 2, { framework: 'claude_code' })],
      ctx,
    );
    expect(record.framework).toBe('claude_code');
    expect(projectSession([ev.activity(T, { framework: 'codex' }), ev.activity(T + 1)], ctx).framework).toBe('codex');
    expect(record.machine_id).toBe('machine-7');
  });

  it('refuses an empty event list and events of two sessions', () => {
    expect(() => projectSession([], ctx)).toThrow(/at least one event/);
    expect(() => projectSession([ev.activity(T), ev.activity(T, { session_id: 'other' })], ctx)).toThrow(/sessions/);
  });
});

describe('rule 8: canonical output', () => {
  const keyOrder: (keyof SessionRecord)[] = [
    'session_id', 'machine_id', 'framework', 'first_started_at', 'last_started_at', 'first_ended_at', 'last_ended_at',
    'last_activity', 'revival_count', 'status', 'status_updated_at', 'end_reason', 'hidden', 'hidden_reason', 'forked_from',
    'pid', 'process_start_time', 'cwd', 'local_git_dir', 'git_branch', 'git_worktree_path', 'github_repo', 'github_issue',
    'github_pr', 'github_refs', 'git_additions', 'git_deletions', 'title', 'first_user_message', 'last_user_message', 'model',
    'app_version', 'entrypoint', 'compaction_count', 'message_count', 'tool_call_count', 'tool_error_count',
    'api_request_count', 'api_error_count', 'subagent_count', 'commit_count', 'pull_request_count', 'tokens_input', 'tokens_output', 'tokens_cache_read',
    'tokens_cache_write', 'tokens_cache_write_1h', 'cost_usd', 'reported_cost_usd', 'unpriced_requests', 'context',
    'usage_by_model', 'usage_by_agent', 'usage_sources', 'tasks', 'n_transcript_events', 'n_otel_events', 'n_hook_events',
    'n_events', 'transcript_available', 'transcript_path', 'provenance',
  ];

  const events = [
    ev.request(T + 1, { request_id: 'r2', model: 'zeta', usage: usage({ output: 1 }), reported_cost_usd: 0.1 }, { source: 'otel', agent_id: 'b' }),
    ev.request(T + 2, { request_id: 'r1', model: 'alpha', usage: usage({ output: 2 }), reported_cost_usd: 0.2 }, { source: 'otel' }),
    makeEvent('session.activity', T + 3, { cwd: '/p' }, { source: 'hook' }),
  ];

  it('keys follow SessionRecord order and map-like fields have sorted keys', () => {
    const record = projectSession(events, ctx);
    expect(Object.keys(record)).toEqual(keyOrder);
    expect(Object.keys(record.usage_by_model)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(record.usage_by_agent)).toEqual(['b', 'main']);
    const provenanceKeys = Object.keys(record.provenance);
    expect(provenanceKeys).toEqual([...provenanceKeys].sort());
  });

  it('reported costs are free of float noise and the JSON is the same in any order', () => {
    const record = projectSession(events, ctx);
    // 0.1 + 0.2 is 0.30000000000000004 in floating point.
    expect(record.reported_cost_usd).toBe(0.3);
    expect(JSON.stringify(projectSession([...events].reverse(), ctx))).toBe(JSON.stringify(record));
  });
});
