/**
 * The Claude Code hook mapping on every captured payload (command and HTTP
 * hooks of every scenario), and on hand-made payloads for the events the
 * capture has no sample of. Records are checked through the real merge, so
 * the events are not only valid but mean what the hooks said.
 */
import { describe, expect, it } from 'vitest';
import { projectSession } from '../../../core/merge/index.js';
import { mapClaudeHook, KNOWN_CLAUDE_HOOK_EVENTS } from '../../../collectors/hooks/claude-map.js';
import type { HookMeta } from '../../../collectors/hooks/builder.js';
import { LIMITS, validateEvent, type NormalizedEvent, type SessionRecord } from '../../../schema/index.js';
import {
  B_TOOLS_SESSION,
  commonFields,
  hookScenarios,
  loadCapturedHooks,
  notificationPayload,
  permissionRequestPayload,
  type CapturedHook,
} from './fixture-hooks.js';

const PROCESS = { pid: 4242, process_start: 1_790_000_000_000 };

function metaAt(firedAt: number, extra: Partial<HookMeta> = {}): HookMeta {
  return { fired_at: firedAt, received_at: firedAt + 3, ...extra };
}

function mapCall(call: CapturedHook, extra: Partial<HookMeta> = {}): NormalizedEvent[] {
  const result = mapClaudeHook(call.payload, metaAt(call.firedAt, extra));
  if (!result.ok) throw new Error(`refused ${call.eventName}: ${result.error}`);
  return result.events;
}

function eventsOf(calls: readonly CapturedHook[], extra: Partial<HookMeta> = {}): NormalizedEvent[] {
  return calls.flatMap((call) => mapCall(call, extra));
}

function record(events: readonly NormalizedEvent[], session: string): SessionRecord {
  return projectSession(
    events.filter((e) => e.session_id === session),
    { machine_id: 'test-machine' },
  );
}

function call(payload: Record<string, unknown>, firedAt: number): CapturedHook {
  return { firedAt, via: 'command', eventName: String(payload.hook_event_name), payload, body: JSON.stringify(payload) };
}

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

describe('status transitions', () => {
  const calls = loadCapturedHooks('b-tools-http-json', 'command');
  const prompt = calls.find((c) => c.eventName === 'UserPromptSubmit')!;
  const promptId = String(prompt.payload.prompt_id);

  it('busy → waiting on PermissionRequest → busy → idle on Stop → ended', () => {
    const firstPost = calls.findIndex((c) => c.eventName === 'PostToolUse');
    const asking = call(permissionRequestPayload(B_TOOLS_SESSION, promptId), calls[firstPost - 1]!.firedAt + 1);
    const sequence = [...calls.slice(0, firstPost), asking, ...calls.slice(firstPost)];
    const statusAfter = (name: string, nth = 0): string => {
      const index = sequence.map((c, i) => (c.eventName === name ? i : -1)).filter((i) => i >= 0)[nth]!;
      return record(eventsOf(sequence.slice(0, index + 1)), B_TOOLS_SESSION).status;
    };
    expect(statusAfter('SessionStart')).toBe('idle');
    expect(statusAfter('UserPromptSubmit')).toBe('busy');
    expect(statusAfter('PermissionRequest')).toBe('waiting');
    expect(statusAfter('PostToolUse')).toBe('busy');
    expect(statusAfter('Stop')).toBe('idle');
    expect(statusAfter('SessionEnd')).toBe('ended');
  });

  it('Notification: permission_prompt waits, idle_prompt idles, other types are only activity', () => {
    const start = calls.slice(0, 2);
    const at = calls[1]!.firedAt;
    const waiting = call(notificationPayload(B_TOOLS_SESSION, promptId, 'permission_prompt', 'Claude needs your permission to use Write'), at + 10);
    const idle = call(notificationPayload(B_TOOLS_SESSION, promptId, 'idle_prompt', 'Claude is waiting for your input'), at + 20);
    const auth = call(notificationPayload(B_TOOLS_SESSION, promptId, 'auth_success', 'Signed in'), at + 30);
    const untyped = call(notificationPayload(B_TOOLS_SESSION, promptId, undefined, 'Claude needs your permission to use Bash'), at + 40);
    expect(record(eventsOf([...start, waiting]), B_TOOLS_SESSION).status).toBe('waiting');
    expect(record(eventsOf([...start, waiting, idle]), B_TOOLS_SESSION).status).toBe('idle');
    expect(record(eventsOf([...start, waiting, auth]), B_TOOLS_SESSION).status).toBe('busy');
    expect(record(eventsOf([...start, untyped]), B_TOOLS_SESSION).status).toBe('waiting');
  });

  it('StopFailure ends the turn with an exhausted API error and idles', () => {
    const at = calls[1]!.firedAt;
    const failure = call(
      {
        ...commonFields(B_TOOLS_SESSION, promptId),
        hook_event_name: 'StopFailure',
        error: 'rate_limit',
        last_assistant_message: 'API Error: Request rejected (429)',
      },
      at + 50,
    );
    const events = eventsOf([...calls.slice(0, 2), failure]);
    const r = record(events, B_TOOLS_SESSION);
    expect(r.status).toBe('idle');
    expect(r.api_error_count).toBe(1);
    expect(events.find((e) => e.kind === 'api.error')).toMatchObject({ attrs: { error: 'rate_limit', retries_exhausted: true } });
  });
});

