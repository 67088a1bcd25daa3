/**
 * The collector's reading of the real Claude Code 2.1.197 captures. Expected
 * numbers are written by hand from each scenario's mock-api-requests.jsonl
 * (the usage the mock returned) and transcripts, not produced by the code.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { validateEvent, type EventOf } from '../../../schema/index.js';
import { readTree } from './support/read-tree.js';
import { tally } from './support/tally.js';
import { CLAUDE_FIXTURES } from '../../support/shared-fixtures.js';

const FIXTURES = CLAUDE_FIXTURES;
const rootOf = (scenario: string) => join(FIXTURES, scenario, 'transcripts');

describe('real fixtures: per-session totals deduplicated by request', () => {
  it('b-tools-http-json: 7 requests, 7 tool calls (1 failed), 1 prompt', () => {
    const { events } = readTree(rootOf('b-tools-http-json'));
    const t = tally(events, 'b645c7a3-b810-40ee-88aa-90bc5598a479');
    expect(t).toMatchObject({ requests: 7, input: 36, output: 405, cache_read: 128713, cache_write: 21953, cache_write_1h: 0, tool_calls: 7, tool_errors: 1, prompts: 1, compactions: 0, api_errors: 0 });
    expect(t.by_model).toEqual({ 'claude-opus-4-8': 7 });
  });

  it('b-tools-grpc and b-tools-http-protobuf', () => {
    const grpc = tally(readTree(rootOf('b-tools-grpc')).events, 'c03c41ad-ae56-4289-9937-7bb09aca1201');
    expect(grpc).toMatchObject({ requests: 7, input: 36, output: 397, cache_read: 128665, cache_write: 21936, tool_calls: 7, prompts: 1 });
    const proto = tally(readTree(rootOf('b-tools-http-protobuf')).events, '17684077-45cb-4aac-92dc-5aecd9315f76');
    expect(proto).toMatchObject({ requests: 7, input: 36, output: 411, cache_read: 128752, cache_write: 21966, tool_calls: 7, prompts: 1 });
  });

  it('a-simple-*: one request, one prompt, no tools', () => {
    const cases: [string, string, number][] = [
      ['a-simple-http-json', '444ba3a4-6f36-4278-add0-4d482de98756', 21130],
      ['a-simple-grpc', '4ae4f9fe-976f-4e96-8c1f-87976b2e6f45', 21126],
      ['a-simple-http-protobuf', '2481d283-44b5-4d0d-b279-8691c29eaffd', 21133],
    ];
    for (const [scenario, id, cacheWrite] of cases) {
      const t = tally(readTree(rootOf(scenario)).events, id);
      expect(t, scenario).toMatchObject({ requests: 1, input: 4, output: 27, cache_read: 0, cache_write: cacheWrite, tool_calls: 0, prompts: 1 });
    }
  });

  it('d-subagent: subagent usage rolls into the parent, per agent', () => {
    const { events } = readTree(rootOf('d-subagent'));
    const t = tally(events, '221487a9-8603-4d04-a876-eae3d951bdec');
    expect(t).toMatchObject({ requests: 4, input: 21, output: 165, cache_read: 34570, cache_write: 35226, tool_calls: 2, prompts: 1 });
    expect(t.by_agent).toEqual({
      main: { requests: 2, input: 10, output: 93, cache_read: 21130, cache_write: 21306 },
      a80849437ccc16144: { requests: 2, input: 11, output: 72, cache_read: 13440, cache_write: 13920 },
    });
    const started = events.filter((e): e is EventOf<'subagent.started'> => e.kind === 'subagent.started');
    expect(started).toHaveLength(1);
    expect(started[0]!.agent_id).toBe('a80849437ccc16144');
    expect(started[0]!.attrs).toMatchObject({ agent_type: 'general-purpose', description: 'Echo via subagent', tool_use_id: 'toolu_018QDsCTLLTJfdiFx6dEbmQPZi' });
    const subRequests = events.filter((e) => e.kind === 'api.request' && e.agent_id === 'a80849437ccc16144');
    expect(subRequests.every((e) => e.kind === 'api.request' && e.attrs.is_sidechain === true)).toBe(true);
  });

  it('h-extras: 4 requests, 3 tool calls with the denied Write failed', () => {
    const t = tally(readTree(rootOf('h-extras')).events, '38e41e8e-a02c-4d49-afea-d54c04cfb5fd');
    expect(t).toMatchObject({ requests: 4, input: 21, output: 179, cache_read: 63965, cache_write: 21515, tool_calls: 3, tool_errors: 1, prompts: 1 });
  });
});

describe('real fixtures: context, identity and schema', () => {
  const { events } = readTree(rootOf('b-tools-http-json'));

  it('carries cwd per line (it follows `cd sub`) and never sends HEAD as a branch', () => {
    const prompt = events.find((e) => e.kind === 'prompt.submitted')!;
    expect(prompt.attrs).toMatchObject({ cwd: '/home/user/runs/b-tools-http-json/proj', app_version: '2.1.197', entrypoint: 'sdk-cli', permission_mode: 'default', prompt_id: '0503a3a0-0da1-427c-8525-bb4c5322c055', length: 40 });
    // The collector keeps prompt text by default (the daemon's --prompt-text keep).
    expect((prompt.attrs as { text?: string }).text).toBe('TOOLDEMO: run echo hi and read hello.txt');
    const last = events.filter((e) => e.kind === 'api.request').at(-1)!;
    expect(last.attrs.cwd).toBe('/home/user/runs/b-tools-http-json/proj/sub');
    expect(events.some((e) => (e.attrs as { git_branch?: string }).git_branch !== undefined)).toBe(false);
  });

  it('starts the session once, with its transcript path, at the first message line', () => {
    const starts = events.filter((e) => e.kind === 'session.started');
    expect(starts).toHaveLength(1);
    expect(starts[0]!.ts).toBe(Date.parse('2026-11-21T11:54:53.559Z'));
    expect(starts[0]!.attrs.start_source).toBe('unknown');
    expect(starts[0]!.attrs.transcript_path).toMatch(/b645c7a3-b810-40ee-88aa-90bc5598a479\.jsonl$/);
  });

  it('names tools and their inputs, joined to results by tool_use_id', () => {
    const calls = events.filter((e): e is EventOf<'tool.called'> => e.kind === 'tool.called');
    expect(calls.map((c) => c.attrs.tool_name)).toEqual(['Bash', 'Read', 'Bash', 'Read', 'Write', 'Edit', 'Bash']);
    expect(calls[0]!.attrs).toMatchObject({ tool_use_id: 'toolu_01KdNtYKhPicuHHcbMzkD6J51G', command: 'echo hi' });
    expect(calls[3]!.attrs.file_path).toBe('/home/user/runs/b-tools-http-json/proj/missing.txt');
    const failed = events.filter((e): e is EventOf<'tool.finished'> => e.kind === 'tool.finished' && !e.attrs.success);
    expect(failed.map((f) => f.attrs.tool_use_id)).toEqual(['toolu_01pwCviz1mqXKBxwcPFDFfisMg']);
  });

  it('emits only events the schema accepts, with unique short dedupe keys', () => {
    const all = ['a-simple-http-json', 'b-tools-http-json', 'd-subagent', 'h-extras'].flatMap((s) => readTree(rootOf(s)).raw);
    for (const e of all) {
      const v = validateEvent(e);
      expect(v.ok ? '' : `${e.kind}: ${v.error}`).toBe('');
      expect(e.dedupe_key.length).toBeLessThanOrEqual(64);
    }
    expect(new Set(all.map((e) => e.dedupe_key)).size).toBe(all.length);
  });

  it('gives the same events with the same keys on a second read from scratch', () => {
    const again = readTree(rootOf('b-tools-http-json')).events;
    expect(again.map((e) => [e.dedupe_key, e.kind, e.ts])).toEqual(events.map((e) => [e.dedupe_key, e.kind, e.ts]));
  });
});

describe('real fixtures: both line scanners', () => {
  it('the JS scanner and the native one map every captured tree to the same events', () => {
    for (const scenario of ['a-simple-grpc', 'a-simple-http-json', 'a-simple-http-protobuf', 'b-tools-grpc', 'b-tools-http-json', 'b-tools-http-protobuf', 'd-subagent', 'h-extras']) {
      const native = readTree(rootOf(scenario), { scanner: 'native' });
      const js = readTree(rootOf(scenario), { scanner: 'js' });
      expect(native.raw.length, scenario).toBeGreaterThan(0);
      expect(js.raw, scenario).toStrictEqual(native.raw);
      expect(js.counters, scenario).toStrictEqual(native.counters);
    }
  });
});
