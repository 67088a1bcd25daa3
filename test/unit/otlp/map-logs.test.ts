/**
 * Claude Code log records to normalized events: checked against the mock
 * API's ground truth for every captured run, against values read by hand from
 * the captures, and on records built with the SDK for the cases the captures
 * lack (errors, old string-typed numbers, rejections, other services).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { CumulativeSeries } from '../../../collectors/otlp/claude/cumulative.js';
import { IGNORED_BODIES } from '../../../collectors/otlp/claude/logs.js';
import { mapRequest, type ClaudeMapOptions } from '../../../collectors/otlp/claude/map-request.js';
import { decodeRequest } from '../../../collectors/otlp/decode.js';
import { validateEvent, type EventOf, type NormalizedEvent } from '../../../schema/index.js';
import { claudeResource, readableLogs, type ClaudeLogSpec } from './claude-sdk.js';
import { FIXTURES, fixtureRequests } from './harness.js';

const RECEIVED = 1_800_000_000_000;

function mapBody(body: Buffer, encoding: 'protobuf' | 'json', signal: 'logs' | 'metrics' | 'traces', options?: ClaudeMapOptions) {
  const decoded = decodeRequest(body, encoding, signal);
  if (decoded === 'empty') throw new Error('empty');
  return mapRequest(decoded, RECEIVED, new CumulativeSeries(new Map(), 100), options).result;
}

function mapSpecs(specs: ClaudeLogSpec[], serviceName = 'claude-code', options?: ClaudeMapOptions) {
  const body = Buffer.from(ProtobufLogsSerializer.serializeRequest(readableLogs(specs, claudeResource(serviceName)))!);
  return mapBody(body, 'protobuf', 'logs', options);
}

function scenarioEvents(scenario: string): NormalizedEvent[] {
  return fixtureRequests(scenario)
    .filter((r) => r.signal === 'logs')
    .flatMap((r) => mapBody(r.body, r.protocol === 'http/json' ? 'json' : 'protobuf', 'logs').events);
}

function ofKind<K extends NormalizedEvent['kind']>(events: NormalizedEvent[], kind: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.kind === kind);
}

interface MockRequest {
  headers: Record<string, string>;
  response: { request_id: string; usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number } };
}

const SCENARIOS = ['a-simple-grpc', 'a-simple-http-json', 'a-simple-http-protobuf', 'b-tools-grpc', 'b-tools-http-json', 'b-tools-http-protobuf', 'd-subagent', 'h-extras'];

describe('api_request records against the mock API ground truth', () => {
  it.each(SCENARIOS)('%s: one api.request per answered request, with its exact usage and session', (scenario) => {
    const truth = readFileSync(join(FIXTURES, scenario, 'mock-api-requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as MockRequest);
    const requests = ofKind(scenarioEvents(scenario), 'api.request');
    expect(requests.map((e) => e.attrs.request_id).sort()).toEqual(truth.map((t) => t.response.request_id).sort());
    for (const t of truth) {
      const e = requests.find((r) => r.attrs.request_id === t.response.request_id)!;
      expect(e.session_id).toBe(t.headers['x-claude-code-session-id']);
      expect(e.attrs.usage).toEqual({
        input: t.response.usage.input_tokens,
        output: t.response.usage.output_tokens,
        cache_read: t.response.usage.cache_read_input_tokens,
        cache_write: t.response.usage.cache_creation_input_tokens,
        cache_write_1h: 0, // OTel reports one cache-creation number; the 1-hour share is unknown
      });
    }
  });
});

describe('the subagent run (d-subagent), by hand from the capture', () => {
  const events = scenarioEvents('d-subagent');

  it('every event passes the schema, with unique, short dedupe keys', () => {
    for (const e of events) expect(validateEvent(e)).toEqual({ ok: true, event: e });
    expect(new Set(events.map((e) => e.dedupe_key)).size).toBe(events.length);
    expect(Math.max(...events.map((e) => e.dedupe_key.length))).toBeLessThan(80);
  });

  it('the prompt, with its prompt id, text and length', () => {
    expect(ofKind(events, 'prompt.submitted')).toEqual([
      {
        dedupe_key: 'o:l:221487a9-8603-4d04-a876-eae3d951bdec:60:' + (1795262120339000000).toString(36),
        source: 'otel',
        framework: 'claude_code',
        session_id: '221487a9-8603-4d04-a876-eae3d951bdec',
        agent_id: null,
        ts: 1795262120339,
        received_at: RECEIVED,
        kind: 'prompt.submitted',
        attrs: { app_version: '2.1.197', prompt_id: '955f5d66-0ef8-478d-b06f-30c1ee451dc5', text: 'TASKDEMO: delegate an echo to a subagent', length: 40 },
      },
    ]);
  });

  it('main and subagent requests: cost, duration, query source; subagent ones flagged with their agent type', () => {
    const byId = new Map(ofKind(events, 'api.request').map((e) => [e.attrs.request_id, e.attrs]));
    expect(byId.get('req_011EC3vz9jjaENQhgBpnKkmKJYP')).toMatchObject({ model: 'claude-opus-4-8', reported_cost_usd: 0.1339325, duration_ms: 100, query_source: 'sdk' });
    expect(byId.get('req_011EC3vz9jjaENQhgBpnKkmKJYP')!.is_sidechain).toBeUndefined();
    expect(byId.get('req_011sQFgO26R3lGRUmAgBM07nbKq')).toMatchObject({
      query_source: 'agent:builtin:general-purpose',
      agent_name: 'general-purpose',
      is_sidechain: true,
      reported_cost_usd: 0.085295,
    });
  });

  it('tool calls and results joined by tool_use_id, the subagent finish', () => {
    expect(ofKind(events, 'tool.called').map((e) => [e.attrs.tool_name, e.attrs.tool_use_id, e.attrs.command])).toEqual([
      ['Agent', 'toolu_018QDsCTLLTJfdiFx6dEbmQPZi', undefined],
      ['Bash', 'toolu_01xfOMXUlkKdIpVSlsqZuaGe89', 'echo from-subagent'],
    ]);
    expect(ofKind(events, 'tool.finished').map((e) => [e.attrs.tool_use_id, e.attrs.success, e.attrs.duration_ms])).toEqual([
      ['toolu_01xfOMXUlkKdIpVSlsqZuaGe89', true, 38],
      ['toolu_018QDsCTLLTJfdiFx6dEbmQPZi', true, 398],
    ]);
    expect(ofKind(events, 'subagent.finished').map((e) => e.attrs)).toEqual([
      { app_version: '2.1.197', agent_type: 'general-purpose', total_tokens: 13951, duration_ms: 395 },
    ]);
  });

  it('assistant responses are activity; hook inventory and timing records make nothing', () => {
    expect(ofKind(events, 'session.activity').map((e) => e.attrs.name)).toEqual(Array(4).fill('assistant_response'));
    const kinds = new Set(events.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['prompt.submitted', 'api.request', 'session.activity', 'tool.called', 'tool.finished', 'subagent.finished']));
  });
});

describe('the tools run (b-tools-http-json), by hand from the capture', () => {
  const events = scenarioEvents('b-tools-http-json');

  it('a failed Read finishes unsuccessfully with its error', () => {
    const failed = ofKind(events, 'tool.finished').filter((e) => !e.attrs.success);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attrs).toMatchObject({ tool_name: 'Read', error: expect.stringMatching(/^File does not exist/) });
  });

  it('Bash calls carry their full command from tool_parameters', () => {
    const commands = ofKind(events, 'tool.called').map((e) => e.attrs.command).filter(Boolean);
    expect(commands).toContain('echo hi');
    expect(commands).toContain('cd sub && pwd');
  });
});

const SESSION = '0a3d4bd5-c44f-4d42-8f81-2f14723fb301';
/** Every event carries the resource's `service.version` as `app_version`. */
const V = { app_version: '2.1.197' };
const base = (name: string, seq: number, extra: Record<string, string | number | boolean>): ClaudeLogSpec => ({
  name,
  timestamp: 1_795_262_132_437 + seq,
  attributes: { 'session.id': SESSION, 'event.name': name, 'event.sequence': seq, 'prompt.id': '4738101c-2352-445d-b9b9-a28dea0f6eeb', ...extra },
});

