/**
 * Claude Code-like telemetry produced with the real OpenTelemetry JS SDK (the
 * one Claude Code exports with): log records, metric data and spans shaped
 * like the 2.1.197 captures (same names, scopes, attributes and the same mix
 * of numbers and numeric strings), for tests and benchmarks that need more or
 * other data than the captures hold.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { context, trace, ValueType } from '@opentelemetry/api';

/** The resource Claude Code 2.1.197 sends on every signal. */
export function claudeResource(serviceName = 'claude-code'): Resource {
  return resourceFromAttributes({
    'host.arch': 'amd64',
    'os.type': 'linux',
    'os.version': '6.18.44-fc-v657',
    'service.name': serviceName,
    'service.version': '2.1.197',
  });
}

/** 8 hex digits of FNV-1a over the whole id: distinct sessions get distinct request and tool ids. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** One log record as Claude Code emits it. */
export interface ClaudeLogSpec {
  name: string;
  timestamp: number;
  attributes: Record<string, string | number | boolean>;
}

const USER_ID = '071313528c9c758490b8179c2489b6395ff3eccbb40d9639894a03cf3e161b9b';

/**
 * The records of one turn with one tool call: user_prompt, api_request,
 * assistant_response, tool_decision, tool_result, two hook executions, the
 * final api_request and assistant_response (9 records, sequence numbers
 * from `seq`).
 */
export function claudeTurn(sessionId: string, turn: number, seq: number, startMs: number): ClaudeLogSpec[] {
  // Ids derive from the session and turn: the store gives a request id to the first session that reports it.
  const tag = `${shortHash(sessionId)}${turn.toString(36).padStart(4, '0')}`;
  const promptId = `${turn.toString(16).padStart(8, '0')}-1111-4222-8333-${shortHash(sessionId).padStart(12, '0')}`;
  const common = (name: string, i: number) => ({
    'user.id': USER_ID,
    'session.id': sessionId,
    'terminal.type': 'dumb',
    'event.name': name,
    'event.timestamp': new Date(startMs + i * 10).toISOString(),
    'event.sequence': seq + i,
    'prompt.id': promptId,
  });
  const req = (n: number) => `req_011${tag}${n}xAbCdEfGhIjKlMn`;
  const tool = `toolu_01${tag}QwErTyUiOpAs`;
  const api = (i: number, n: number, output: number) => ({
    name: 'api_request',
    timestamp: startMs + i * 10,
    attributes: {
      ...common('api_request', i),
      model: 'claude-opus-4-8',
      input_tokens: 4 + n,
      output_tokens: output,
      cache_read_tokens: n === 0 ? 0 : 21132,
      cache_creation_tokens: n === 0 ? 21129 : 180,
      cost_usd: 0.13275125,
      cost_usd_micros: 132751,
      duration_ms: 91,
      request_id: req(n),
      speed: 'normal',
      query_source: 'sdk',
      effort: 'high',
    },
  });
  return [
    { name: 'user_prompt', timestamp: startMs, attributes: { ...common('user_prompt', 0), prompt_length: '40', prompt: 'TOOLDEMO: run echo hi and read hello.txt' } },
    api(1, 0, 84),
    { name: 'assistant_response', timestamp: startMs + 20, attributes: { ...common('assistant_response', 2), response_length: '37', response: "I'll run a command and read the file.", request_id: req(0), model: 'claude-opus-4-8', query_source: 'sdk' } },
    { name: 'tool_decision', timestamp: startMs + 30, attributes: { ...common('tool_decision', 3), decision: 'accept', source: 'config', tool_name: 'Bash', tool_use_id: tool, tool_parameters: '{"bash_command":"echo","full_command":"echo hi","description":"Print hi"}' } },
    { name: 'tool_result', timestamp: startMs + 40, attributes: { ...common('tool_result', 4), tool_name: 'Bash', tool_use_id: tool, success: 'true', duration_ms: '50', tool_parameters: '{"bash_command":"echo","full_command":"echo hi","description":"Print hi"}', tool_input: '{"command":"echo hi","description":"Print hi"}', tool_input_size_bytes: '46', tool_result_size_bytes: '2' } },
    { name: 'hook_execution_start', timestamp: startMs + 50, attributes: { ...common('hook_execution_start', 5), hook_event: 'PostToolUse', hook_name: 'PostToolUse:Bash', num_hooks: '2', managed_only: 'false', hook_source: 'merged', safe_mode: 'false' } },
    { name: 'hook_execution_complete', timestamp: startMs + 60, attributes: { ...common('hook_execution_complete', 6), hook_event: 'PostToolUse', hook_name: 'PostToolUse:Bash', num_hooks: '2', num_success: '2', num_blocking: '0', num_non_blocking_error: '0', num_cancelled: '0', total_duration_ms: '71', managed_only: 'false', hook_source: 'merged', safe_mode: 'false' } },
    api(7, 1, 27),
    { name: 'assistant_response', timestamp: startMs + 80, attributes: { ...common('assistant_response', 8), response_length: '19', response: 'Done: printed hi.', request_id: req(1), model: 'claude-opus-4-8', query_source: 'sdk' } },
  ];
}

