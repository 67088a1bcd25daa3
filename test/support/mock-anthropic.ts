/**
 * A scriptable local mock of the Anthropic Messages API for end-to-end tests
 * with the real Claude Code CLI. It answers `POST /v1/messages` (streaming
 * SSE or JSON) from {@link MockScript}s and records every request it
 * answered: the session (`x-claude-code-session-id` header), the ids and the
 * exact usage it returned. That record is the oracle the e2e tests check
 * dossier against.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeRequest } from './mock-anthropic-request.js';
import { decide, usageFor, type MockAnswer, type MockError, type MockScript } from './mock-anthropic-script.js';
import { encodeError, encodeMessageJson, encodeMessageStream, wireId, type WireBlock, type WireUsage } from './mock-anthropic-sse.js';

export { failStep, textStep, toolStep, type MockScript, type MockStep, type MockToolCall } from './mock-anthropic-script.js';

/** One Messages API request the mock answered, with what it answered. */
export interface MockRequestRecord {
  seq: number;
  receivedAt: number;
  path: string;
  /** The `x-claude-code-session-id` header, or null when absent. */
  sessionId: string | null;
  /** The client's `x-stainless-retry-count` header (its own retry counter). */
  retryCountHeader: string | null;
  model: string;
  stream: boolean;
  nMessages: number;
  /** First 200 characters of the turn's prompt. */
  prompt: string;
  purpose: 'conversation' | 'compaction';
  /** Script name, `compaction` or `default`. */
  script: string;
  step: number;
  /** 1 for the first time this step of this session was asked, 2 for a retry, … */
  attempt: number;
  overflow: boolean;
  status: number;
  /** The `request-id` header returned (every answer, errors included, has one). */
  requestId: string;
  messageId: string | null;
  stopReason: string | null;
  /** Exactly the usage returned; null for errors. */
  usage: WireUsage | null;
  toolUses: { id: string; name: string }[];
  errorType: string | null;
}

/** A request to any other path (answered 404, or `count_tokens`). */
export interface MockOtherRequest {
  method: string;
  path: string;
  sessionId: string | null;
}

/** A running mock. */
export interface MockAnthropic {
  /** Base URL for `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every Messages request answered, in arrival order. */
  readonly requests: readonly MockRequestRecord[];
  readonly otherRequests: readonly MockOtherRequest[];
  /** Replaces the scripts for requests that arrive from now on. */
  setScripts(scripts: readonly MockScript[]): void;
  close(): Promise<void>;
}

/** Options of {@link startMockAnthropic}. */
export interface MockAnthropicOptions {
  scripts?: readonly MockScript[];
  /** Largest request body accepted; bigger ones get 413. */
  maxBodyBytes?: number;
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) parts.push(c);
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(parts) : null));
    req.on('error', reject);
  });
}

function blocksFor(answer: MockAnswer): WireBlock[] {
  const blocks: WireBlock[] = [];
  if (answer.text !== undefined) blocks.push({ type: 'text', text: answer.text });
  if (answer.kind === 'tools') {
    for (const t of answer.tools) blocks.push({ type: 'tool_use', id: wireId('toolu_01', 22), name: t.name, input: t.input });
  }
  return blocks;
}

function sendError(res: ServerResponse, requestId: string, error: MockError): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  res.writeHead(error.status, headers);
  res.end(encodeError(error.type, error.message));
}

/** Starts the mock on a free loopback port. */
export async function startMockAnthropic(options: MockAnthropicOptions = {}): Promise<MockAnthropic> {
  let scripts: readonly MockScript[] = options.scripts ?? [];
  const maxBody = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const requests: MockRequestRecord[] = [];
  const otherRequests: MockOtherRequest[] = [];
  const attempts = new Map<string, number>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const sessionId = header(req, 'x-claude-code-session-id');
    const raw = await readBody(req, maxBody);
    const isMessages = req.method === 'POST' && /^\/v1\/messages(\?|$)/.test(path);
    if (!isMessages) {
      otherRequests.push({ method: req.method ?? '?', path, sessionId });
      if (req.method === 'POST' && path.startsWith('/v1/messages/count_tokens')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: Math.round((raw?.length ?? 0) / 4) }));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(encodeError('not_found_error', `mock: no route for ${req.method} ${path}`));
      return;
    }
    if (raw === null) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(encodeError('request_too_large', 'mock: body over limit'));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(encodeError('invalid_request_error', 'mock: body is not JSON'));
      return;
    }
    const seq = requests.length + 1;
    const shape = describeRequest(body);
    const key = `${sessionId}|${shape.purpose}|${shape.promptText}|${shape.nMessages}|${shape.stepsDone}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const decision = decide(shape, scripts, attempt);
    const requestId = wireId('req_011', 24);
    const record: MockRequestRecord = {
      seq,
      receivedAt: Date.now(),
      path,
      sessionId,
      retryCountHeader: header(req, 'x-stainless-retry-count'),
      model: shape.model,
      stream: shape.stream,
      nMessages: shape.nMessages,
      prompt: shape.promptText.slice(0, 200),
      purpose: shape.purpose,
      script: decision.script,
      step: decision.step,
      attempt,
      overflow: decision.overflow,
      status: 200,
      requestId,
      messageId: null,
      stopReason: null,
      usage: null,
      toolUses: [],
      errorType: null,
    };
    requests.push(record);
    if (decision.outcome.kind === 'error') {
      record.status = decision.outcome.error.status;
      record.errorType = decision.outcome.error.type;
      sendError(res, requestId, decision.outcome.error);
      return;
    }
    const answer = decision.outcome.answer;
    const blocks = blocksFor(answer);
    const message = {
      id: wireId('msg_01', 22),
      model: shape.model,
      blocks,
      stopReason: answer.kind === 'tools' ? ('tool_use' as const) : ('end_turn' as const),
      usage: usageFor(seq, raw.length, shape, answer),
    };
    record.messageId = message.id;
    record.stopReason = message.stopReason;
    record.usage = message.usage;
    record.toolUses = blocks.flatMap((b) => (b.type === 'tool_use' ? [{ id: b.id, name: b.name }] : []));
    if (shape.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId });
      res.end(encodeMessageStream(message));
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
      res.end(encodeMessageJson(message));
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(encodeError('api_error', `mock internal error: ${String(err)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    otherRequests,
    setScripts(next) {
      scripts = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