describe('lifecycle: resume, compaction, /clear, forks', () => {
  const session = '0a3d4bd5-c44f-4d42-8f81-2f14723fb301';
  const other = 'd2a41b23-3e1a-47e7-99ff-e963905012a4';
  const start = (source: string, sid = session, transcriptOf = sid): Record<string, unknown> => ({
    ...commonFields(sid),
    transcript_path: `/home/user/.claude/projects/-proj/${transcriptOf}.jsonl`,
    hook_event_name: 'SessionStart',
    source,
  });
  const end = (reason: string, sid = session): Record<string, unknown> => ({ ...commonFields(sid), hook_event_name: 'SessionEnd', reason });
  const prompt = (id: string, sid = session): Record<string, unknown> => ({
    ...commonFields(sid, id),
    hook_event_name: 'UserPromptSubmit',
    prompt: `prompt ${id}`,
  });
  const P1 = { pid: 1001, process_start: 1_000_000 };
  const P2 = { pid: 2002, process_start: 2_000_000 };

  it('a resume in a new process after SessionEnd is a revival and moves the pid', () => {
    const events = [
      ...mapCall(call(start('startup'), 1_000), P1),
      ...mapCall(call(end('prompt_input_exit'), 2_000), P1),
      ...mapCall(call(start('resume'), 9_000), P2),
    ];
    const r = record(events, session);
    expect(r.revival_count).toBe(1);
    expect(r.status).toBe('idle');
    expect(r.pid).toBe(P2.pid);
    expect(r.first_ended_at).toBe(2_000);
  });

  it('a compaction restart (SessionStart compact) is not a revival; PostCompact counts one compaction', () => {
    const compact = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      ...commonFields(session, 'p1'),
      hook_event_name: name,
      trigger: 'auto',
      ...extra,
    });
    const events = [
      ...mapCall(call(start('startup'), 1_000), P1),
      ...mapCall(call(prompt('p1'), 1_100), P1),
      ...mapCall(call(compact('PreCompact', { custom_instructions: null }), 1_200), P1),
      ...mapCall(call(start('compact'), 1_300), P1),
      ...mapCall(call(compact('PostCompact', { compact_summary: 'summary' }), 1_400), P1),
    ];
    const r = record(events, session);
    expect(r.revival_count).toBe(0);
    expect(r.compaction_count).toBe(1);
    expect(r.status).toBe('busy');
    expect(events.find((e) => e.kind === 'session.started' && e.attrs.start_source === 'compact')).toBeDefined();
  });

  it("the compaction's internal agent (SubagentStop with an empty agent_type) is not a subagent", () => {
    const internal = {
      ...commonFields(session, 'p1'),
      hook_event_name: 'SubagentStop',
      agent_id: 'a7c171bda9ce1e16f',
      agent_type: '',
      stop_hook_active: false,
      agent_transcript_path: '/x/subagents/agent-a7c171bda9ce1e16f.jsonl',
      last_assistant_message: '<analysis>The user ran mock scenarios.</analysis>',
    };
    const events = [...mapCall(call(prompt('p1'), 1_000), P1), ...mapCall(call(internal, 1_100), P1)];
    expect(events.every((e) => e.agent_id === null)).toBe(true);
    expect(record(events, session).subagent_count).toBe(0);
  });

  it('a manual /compact idles the session when it is done', () => {
    const manual = { ...commonFields(session, 'p1'), hook_event_name: 'PostCompact', trigger: 'manual', compact_summary: 's' };
    const r = record([...mapCall(call(prompt('p1'), 1_000), P1), ...mapCall(call(manual, 2_000), P1)], session);
    expect(r.status).toBe('idle');
  });

  it('/clear ends the old id and starts a new one on the same process', () => {
    const events = [
      ...mapCall(call(start('startup'), 1_000), P1),
      ...mapCall(call(end('clear'), 5_000), P1),
      ...mapCall(call(start('clear', other), 5_010), P1),
    ];
    const old = record(events, session);
    const fresh = record(events, other);
    expect(old.status).toBe('ended');
    expect(old.end_reason).toBe('clear');
    expect(fresh.status).toBe('idle');
    expect(fresh.pid).toBe(P1.pid);
    expect(fresh.process_start_time).toBe(P1.process_start);
  });

  it('fork rule 1: a resume whose transcript names another session starts that session, forked from the payload id', () => {
    const parentEvents = [...mapCall(call(start('startup'), 1_000), P1), ...mapCall(call(end('other'), 2_000), P1)];
    const forkStart = mapCall(call(start('resume', session, other), 9_000), P2);
    expect(forkStart.every((e) => e.session_id === other)).toBe(true);
    const all = [...parentEvents, ...forkStart];
    expect(record(all, session).revival_count).toBe(0);
    expect(record(all, session).status).toBe('ended');
    expect(record(all, other).forked_from).toBe(session);
    expect(record(all, other).pid).toBe(P2.pid);
  });

  it('fork rule 2: calls marked parent by the forwarder are dropped; the child gets the lineage', () => {
    const parentEvents = [...mapCall(call(start('startup'), 1_000), P1), ...mapCall(call(end('other'), 2_000), P1)];
    const reported = mapClaudeHook(start('resume'), metaAt(9_000, { ...P2, fork: { role: 'parent' } }));
    expect(reported).toMatchObject({ ok: true, fork_parent: true, events: [] });
    const child = { ...P2, fork: { role: 'child' as const, parent_id: session } };
    const childEvents = [...mapCall(call(prompt('c1', other), 9_100), child), ...mapCall(call(prompt('c2', other), 9_500), child)];
    const lineage = childEvents.filter((e) => e.kind === 'session.started');
    expect(lineage.map((e) => e.dedupe_key)).toEqual([`h:fork:${other}`, `h:fork:${other}`]);
    const all = [...parentEvents, ...childEvents];
    expect(record(all, session).revival_count).toBe(0);
    const forked = record(all, other);
    expect(forked.forked_from).toBe(session);
    expect(forked.revival_count).toBe(0);
    expect(forked.message_count).toBe(2);
  });
});

