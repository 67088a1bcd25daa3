/**
 * The mock Messages API on its own: wire format, scripts, errors and the
 * record it keeps (the oracle of every other e2e test).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { failStep, startMockAnthropic, textStep, toolStep, type MockAnthropic, type MockScript } from '../support/mock-anthropic.js';
import { sessionOracle, sessionsSeen } from '../support/mock-anthropic-oracle.js';

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const lines = chunk.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))!.slice(7);
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Record<string, unknown>;
      return { event, data };
    });
}

type Msg = { role: string; content: unknown };

function body(messages: Msg[], stream = true): string {
  return JSON.stringify({ model: 'claude-opus-4-8', max_tokens: 100, stream, system: [{ type: 'text', text: 'sys' }], messages });
}

async function post(mock: MockAnthropic, session: string, messages: Msg[], stream = true): Promise<Response> {
  return fetch(`${mock.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-claude-code-session-id': session },
    body: body(messages, stream),
  });
}

const prompt = (text: string): Msg => ({ role: 'user', content: [{ type: 'text', text: '<system-reminder>ctx</system-reminder>' }, { type: 'text', text }] });
const toolRound = (id: string): Msg[] => [
  { role: 'assistant', content: [{ type: 'tool_use', id, name: 'Bash', input: {} }] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'ok' }] },
];

const scripts: MockScript[] = [
  { name: 'tools', marker: 'TOOLS:', steps: [toolStep([{ name: 'Bash', input: { command: 'echo hi' } }, { name: 'Read', input: { file_path: '/x' } }], 'Running.'), textStep('All done.')] },
  { name: 'flaky', marker: 'FLAKY:', steps: [failStep({ status: 500, type: 'api_error', message: 'boom' }, 1, textStep('Recovered.'))] },
  { name: 'fatal', marker: 'FATAL:', steps: [failStep({ status: 429, type: 'rate_limit_error', message: 'slow down', retryAfterSeconds: 0 }, 'always')] },
];

let mock: MockAnthropic | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('mock Messages API', () => {
  it('streams tool calls like the real API and records the exact usage, ids and session', async () => {
    mock = await startMockAnthropic({ scripts });
    const res = await post(mock, 'sess-a', [prompt('TOOLS: do things')]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event).filter((e) => e !== 'content_block_delta')).toEqual([
      'message_start', 'ping',
      'content_block_start', 'content_block_stop',
      'content_block_start', 'content_block_stop',
      'content_block_start', 'content_block_stop',
      'message_delta', 'message_stop',
    ]);
    const rec = mock.requests[0]!;
    expect(rec.sessionId).toBe('sess-a');
    expect(rec.script).toBe('tools');
    expect(res.headers.get('request-id')).toBe(rec.requestId);
    expect(rec.requestId).toMatch(/^req_011[0-9A-Za-z]{24}$/);
    const start = events[0]!.data.message as { id: string; usage: { output_tokens: number; input_tokens: number } };
    expect(start.id).toBe(rec.messageId);
    // Placeholder output count in message_start, the true one only in message_delta.
    expect(start.usage.output_tokens).toBe(1);
    expect(start.usage.input_tokens).toBe(rec.usage!.input_tokens);
    const delta = events.find((e) => e.event === 'message_delta')!.data;
    expect((delta.usage as { output_tokens: number }).output_tokens).toBe(rec.usage!.output_tokens);
    expect((delta.delta as { stop_reason: string }).stop_reason).toBe('tool_use');
    // Tool input arrives as JSON deltas that concatenate to the scripted input.
    const toolStart = events.filter((e) => e.event === 'content_block_start')[1]!.data;
    const json = events
      .filter((e) => e.event === 'content_block_delta' && e.data.index === toolStart.index)
      .map((e) => (e.data.delta as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ command: 'echo hi' });
    expect(rec.toolUses.map((t) => t.name)).toEqual(['Bash', 'Read']);
    expect((toolStart.content_block as { id: string }).id).toBe(rec.toolUses[0]!.id);
  });

  it('moves to the next step after each assistant message of the turn', async () => {
    mock = await startMockAnthropic({ scripts });
    await (await post(mock, 's', [prompt('TOOLS: go')])).text();
    const res = await post(mock, 's', [prompt('TOOLS: go'), ...toolRound('toolu_1')]);
    const text = parseSse(await res.text())
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => (e.data.delta as { text: string }).text)
      .join('');
    expect(text).toBe('All done.');
    expect(mock.requests.map((r) => [r.step, r.stopReason])).toEqual([[0, 'tool_use'], [1, 'end_turn']]);
    const third = await post(mock, 's', [prompt('TOOLS: go'), ...toolRound('a'), ...toolRound('b')]);
    await third.text();
    expect(mock.requests[2]!.overflow).toBe(true);
  });

  it('fails a flaky step once with 500 then answers, and a fatal step always with 429', async () => {
    mock = await startMockAnthropic({ scripts });
    const first = await post(mock, 'f', [prompt('FLAKY: x')]);
    expect(first.status).toBe(500);
    expect(await first.json()).toEqual({ type: 'error', error: { type: 'api_error', message: 'boom' } });
    const second = await post(mock, 'f', [prompt('FLAKY: x')]);
    expect(second.status).toBe(200);
    await second.text();
    for (let i = 0; i < 3; i++) {
      const r = await post(mock, 'g', [prompt('FATAL: y')]);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('0');
      await r.text();
    }
    expect(mock.requests.map((r) => [r.sessionId, r.status, r.attempt])).toEqual([
      ['f', 500, 1], ['f', 200, 2], ['g', 429, 1], ['g', 429, 2], ['g', 429, 3],
    ]);
    const flaky = sessionOracle(mock.requests, 'f');
    expect(flaky.requests).toBe(1);
    expect(flaky.error_responses).toBe(1);
    const fatal = sessionOracle(mock.requests, 'g');
    expect([fatal.requests, fatal.error_responses, fatal.tokens_input]).toEqual([0, 3, 0]);
  });

  it('answers compaction summary requests, non-streaming requests and unknown paths', async () => {
    mock = await startMockAnthropic({ scripts });
    // Two requests of another session first, so the compaction is the third request (one with a 1-hour cache write).
    for (let i = 0; i < 2; i++) await (await post(mock, 'z', [prompt('warm up')])).text();
    const compact = await post(mock, 'c', [prompt('hello'), { role: 'assistant', content: 'hi' }, prompt('Your task is to create a detailed summary of the conversation so far')]);
    expect(compact.status).toBe(200);
    expect(await compact.text()).toContain('<summary>');
    const plain = await post(mock, 'c', [prompt('just text')], false);
    const json = (await plain.json()) as { content: { text: string }[]; usage: { output_tokens: number } };
    expect(json.content[0]!.text).toContain('just text');
    expect(json.usage.output_tokens).toBe(mock.requests[3]!.usage!.output_tokens);
    const other = await fetch(`${mock.url}/api/hello`);
    expect(other.status).toBe(404);
    expect(mock.otherRequests).toEqual([{ method: 'GET', path: '/api/hello', sessionId: null }]);
    expect(mock.requests.map((r) => r.purpose)).toEqual(['conversation', 'conversation', 'compaction', 'conversation']);
    const o = sessionOracle(mock.requests, 'c');
    expect(o.compactions).toBe(1);
    expect(o.requests).toBe(2);
    // OTel is the only source of a compaction request and has no 1-hour split: the oracle sets that part aside.
    const compaction = mock.requests[2]!.usage!.cache_creation.ephemeral_1h_input_tokens;
    expect(compaction).toBeGreaterThan(0);
    expect(o.tokens_cache_write_1h_otel_only).toBe(compaction);
    expect(o.tokens_cache_write_1h).toBe(compaction + mock.requests[3]!.usage!.cache_creation.ephemeral_1h_input_tokens);
  });

  it('sums usage per session by token class, independently per session', async () => {
    mock = await startMockAnthropic({ scripts });
    for (const s of ['x', 'y', 'x']) await (await post(mock, s, [prompt(`hello ${s}`)])).text();
    expect(sessionsSeen(mock.requests)).toEqual(['x', 'y']);
    const xs = mock.requests.filter((r) => r.sessionId === 'x');
    const o = sessionOracle(mock.requests, 'x');
    expect(o.requests).toBe(2);
    expect(o.tokens_input).toBe(xs[0]!.usage!.input_tokens + xs[1]!.usage!.input_tokens);
    expect(o.tokens_output).toBe(xs[0]!.usage!.output_tokens + xs[1]!.usage!.output_tokens);
    expect(o.tokens_cache_write).toBe(xs[0]!.usage!.cache_creation_input_tokens + xs[1]!.usage!.cache_creation_input_tokens);
    // Every third request carries a 1-hour cache write, so that class is exercised too.
    const third = mock.requests[2]!.usage!;
    expect(third.cache_creation.ephemeral_1h_input_tokens).toBeGreaterThan(0);
    expect(third.cache_creation.ephemeral_1h_input_tokens + third.cache_creation.ephemeral_5m_input_tokens).toBe(third.cache_creation_input_tokens);
    expect(o.tokens_cache_write_1h).toBe(third.cache_creation.ephemeral_1h_input_tokens);
  });
});