/** Runs `specs` through the SDK's logger and returns the records its exporters would serialize. */
export function readableLogs(specs: readonly ClaudeLogSpec[], resource = claudeResource()): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  emitClaudeLogs(new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] }), specs);
  return exporter.getFinishedLogRecords();
}

/** Emits `specs` on Claude Code's event logger of `provider` (whose processors export them). */
export function emitClaudeLogs(provider: LoggerProvider, specs: readonly ClaudeLogSpec[]): void {
  const logger = provider.getLogger('com.anthropic.claude_code.events', '2.1.197');
  for (const spec of specs) {
    logger.emit({
      body: `claude_code.${spec.name}`,
      timestamp: spec.timestamp,
      observedTimestamp: spec.timestamp,
      severityNumber: SeverityNumber.UNSPECIFIED,
      attributes: spec.attributes,
    });
  }
}

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A meter shaped like Claude Code's, and a way to collect what it recorded. */
export function claudeMeter(temporality: 'delta' | 'cumulative', resource = claudeResource()) {
  const reader = new CollectingReader({
    aggregationTemporalitySelector: () =>
      temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
  });
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('com.anthropic.claude_code', '2.1.197');
  const counter = (name: string, unit: string) => meter.createCounter(`claude_code.${name}`, { unit, valueType: ValueType.DOUBLE });
  return {
    sessionCount: counter('session.count', ''),
    tokens: counter('token.usage', 'tokens'),
    cost: counter('cost.usage', 'USD'),
    activeTime: counter('active_time.total', 's'),
    /** Everything recorded since the last collection (delta) or since the start (cumulative). */
    async collect(): Promise<ResourceMetrics> {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics;
    },
    shutdown: () => provider.shutdown(),
  };
}

/** One interaction span tree like Claude Code's traces beta: interaction → llm_request, tool → tool.execution. */
export function claudeSpans(sessionId: string, resource = claudeResource()): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  recordClaudeSpans(new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] }), sessionId);
  return exporter.getFinishedSpans();
}

/** Records one interaction's spans on `provider` (whose processors export them). */
export function recordClaudeSpans(provider: BasicTracerProvider, sessionId: string): void {
  const tracer = provider.getTracer('com.anthropic.claude_code.tracing', '1.0.0');
  const tag = shortHash(sessionId);
  const common = { 'user.id': USER_ID, 'session.id': sessionId, 'terminal.type': 'dumb' };
  const t0 = 1_795_262_081_536;
  const root = tracer.startSpan('claude_code.interaction', {
    startTime: t0,
    attributes: { ...common, 'span.type': 'interaction', user_prompt: 'hello', user_prompt_length: 5, 'interaction.sequence': 1 },
  });
  const inRoot = trace.setSpan(context.active(), root);
  const llm = tracer.startSpan('claude_code.llm_request', {
    startTime: t0 + 10,
    attributes: { ...common, 'span.type': 'llm_request', model: 'claude-opus-4-8[1m]', request_id: `req_011Span${tag}`, input_tokens: 4, success: true, ttft_ms: 23, duration_ms: 97 },
  }, inRoot);
  llm.end(t0 + 107);
  const tool = tracer.startSpan('claude_code.tool', {
    startTime: t0 + 110,
    attributes: { ...common, 'span.type': 'tool', tool_name: 'Bash', full_command: 'echo hi', tool_use_id: `toolu_01Span${tag}`, agent_id: 'a80849437ccc16144' },
  }, inRoot);
  const exec = tracer.startSpan('claude_code.tool.execution', {
    startTime: t0 + 112,
    attributes: { ...common, 'span.type': 'tool.execution', tool_use_id: `toolu_01Span${tag}`, success: true, duration_ms: 30 },
  }, trace.setSpan(inRoot, tool));
  exec.end(t0 + 142);
  tool.end(t0 + 145);
  root.end(t0 + 300);
}
