/**
 * The Claude Code hook mapping on every captured payload (command and HTTP
 * hooks of every scenario), and the records built from those captures alone.
 * Records are checked through the real merge, so the events are not only
 * valid but mean what the hooks said.
 */
import { describe, expect, it } from 'vitest';
import { mapClaudeHook, KNOWN_CLAUDE_HOOK_EVENTS } from '../../../collectors/hooks/claude-map.js';
import { validateEvent } from '../../../schema/index.js';
import { B_TOOLS_SESSION, hookScenarios, loadCapturedHooks } from './fixture-hooks.js';
import { PROCESS, eventsOf, mapCall, metaAt, record } from './claude-map-support.js';

describe('mapClaudeHook on every captured payload', () => {
  const scenarios = hookScenarios();

  it('finds the eight captured scenarios', () => {
    expect(scenarios).toEqual([
      'a-simple-grpc',
      'a-simple-http-json',
      'a-simple-http-protobuf',
      'b-tools-grpc',
      'b-tools-http-json',
      'b-tools-http-protobuf',
      'd-subagent',
      'h-extras',
    ]);
  });

  for (const scenario of scenarios) {
    for (const via of ['command', 'http'] as const) {
      it(`${scenario} (${via}): every call maps to valid hook events of its session`, () => {
        const calls = loadCapturedHooks(scenario, via);
        expect(calls.length).toBeGreaterThan(3);
        for (const c of calls) {
          const result = mapClaudeHook(c.payload, metaAt(c.firedAt, via === 'command' ? PROCESS : {}));
          expect(result.ok, c.eventName).toBe(true);
          if (!result.ok) continue;
          expect(result.known, c.eventName).toBe(true);
          expect(result.events.length, c.eventName).toBeGreaterThan(0);
          for (const event of result.events) {
            const checked = validateEvent(event);
            expect(checked.ok ? 'valid' : checked.error, `${c.eventName} → ${event.kind}`).toBe('valid');
            expect(event.source).toBe('hook');
            expect(event.session_id).toBe(c.payload.session_id);
            expect(event.ts).toBe(c.firedAt);
            expect(event.received_at).toBe(c.firedAt + 3);
            expect(event.dedupe_key.startsWith('h:')).toBe(true);
          }
          const keys = result.events.map((e) => e.dedupe_key);
          expect(new Set(keys).size, `${c.eventName} keys`).toBe(keys.length);
        }
      });
    }
  }

  it('is deterministic: the same call maps to the same events', () => {
    for (const c of loadCapturedHooks('b-tools-http-json', 'command')) {
      expect(mapCall(c, PROCESS)).toEqual(mapCall(c, PROCESS));
    }
  });

  it('knows every hook event the captures contain', () => {
    const seen = new Set(scenarios.flatMap((s) => loadCapturedHooks(s, 'command').map((c) => c.eventName)));
    for (const name of seen) expect(KNOWN_CLAUDE_HOOK_EVENTS).toContain(name);
  });
});

describe('records built from captured hooks alone', () => {
  it('a-simple: one prompt, no tools, ended with reason other', () => {
    const r = record(eventsOf(loadCapturedHooks('a-simple-grpc', 'command'), PROCESS), '4ae4f9fe-976f-4e96-8c1f-87976b2e6f45');
    expect(r.status).toBe('ended');
    expect(r.end_reason).toBe('other');
    expect(r.message_count).toBe(1);
    expect(r.first_user_message).toBe('Say hello to the corpus harness');
    expect(r.tool_call_count).toBe(0);
    expect(r.cwd).toBe('/home/user/runs/a-simple-grpc/proj');
    expect(r.pid).toBe(PROCESS.pid);
    expect(r.process_start_time).toBe(PROCESS.process_start);
    expect(r.revival_count).toBe(0);
  });

  for (const via of ['command', 'http'] as const) {
    it(`b-tools (${via}): 7 tool calls, 1 failed, cwd follows cd into sub`, () => {
      const r = record(eventsOf(loadCapturedHooks('b-tools-http-json', via)), B_TOOLS_SESSION);
      expect(r.tool_call_count).toBe(7);
      expect(r.tool_error_count).toBe(1);
      expect(r.message_count).toBe(1);
      expect(r.last_user_message).toBe('TOOLDEMO: run echo hi and read hello.txt');
      expect(r.cwd).toBe('/home/user/runs/b-tools-http-json/proj/sub');
      expect(r.status).toBe('ended');
      expect(r.end_reason).toBe('other');
    });
  }

  it('b-tools: PreToolUse and PostToolBatch name the same calls with the same keys', () => {
    const events = eventsOf(loadCapturedHooks('b-tools-grpc', 'command'));
    const called = events.filter((e) => e.kind === 'tool.called').map((e) => e.dedupe_key);
    expect(called.length).toBe(14); // 7 from PreToolUse + 7 again from the batches
    expect(new Set(called).size).toBe(7);
    const finished = events.filter((e) => e.kind === 'tool.finished');
    expect(finished.filter((e) => e.kind === 'tool.finished' && !e.attrs.success).map((e) => e.attrs.tool_name)).toEqual(['Read']);
  });

  it('d-subagent: the subagent and its Bash call carry its agent id', () => {
    const events = eventsOf(loadCapturedHooks('d-subagent', 'command'));
    const r = record(events, '221487a9-8603-4d04-a876-eae3d951bdec');
    expect(r.subagent_count).toBe(1);
    expect(r.tool_call_count).toBe(2);
    const bash = events.find((e) => e.kind === 'tool.called' && e.attrs.tool_name === 'Bash');
    expect(bash?.agent_id).toBe('a80849437ccc16144');
    expect(events.find((e) => e.kind === 'subagent.started')?.agent_id).toBe('a80849437ccc16144');
    expect(events.find((e) => e.kind === 'subagent.finished')?.agent_id).toBe('a80849437ccc16144');
  });

  it('h-extras: Setup and InstructionsLoaded are proof of life, the task is created then completed', () => {
    const events = eventsOf(loadCapturedHooks('h-extras', 'command'), PROCESS);
    const r = record(events, '38e41e8e-a02c-4d49-afea-d54c04cfb5fd');
    expect(events.filter((e) => e.kind === 'session.activity').map((e) => e.kind === 'session.activity' && e.attrs.name)).toEqual(
      expect.arrayContaining(['Setup:init', 'InstructionsLoaded']),
    );
    expect(r.tasks).toEqual([expect.objectContaining({ task_id: '1', subject: 'Demo task', state: 'completed' })]);
    expect(r.tool_call_count).toBe(3);
  });
});