describe('dedupe keys', () => {
  const calls = loadCapturedHooks('b-tools-http-json', 'command');
  const stop = calls.find((c) => c.eventName === 'Stop')!;
  const pre = calls.find((c) => c.eventName === 'PreToolUse')!;

  it('tool and prompt events are keyed by their own ids, whatever the time or process', () => {
    expect(mapCall(pre).map((e) => e.dedupe_key)).toEqual([`h:tc:${String(pre.payload.tool_use_id)}`]);
    expect(mapCall({ ...pre, firedAt: pre.firedAt + 60_000 }, PROCESS).map((e) => e.dedupe_key)).toEqual(mapCall(pre).map((e) => e.dedupe_key));
  });

  it('calls without an id: same payload in the same 5 s bucket is one event, further apart two, another process two', () => {
    const base = Math.floor(stop.firedAt / 5_000) * 5_000;
    const key = (at: number, extra: Partial<HookMeta> = {}): string => mapCall({ ...stop, firedAt: at }, extra)[0]!.dedupe_key;
    expect(key(base + 100)).toBe(key(base + 4_900));
    expect(key(base + 100)).not.toBe(key(base + 5_100));
    expect(key(base + 100, PROCESS)).not.toBe(key(base + 100));
  });

  it('lifecycle calls with a known process are keyed by session and process, without a time bucket', () => {
    const start = calls.find((c) => c.eventName === 'SessionStart')!;
    const keys = (at: number) => mapCall({ ...start, firedAt: at }, PROCESS).map((e) => e.dedupe_key);
    expect(keys(start.firedAt)).toEqual([
      `h:start:startup:${B_TOOLS_SESSION}:${PROCESS.pid}:${PROCESS.process_start}`,
      `h:proc:${B_TOOLS_SESSION}:${PROCESS.pid}:${PROCESS.process_start}`,
    ]);
    expect(keys(start.firedAt + 60_000)).toEqual(keys(start.firedAt));
  });

  it('keys stay within the ledger bound', () => {
    const long = { ...stop.payload, hook_event_name: 'X'.repeat(300) };
    for (const e of mapCall(call(long, 1))) expect(e.dedupe_key.length).toBeLessThanOrEqual(LIMITS.maxDedupeKeyLength);
  });
});

