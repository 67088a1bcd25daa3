import { describe, expect, it } from 'vitest';
import { projectSession } from '../../../core/merge/index.js';
import { ev } from '../../support/events.js';

const ctx = { machine_id: 'm1' };
const T = 1_800_000_000_000;

describe('rule 3: counts join across sources and count once', () => {
  it('prompts are joined by prompt_id across transcript, otel and hook', () => {
    const record = projectSession(
      [
        ev.prompt(T + 1, { prompt_id: 'p1', text: 'a' }),
        ev.prompt(T + 2, { prompt_id: 'p1' }, { source: 'otel' }),
        ev.prompt(T + 3, { prompt_id: 'p1', text: 'a' }, { source: 'hook' }),
        ev.prompt(T + 4, { prompt_id: 'p2' }, { source: 'hook' }),
      ],
      ctx,
    );
    expect(record.message_count).toBe(2);
    expect(record.provenance.message_count).toBe('mixed');
  });

  it('prompts without an id count per event of the strongest source that reported id-less prompts', () => {
    const record = projectSession(
      [
        ev.prompt(T + 1, { text: 'a' }, { source: 'otel' }),
        ev.prompt(T + 2, { text: 'b' }, { source: 'otel' }),
        ev.prompt(T + 3, { text: 'a' }, { source: 'hook' }),
        ev.prompt(T + 4, { text: 'b' }, { source: 'hook' }),
        ev.prompt(T + 5, { text: 'c' }, { source: 'hook' }),
      ],
      ctx,
    );
    expect(record.message_count).toBe(2);
    expect(record.provenance.message_count).toBe('otel');
  });

  it('tool calls are joined by tool_use_id; a tool seen only finishing still counts', () => {
    const record = projectSession(
      [
        ev.toolCalled(T + 1, { tool_use_id: 't1', tool_name: 'Bash' }),
        ev.toolCalled(T + 1, { tool_use_id: 't1', tool_name: 'Bash' }, { source: 'hook' }),
        ev.toolFinished(T + 2, { tool_use_id: 't1', success: true }, { source: 'otel' }),
        ev.toolFinished(T + 3, { tool_use_id: 't1', success: true }, { source: 'hook' }),
        ev.toolFinished(T + 4, { tool_use_id: 't2', tool_name: 'Read', success: true }, { source: 'otel' }),
      ],
      ctx,
    );
    expect(record.tool_call_count).toBe(2);
    expect(record.tool_error_count).toBe(0);
  });

  it('a tool error is decided by the strongest source that reported the finish', () => {
    const record = projectSession(
      [
        ev.toolCalled(T + 1, { tool_use_id: 't1', tool_name: 'Read' }),
        ev.toolFinished(T + 2, { tool_use_id: 't1', success: false, error: 'ENOENT' }, { source: 'otel' }),
        ev.toolFinished(T + 3, { tool_use_id: 't1', success: true }, { source: 'hook' }),
        ev.toolCalled(T + 4, { tool_use_id: 't2', tool_name: 'Write' }),
        ev.toolFinished(T + 5, { tool_use_id: 't2', success: true }, { source: 'otel' }),
      ],
      ctx,
    );
    expect(record.tool_call_count).toBe(2);
    expect(record.tool_error_count).toBe(1);
  });

  it('tool calls without an id count per tool.called event of the strongest source that reported id-less tools', () => {
    const record = projectSession(
      [
        ev.toolCalled(T + 1, { tool_name: 'Bash' }, { source: 'otel' }),
        ev.toolFinished(T + 2, { tool_name: 'Bash', success: false }, { source: 'otel' }),
        ev.toolCalled(T + 3, { tool_name: 'Bash' }, { source: 'hook' }),
        ev.toolCalled(T + 4, { tool_name: 'Bash' }, { source: 'hook' }),
      ],
      ctx,
    );
    expect(record.tool_call_count).toBe(1);
    expect(record.tool_error_count).toBe(1);
    expect(record.provenance.tool_call_count).toBe('otel');
  });

  it('API errors: a source counts distinct request ids plus id-less errors; the source that saw the most wins', () => {
    const record = projectSession(
      [
        ev.apiError(T + 1, { request_id: 'r1', status_code: 529 }, { source: 'otel' }),
        ev.apiError(T + 2, { request_id: 'r1', status_code: 529 }, { source: 'hook' }),
        ev.apiError(T + 3, { error: 'rate_limit' }, { source: 'hook' }),
      ],
      ctx,
    );
    expect(record.api_error_count).toBe(2);
    expect(record.provenance.api_error_count).toBe('hook');
  });

  it('a fatal 429 seen by otel (with its request id, twice) and by the transcript (id-less) counts once', () => {
    const record = projectSession(
      [
        ev.apiError(T + 1, { request_id: 'req_9', status_code: 429, error: 'rate_limit' }, { source: 'otel' }),
        ev.apiError(T + 2, { request_id: 'req_9', status_code: 429, retries_exhausted: true }, { source: 'otel' }),
        ev.apiError(T + 3, { status_code: 429, error: 'rate_limit', retries_exhausted: true }, { source: 'transcript' }),
        ev.apiError(T + 4, { error: 'rate_limit' }, { source: 'hook' }),
      ],
      ctx,
    );
    expect(record.api_error_count).toBe(1);
    expect(record.provenance.api_error_count).toBe('transcript');
  });

  it('compactions are counted from the strongest source that reported any', () => {
    const record = projectSession(
      [
        ev.compaction(T + 1, { source: 'transcript' }, { trigger: 'manual' }),
        ev.compaction(T + 2, { source: 'otel' }, { trigger: 'manual' }),
        ev.compaction(T + 3, { source: 'hook' }, { trigger: 'manual' }),
        ev.compaction(T + 4, { source: 'hook' }, { trigger: 'auto' }),
        ev.started(T + 5, 'compact'),
      ],
      ctx,
    );
    expect(record.compaction_count).toBe(1);
    expect(record.provenance.compaction_count).toBe('transcript');
  });

  it('subagent_count is the number of distinct agent ids', () => {
    const record = projectSession(
      [ev.activity(T, { agent_id: 'a1' }), ev.activity(T + 1, { agent_id: 'a1', source: 'hook' }), ev.activity(T + 2, { agent_id: 'a2' }), ev.activity(T + 3)],
      ctx,
    );
    expect(record.subagent_count).toBe(2);
  });
});

describe('metric-only counters: commits and pull requests', () => {
  it('sums commit.count and pull_request.count deltas; null when never reported', () => {
    const record = projectSession(
      [
        ev.prompt(T, { prompt_id: 'p' }),
        ev.metric(T + 1, { name: 'claude_code.commit.count', value: 1 }),
        ev.metric(T + 2, { name: 'claude_code.commit.count', value: 2 }),
        ev.metric(T + 3, { name: 'claude_code.lines_of_code.count', value: 40, type: 'added' }),
      ],
      ctx,
    );
    expect(record.commit_count).toBe(3);
    expect(record.pull_request_count).toBeNull();
  });

  it('a sum past 2^53 is held at 2^53-1, like every total', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const record = projectSession(
      [ev.metric(T, { name: 'claude_code.pull_request.count', value: max }), ev.metric(T + 1, { name: 'claude_code.pull_request.count', value: max })],
      ctx,
    );
    expect(record.pull_request_count).toBe(max);
  });
});