describe('records the captures do not hold', () => {
  it('api_error then api_retries_exhausted: one failure, sharing the request id', () => {
    const result = mapSpecs([
      base('api_error', 63, { model: 'claude-opus-4-8[1m]', error: 'rate limited (mock)', status_code: 429, attempt: 3, request_id: 'req_011iGG9VG8SlQZiQ81mivu2jp38', duration_ms: 17 }),
      base('api_retries_exhausted', 64, { model: 'claude-opus-4-8[1m]', error: 'rate limited (mock)', status_code: 429, total_attempts: 3, total_retry_duration_ms: 2102 }),
    ]);
    const errors = ofKind(result.events, 'api.error');
    expect(errors.map((e) => e.attrs)).toEqual([
      { ...V, request_id: 'req_011iGG9VG8SlQZiQ81mivu2jp38', model: 'claude-opus-4-8[1m]', status_code: 429, error: 'rate limited (mock)', attempt: 3 },
      { ...V, request_id: 'req_011iGG9VG8SlQZiQ81mivu2jp38', model: 'claude-opus-4-8[1m]', status_code: 429, error: 'rate limited (mock)', attempt: 3, retries_exhausted: true },
    ]);
  });

  it('numbers sent as strings (before 2.1.122) give the same request as numbers', () => {
    const numeric = { model: 'claude-opus-4-8', input_tokens: 4, output_tokens: 27, cache_read_tokens: 0, cache_creation_tokens: 21129, cost_usd: 0.13275125, duration_ms: 91, request_id: 'req_1' };
    const strings = Object.fromEntries(Object.entries(numeric).map(([k, v]) => [k, String(v)]));
    const a = ofKind(mapSpecs([base('api_request', 1, numeric)]).events, 'api.request')[0]!;
    const b = ofKind(mapSpecs([base('api_request', 1, strings)]).events, 'api.request')[0]!;
    expect(b.attrs).toEqual(a.attrs);
    expect(a.attrs.usage).toEqual({ input: 4, output: 27, cache_read: 0, cache_write: 21129, cache_write_1h: 0 });
  });

  it('a redacted prompt keeps its length but no text; slash commands, custom or built-in, are prompts with their name', () => {
    const events = mapSpecs([
      base('user_prompt', 1, { prompt: '<REDACTED>', prompt_length: '31' }),
      base('user_prompt', 2, { prompt: '/review the diff', prompt_length: '16', command_name: 'review', command_source: 'custom' }),
      base('user_prompt', 3, { prompt: '/compact', prompt_length: '8', command_name: 'compact', command_source: 'builtin' }),
    ]).events;
    expect(events.map((e) => [e.kind, e.attrs])).toEqual([
      ['prompt.submitted', { ...V, prompt_id: '4738101c-2352-445d-b9b9-a28dea0f6eeb', length: 31 }],
      ['prompt.submitted', { ...V, prompt_id: '4738101c-2352-445d-b9b9-a28dea0f6eeb', text: '/review the diff', length: 16, command: 'review' }],
      ['prompt.submitted', { ...V, prompt_id: '4738101c-2352-445d-b9b9-a28dea0f6eeb', text: '/compact', length: 8, command: 'compact' }],
    ]);
  });

  it('with prompt text dropped, a prompt keeps its id, length and command but no text', () => {
    const specs = [
      base('user_prompt', 1, { prompt: 'fix the flaky test', prompt_length: '18' }),
      base('user_prompt', 2, { prompt: '/review the diff', prompt_length: '16', command_name: 'review', command_source: 'custom' }),
    ];
    const prompts = (options?: ClaudeMapOptions) => mapSpecs(specs, 'claude-code', options).events.map((e) => [e.kind, e.attrs]);
    const P = { ...V, prompt_id: '4738101c-2352-445d-b9b9-a28dea0f6eeb' };
    expect(prompts({ includePromptText: false })).toEqual([
      ['prompt.submitted', { ...P, length: 18 }],
      ['prompt.submitted', { ...P, length: 16, command: 'review' }],
    ]);
    expect(prompts({ includePromptText: true })).toEqual([
      ['prompt.submitted', { ...P, text: 'fix the flaky test', length: 18 }],
      ['prompt.submitted', { ...P, text: '/review the diff', length: 16, command: 'review' }],
    ]);
    expect(prompts()).toEqual(prompts({ includePromptText: true }));
  });

  it('a rejected tool decision is a call that finished unsuccessfully', () => {
    const events = mapSpecs([base('tool_decision', 5, { decision: 'reject', source: 'user_reject', tool_name: 'Write', tool_use_id: 'toolu_1' })]).events;
    expect(events.map((e) => [e.kind, e.attrs])).toEqual([
      ['tool.called', { ...V, tool_name: 'Write', tool_use_id: 'toolu_1' }],
      ['tool.finished', { ...V, tool_name: 'Write', success: false, error: 'rejected (user_reject)', tool_use_id: 'toolu_1' }],
    ]);
  });

  it('compaction with string numbers; a failed one is only activity', () => {
    const events = mapSpecs([
      base('compaction', 67, { trigger: 'manual', pre_tokens: '2028', post_tokens: '797', duration_ms: '289', success: 'true' }),
      base('compaction', 79, { trigger: 'auto', success: 'false' }),
    ]).events;
    expect(events.map((e) => [e.kind, e.attrs])).toEqual([
      ['compaction', { ...V, trigger: 'manual', pre_tokens: 2028, post_tokens: 797 }],
      ['session.activity', { ...V, name: 'compaction_failed' }],
    ]);
  });

  it('other services are counted and kept out; records without session.id are counted; oversized ones rejected', () => {
    expect(mapSpecs([base('api_request', 1, { request_id: 'r' })], 'some-other-service')).toMatchObject({ foreign: 1, rejected: 0, events: [] });
    const { events, withoutSession } = mapSpecs([{ name: 'api_request', timestamp: 1, attributes: { request_id: 'r' } }]);
    expect([events, withoutSession]).toEqual([[], 1]);
    const tooLong = mapSpecs([base('user_prompt', 1, { 'session.id': 'x'.repeat(300) })]);
    expect(tooLong).toMatchObject({ rejected: 1, events: [] });
    expect(tooLong.firstRejection).toMatch(/session\.id/);
  });

  it('the name falls back to event.name when the body is not a claude_code name', () => {
    const specs = [base('tool_result', 4, { tool_name: 'Bash', tool_use_id: 't', success: true })];
    const records = readableLogs(specs);
    (records[0] as unknown as { body: string }).body = 'something else';
    const body = Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!);
    expect(mapBody(body, 'protobuf', 'logs').events.map((e) => e.kind)).toEqual(['tool.finished']);
  });

  it('not decoding the attributes of ignored records (hook inventory) changes nothing mapped', () => {
    for (const r of fixtureRequests().filter((x) => x.signal === 'logs')) {
      const encoding = r.protocol === 'http/json' ? 'json' : 'protobuf';
      const limits = { maxAttributeBytes: 1 << 20, maxValueDepth: 16 };
      const full = decodeRequest(r.body, encoding, 'logs', limits);
      const lean = decodeRequest(r.body, encoding, 'logs', { ...limits, ignoredBodies: IGNORED_BODIES });
      if (full === 'empty' || lean === 'empty') throw new Error('empty');
      const leanRecords = lean.groups.flatMap((g) => g.items as { body: unknown; attrs: Map<string, unknown> }[]);
      expect(leanRecords.filter((x) => IGNORED_BODIES.has(x.body as string)).every((x) => x.attrs.size === 0)).toBe(true);
      const series = () => new CumulativeSeries(new Map(), 10);
      const a = mapRequest(full, RECEIVED, series()).result;
      const b = mapRequest(lean, RECEIVED, series()).result;
      expect(b).toEqual(a);
    }
  });

  it('mapping the same request twice gives the same events and keys', () => {
    const r = fixtureRequests('b-tools-grpc').find((x) => x.signal === 'logs')!;
    expect(mapBody(r.body, 'protobuf', 'logs').events).toEqual(mapBody(r.body, 'protobuf', 'logs').events);
  });
});
