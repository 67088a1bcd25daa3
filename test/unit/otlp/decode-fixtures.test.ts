/**
 * Every captured Claude Code request decodes, from its exact body, to the
 * same model as its decoded JSON twin, and so does the twin encoded by
 * protobufjs (an encoder independent of the decoder); `POST /` tells each one's signal from
 * the body alone; and spot values read by hand from the captures come out
 * right (int64 as strings in JSON, hex ids, numbers sent as strings).
 */
import { describe, expect, it } from 'vitest';
import { decodeRequest } from '../../../collectors/otlp/decode.js';
import type { DecodedRequest, LogRecordIn, MetricIn, SpanIn } from '../../../collectors/otlp/model.js';
import { fixtureRequests } from './harness.js';
import { protobufOfJson } from './otlp-descriptor.js';

const all = fixtureRequests();

function decoded(body: Buffer, protocol: string, signal: 'logs' | 'metrics' | 'traces' | null): DecodedRequest {
  const out = decodeRequest(body, protocol === 'http/json' ? 'json' : 'protobuf', signal);
  if (out === 'empty') throw new Error('empty');
  return out;
}

function items<T>(request: DecodedRequest): T[] {
  return (request.groups as unknown as { items: T[] }[]).flatMap((g) => g.items);
}

describe('captured requests', () => {
  it('are all present (43 requests in 8 scenarios)', () => {
    expect(all).toHaveLength(43);
    expect(new Set(all.map((r) => r.protocol))).toEqual(new Set(['http/protobuf', 'http/json', 'grpc']));
  });

  it.each(all.map((r) => [`${r.scenario}/${r.file}`, r] as const))('%s decodes like its JSON twin', (_name, r) => {
    expect(decoded(r.body, r.protocol, r.signal)).toEqual(decoded(r.json, 'http/json', r.signal));
  });

  it.each(all.map((r) => [`${r.scenario}/${r.file}`, r] as const))('%s: its JSON twin encoded by protobufjs decodes like the twin', (_name, r) => {
    expect(decoded(protobufOfJson(r.signal, r.json), 'grpc', r.signal)).toEqual(decoded(r.json, 'http/json', r.signal));
  });

  it.each(all.map((r) => [`${r.scenario}/${r.file}`, r] as const))('%s is recognised on POST /', (_name, r) => {
    expect(decoded(r.body, r.protocol, null).signal).toBe(r.signal);
  });
});

describe('decoded values', () => {
  const logs = decoded(all.find((r) => r.scenario === 'd-subagent' && r.file === '0002-logs-http-protobuf.bin')!.body, 'grpc', 'logs');
  const records = items<LogRecordIn>(logs);

  it('keeps resource and scope', () => {
    const origin = logs.groups[0]!.origin;
    expect(origin.resource.get('service.name')).toBe('claude-code');
    expect(origin.resource.get('service.version')).toBe('2.1.197');
    expect(origin.scopeName).toBe('com.anthropic.claude_code.events');
  });

  it('reads the first api_request record of the subagent run', () => {
    const api = records.find((r) => r.body === 'claude_code.api_request')!;
    expect(api.timeNs).toBe(1795262120536000000);
    expect(api.attrs.get('session.id')).toBe('221487a9-8603-4d04-a876-eae3d951bdec');
    expect(api.attrs.get('request_id')).toBe('req_011EC3vz9jjaENQhgBpnKkmKJYP');
    expect(api.attrs.get('cache_creation_tokens')).toBe(21126);
    expect(api.attrs.get('cost_usd')).toBe(0.1339325);
    expect(api.attrs.get('event.sequence')).toBe(64);
  });

  it('keeps the strings Claude Code sends for numbers and booleans', () => {
    const prompt = records.find((r) => r.body === 'claude_code.user_prompt')!;
    expect(prompt.attrs.get('prompt_length')).toBe('40');
    const result = records.find((r) => r.body === 'claude_code.tool_result')!;
    expect(result.attrs.get('success')).toBe('true');
  });

  it('reads metric kind, temporality, unit and points', () => {
    const req = all.find((r) => r.scenario === 'a-simple-http-json' && r.signal === 'metrics')!;
    const metrics = items<MetricIn>(decoded(req.body, req.protocol, 'metrics'));
    const cost = metrics.find((m) => m.name === 'claude_code.cost.usage')!;
    expect(cost).toMatchObject({ kind: 'sum', temporality: 1, monotonic: true, unit: 'USD' });
    expect(cost.points).toHaveLength(1);
    expect(cost.points[0]!.value).toBeGreaterThan(0);
    expect(cost.points[0]!.attrs.get('query_source')).toBe('main');
  });

  it('reads span ids as hex, parent links, times, status and array attributes', () => {
    const req = all.find((r) => r.scenario === 'a-simple-http-protobuf' && r.signal === 'traces')!;
    const spans = items<SpanIn>(decoded(req.body, req.protocol, 'traces'));
    const llm = spans.find((s) => s.name === 'claude_code.llm_request')!;
    expect(llm).toMatchObject({
      traceId: 'a7b3ea6791c5b798159bf52c52b2f21a',
      spanId: '8f6e9b0bf9592e9e',
      parentSpanId: '88b66e032ad00eb7',
      startNs: 1795262081692000000,
      statusCode: 0,
    });
    expect(llm.attrs.get('gen_ai.response.finish_reasons')).toEqual(['end_turn']);
    expect(llm.attrs.get('success')).toBe(true);
    const root = spans.find((s) => s.name === 'claude_code.interaction')!;
    expect(root.parentSpanId).toBe('');
    expect(root.attrs.get('user_prompt')).toBe('Say hello to the corpus harness');
  });

  it('reads a failed tool execution span with its error status', () => {
    const req = all.find((r) => r.scenario === 'b-tools-http-json' && r.file === '0003-traces-http-json.bin')!;
    const spans = items<SpanIn>(decoded(req.body, req.protocol, 'traces'));
    const failed = spans.find((s) => s.name === 'claude_code.tool.execution' && s.statusCode === 2)!;
    expect(failed.statusMessage).toMatch(/^File does not exist/);
    expect(failed.attrs.get('success')).toBe(false);
  });
});
