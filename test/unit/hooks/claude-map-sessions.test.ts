/**
 * The Claude Code hook mapping over a session's life: status transitions
 * (permission prompts, notifications, stop failures) and lifecycle (resume,
 * compaction, /clear, forks), on captured calls and hand-made payloads for
 * the events the capture has no sample of, checked through the real merge.
 */
import { describe, expect, it } from 'vitest';
import { mapClaudeHook } from '../../../collectors/hooks/claude-map.js';
import {
  B_TOOLS_SESSION,
  commonFields,
  loadCapturedHooks,
  notificationPayload,
  permissionRequestPayload,
} from './fixture-hooks.js';
import { call, eventsOf, mapCall, metaAt, record } from './claude-map-support.js';

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