describe('unknown, malformed and oversized input', () => {
  it('an unknown hook event is kept as activity under its name and reported unknown', () => {
    const payload = { ...commonFields(B_TOOLS_SESSION, 'p'), hook_event_name: 'ConfigChange', source: 'user_settings', file_path: '/x' };
    const result = mapClaudeHook(payload, metaAt(1_000));
    expect(result).toMatchObject({ ok: true, known: false, event_name: 'ConfigChange' });
    if (result.ok) expect(result.events).toEqual([expect.objectContaining({ kind: 'session.activity', attrs: expect.objectContaining({ name: 'ConfigChange' }) })]);
    const observed = mapClaudeHook({ ...payload, hook_event_name: 'FileChanged', event: 'change' }, metaAt(1_000));
    expect(observed).toMatchObject({ ok: true, known: true });
  });

  it('refuses what is not a payload', () => {
    for (const bad of [null, 42, 'text', [1, 2], {}, { session_id: '' }, { session_id: 7 }, { session_id: 'x'.repeat(LIMITS.maxIdLength + 1) }]) {
      expect(mapClaudeHook(bad, metaAt(1)).ok).toBe(false);
    }
  });

  it('never emits an event the schema refuses, even for hostile field values', () => {
    const hostile = {
      session_id: B_TOOLS_SESSION,
      hook_event_name: 'PreToolUse',
      cwd: 'c'.repeat(LIMITS.maxTextLength * 2),
      permission_mode: 'm'.repeat(500),
      tool_name: 'T'.repeat(1_000),
      tool_use_id: 'u'.repeat(LIMITS.maxIdLength + 5),
      tool_input: { command: 'x'.repeat(LIMITS.maxTextLength + 10), description: 42 },
      agent_id: ['not', 'an', 'id'],
      duration_ms: -5,
    };
    for (const name of [...KNOWN_CLAUDE_HOOK_EVENTS, 'Whatever']) {
      const result = mapClaudeHook({ ...hostile, hook_event_name: name, reason: 'r'.repeat(999), source: 'weird', prompt: 7 }, metaAt(5));
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      for (const e of result.events) {
        const checked = validateEvent(e);
        expect(checked.ok ? 'valid' : checked.error, `${name} → ${e.kind}`).toBe('valid');
      }
    }
  });

  it('keeps the prompt length but not its text when prompt text is off', () => {
    const payload = { ...commonFields(B_TOOLS_SESSION, 'p9'), hook_event_name: 'UserPromptSubmit', prompt: '/review the change' };
    const result = mapClaudeHook(payload, metaAt(1), { includePromptText: false });
    expect(result.ok && result.events[0]?.attrs).toEqual(expect.objectContaining({ length: 18, command: '/review', prompt_id: 'p9' }));
    expect(result.ok && 'text' in result.events[0]!.attrs).toBe(false);
  });
});
