/**
 * Claude Code spans (traces beta) to activity and timing, checked by hand
 * against the captures: the interaction as a busy stretch ending idle, tool
 * spans as calls and finishes (with the subagent's id), the refused Write of
 * h-extras, and a failed execution.
 */
import { describe, expect, it } from 'vitest';
import { CumulativeSeries } from '../../../collectors/otlp/claude/cumulative.js';
import { mapRequest } from '../../../collectors/otlp/claude/map-request.js';
import { decodeRequest } from '../../../collectors/otlp/decode.js';
import type { Attrs, SpanIn } from '../../../collectors/otlp/model.js';
import { validateEvent, type NormalizedEvent } from '../../../schema/index.js';
import { fixtureRequests } from './harness.js';

function traceEvents(scenario: string, file?: string): NormalizedEvent[] {
  return fixtureRequests(scenario)
    .filter((r) => r.signal === 'traces' && (file === undefined || r.file === file))
    .flatMap((r) => {
      const decoded = decodeRequest(r.body, r.protocol === 'http/json' ? 'json' : 'protobuf', 'traces');
      if (decoded === 'empty') throw new Error('empty');
      return mapRequest(decoded, 1, new CumulativeSeries(new Map(), 10)).result.events;
    });
}

describe('d-subagent spans', () => {
  const events = traceEvents('d-subagent');

  it('all pass the schema', () => {
    for (const e of events) expect(validateEvent(e).ok).toBe(true);
  });

  it('the interaction is busy from its start and idle at its end', () => {
    const status = events.filter((e) => e.kind === 'status.changed').map((e) => [e.ts, e.attrs]);
    expect(status).toEqual([
      [1795262120268, { app_version: '2.1.197', status: 'busy', reason: 'interaction_started' }],
      [1795262121282, { app_version: '2.1.197', status: 'idle', reason: 'interaction_finished' }],
    ]);
  });

  it('the subagent Bash call carries the subagent id from its span', () => {
    const bash = events.filter((e) => (e.kind === 'tool.called' || e.kind === 'tool.finished') && e.attrs.tool_use_id === 'toolu_01xfOMXUlkKdIpVSlsqZuaGe89');
    expect(bash.map((e) => [e.kind, e.agent_id, e.ts])).toEqual([
      ['tool.finished', 'a80849437ccc16144', 1795262120806],
      ['tool.called', 'a80849437ccc16144', 1795262120752],
    ]);
    expect(bash[1]!.attrs).toMatchObject({ tool_name: 'Bash', command: 'echo from-subagent' });
  });

  it('llm requests are activity with timing and the subagent id, never api.request', () => {
    expect(events.some((e) => e.kind === 'api.request')).toBe(false);
    const llm = events.filter((e) => e.kind === 'session.activity' && e.attrs.name === 'llm_request');
    expect(llm.map((e) => [e.agent_id, e.attrs.request_id, e.attrs.ttft_ms])).toEqual([
      [null, 'req_011EC3vz9jjaENQhgBpnKkmKJYP', 21],
      ['a80849437ccc16144', 'req_011sQFgO26R3lGRUmAgBM07nbKq', 11],
      ['a80849437ccc16144', 'req_0117qoK4XMmLKaIMw4jFMBMqofq', 16],
      [null, 'req_011ZFx91kyOE8QBqU4fYcPVjOu0', 10],
    ]);
  });

  it('blocked_on_user spans decided by config make nothing', () => {
    expect(events.filter((e) => e.kind === 'status.changed' && e.attrs.status === 'waiting')).toEqual([]);
  });
});

describe('h-extras: the Write the permissions refused', () => {
  it('is a call that finished as rejected, joined by its tool_use_id', () => {
    const write = traceEvents('h-extras').filter((e) => 'tool_use_id' in e.attrs && e.attrs.tool_use_id === 'toolu_01ChXjuzlgxz0m3zHtvJVbXqSJ');
    expect(write.map((e) => [e.kind, e.attrs])).toEqual([
      ['tool.finished', { app_version: '2.1.197', tool_use_id: 'toolu_01ChXjuzlgxz0m3zHtvJVbXqSJ', success: false, error: 'rejected (unknown)', tool_name: 'Write' }],
      ['tool.called', { app_version: '2.1.197', tool_name: 'Write', tool_use_id: 'toolu_01ChXjuzlgxz0m3zHtvJVbXqSJ', file_path: '/home/user/runs/h-extras/proj/denied.txt' }],
    ]);
  });
});

describe('b-tools-http-json: the failed Read', () => {
  it('finishes unsuccessfully with the span error', () => {
    const failed = traceEvents('b-tools-http-json', '0003-traces-http-json.bin').filter((e) => e.kind === 'tool.finished' && !e.attrs.success);
    expect(failed.map((e) => e.attrs)).toEqual([
      {
        app_version: '2.1.197',
        success: false,
        tool_use_id: 'toolu_01pwCviz1mqXKBxwcPFDFfisMg',
        tool_name: 'Read',
        error: 'File does not exist. Note: your current working directory is /home/user/runs/b-tools-http-json/proj/sub.',
        duration_ms: 6,
      },
    ]);
  });
});

describe('a permission prompt the user answered', () => {
  it('is waiting from the span start and busy again at its end', () => {
    const span = (name: string, spanId: string, parent: string, attrs: Record<string, string | number | boolean>): SpanIn => ({
      traceId: 'a7b3ea6791c5b798159bf52c52b2f21a',
      spanId,
      parentSpanId: parent,
      name,
      startNs: 1_795_262_081_000_000_000,
      endNs: 1_795_262_085_000_000_000,
      attrs: new Map(Object.entries({ 'session.id': 's1', ...attrs })) as Attrs,
      statusCode: 0,
      statusMessage: '',
      oversized: false,
    });
    const request = {
      signal: 'traces' as const,
      groups: [
        {
          origin: { resource: new Map([['service.name', 'claude-code']]) as Attrs, scopeName: '', scopeVersion: '' },
          items: [
            span('claude_code.tool.blocked_on_user', '00000000000000b1', '00000000000000a1', { decision: 'accept', source: 'user_temporary' }),
            span('claude_code.tool', '00000000000000a1', '', { tool_name: 'Bash', tool_use_id: 'toolu_9' }),
          ],
        },
      ],
    };
    const events = mapRequest(request, 1, new CumulativeSeries(new Map(), 10)).result.events;
    expect(events.map((e) => [e.kind, e.ts, 'status' in e.attrs ? e.attrs.status : e.attrs.tool_name])).toEqual([
      ['status.changed', 1795262081000, 'waiting'],
      ['status.changed', 1795262085000, 'busy'],
      ['tool.called', 1795262081000, 'Bash'],
    ]);
  });
});
