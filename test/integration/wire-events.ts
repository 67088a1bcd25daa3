/**
 * Plain-JSON events as an outside sender posts them to `POST /v1/events`,
 * built by hand (not through the schema) so the tests exercise the daemon's
 * own validation.
 */

/** A posted event, as JSON. */
export type WireEvent = Record<string, unknown> & { dedupe_key: string; session_id: string };

/** An `api.request` from OTel with a unique request id and the given token counts. */
export function apiRequest(sessionId: string, n: number, tokens: { input: number; output: number }, ts: number): WireEvent {
  return {
    dedupe_key: `it:${sessionId}:req:${n}`,
    source: 'otel',
    framework: 'claude_code',
    session_id: sessionId,
    agent_id: null,
    ts,
    received_at: ts,
    kind: 'api.request',
    attrs: {
      request_id: `req_${sessionId}_${n}`,
      model: 'claude-sonnet-4-5-20250929',
      usage: { input: tokens.input, output: tokens.output, cache_read: 0, cache_write: 0, cache_write_1h: 0 },
      cwd: '/home/ada/src/dossier',
    },
  };
}

/** A hook `session.started` in a project directory. */
export function sessionStarted(sessionId: string, ts: number, cwd = '/home/ada/src/dossier'): WireEvent {
  return {
    dedupe_key: `it:${sessionId}:start:${ts}`,
    source: 'hook',
    framework: 'claude_code',
    session_id: sessionId,
    agent_id: null,
    ts,
    received_at: ts,
    kind: 'session.started',
    attrs: { start_source: 'startup', cwd },
  };
}

/** A hook `prompt.submitted` with text. */
export function promptSubmitted(sessionId: string, ts: number, text: string): WireEvent {
  return {
    dedupe_key: `it:${sessionId}:prompt:${ts}`,
    source: 'hook',
    framework: 'claude_code',
    session_id: sessionId,
    agent_id: null,
    ts,
    received_at: ts,
    kind: 'prompt.submitted',
    attrs: { text },
  };
}

/** A hook `tool.called`. */
export function toolCalled(sessionId: string, ts: number, toolUseId: string, command: string): WireEvent {
  return {
    dedupe_key: `it:${sessionId}:tool:${toolUseId}`,
    source: 'hook',
    framework: 'claude_code',
    session_id: sessionId,
    agent_id: null,
    ts,
    received_at: ts,
    kind: 'tool.called',
    attrs: { tool_use_id: toolUseId, tool_name: 'Bash', command },
  };
}

/** The JSON body of `POST /v1/events`. */
export function batchBody(events: readonly unknown[]): string {
  return JSON.stringify({ events });
}

/** Headers of a JSON POST. */
export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
