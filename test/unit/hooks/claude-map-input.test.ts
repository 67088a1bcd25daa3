/**
 * The Claude Code hook mapping's dedupe keys, and its handling of unknown,
 * malformed, hostile and oversized input: nothing it emits is refused by the
 * schema, and what is not a payload is refused.
 */
import { describe, expect, it } from 'vitest';
import { mapClaudeHook, KNOWN_CLAUDE_HOOK_EVENTS } from '../../../collectors/hooks/claude-map.js';
import type { HookMeta } from '../../../collectors/hooks/builder.js';
import { LIMITS, validateEvent } from '../../../schema/index.js';
import { B_TOOLS_SESSION, commonFields, loadCapturedHooks } from './fixture-hooks.js';
import { PROCESS, call, mapCall, metaAt } from './claude-map-support.js';

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
