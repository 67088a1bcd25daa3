/**
 * Captured Claude Code hook payloads through the real daemon: once through
 * the real `dossier hook` command (stdin → socket), once as an agent's own
 * HTTP hook would post them (the payload alone, no forwarder headers). Each
 * checks the session's status after every step of a turn with a permission
 * prompt (busy → waiting → busy → idle → ended), tool counts, prompt text,
 * the cwd change and the SessionEnd reason.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusResponse } from '../../schema/index.js';
import { startDaemon, type DaemonHandle } from '../support/daemon.js';
import { B_TOOLS_SESSION, loadCapturedHooks, permissionRequestPayload, type CapturedHook } from '../unit/hooks/fixture-hooks.js';
import { eventsOf, hookEnv, runHook, sessionOf } from './hooks-support.js';

/** The b-tools turn with a PermissionRequest before the first tool result, as an interactive run would have it. */
function turnWithPermission(): CapturedHook[] {
  const calls = loadCapturedHooks('b-tools-http-json', 'command');
  const promptId = String(calls.find((c) => c.eventName === 'UserPromptSubmit')!.payload.prompt_id);
  const asking = permissionRequestPayload(B_TOOLS_SESSION, promptId);
  const at = calls.findIndex((c) => c.eventName === 'PostToolUse');
  const permission: CapturedHook = { firedAt: 0, via: 'command', eventName: 'PermissionRequest', payload: asking, body: JSON.stringify(asking) };
  return [...calls.slice(0, at), permission, ...calls.slice(at)];
}

/** Status expected right after the first call of each event name. */
const CHECKPOINTS: Readonly<Record<string, string>> = {
  SessionStart: 'idle',
  UserPromptSubmit: 'busy',
  PermissionRequest: 'waiting',
  PostToolUse: 'busy',
  Stop: 'idle',
  SessionEnd: 'ended',
};

async function feedAndWatch(daemon: DaemonHandle, calls: readonly CapturedHook[], send: (c: CapturedHook) => Promise<void>): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for (const c of calls) {
    await send(c);
    if (CHECKPOINTS[c.eventName] !== undefined && seen[c.eventName] === undefined) {
      seen[c.eventName] = (await sessionOf(daemon, B_TOOLS_SESSION))?.status ?? 'missing';
    }
  }
  return seen;
}

describe('captured hooks through the daemon', () => {
  let daemon: DaemonHandle;
  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    await daemon?.cleanup();
  });

  it('through `dossier hook`: status after each step, tools, prompt, cwd, end reason, the hook process', async () => {
    const seen = await feedAndWatch(daemon, turnWithPermission(), async (c) => {
      const run = await runHook(c.body, hookEnv(daemon));
      expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    });
    expect(seen).toEqual(CHECKPOINTS);
    const session = (await sessionOf(daemon, B_TOOLS_SESSION))!;
    expect(session.tool_call_count).toBe(7);
    expect(session.tool_error_count).toBe(1);
    expect(session.message_count).toBe(1);
    expect(session.first_user_message).toBe('TOOLDEMO: run echo hi and read hello.txt');
    expect(session.cwd).toBe('/home/user/runs/b-tools-http-json/proj/sub');
    expect(session.end_reason).toBe('other');
    // The forwarder walked up from itself: the agent that ran it is this test's process.
    expect(session.pid).toBe(process.pid);
    expect(session.n_hook_events).toBeGreaterThan(0);
    const spooled = await daemon.request('GET', '/v1/status');
    expect((spooled.json as { counters: Record<string, number> }).counters['hooks.calls']).toBeGreaterThanOrEqual(30);
  });

  it('a second delivery of every call inserts nothing', async () => {
    const before = (await eventsOf(daemon, B_TOOLS_SESSION)).length;
    for (const c of turnWithPermission().filter((c) => c.payload.tool_use_id !== undefined)) {
      const reply = await daemon.request('POST', '/v1/hooks/claude_code', { body: c.body, headers: { 'content-type': 'application/json' } });
      expect(reply.status).toBe(200);
    }
    expect((await eventsOf(daemon, B_TOOLS_SESSION)).length).toBe(before);
  });
});

describe('captured HTTP hooks through the daemon', () => {
  let daemon: DaemonHandle;
  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    await daemon?.cleanup();
  });

  it('as Claude Code posts them (SessionStart comes from its command hook): same statuses and counts', async () => {
    const command = loadCapturedHooks('b-tools-http-json', 'command');
    const http = loadCapturedHooks('b-tools-http-json', 'http');
    const promptId = String(http.find((c) => c.eventName === 'UserPromptSubmit')!.payload.prompt_id);
    const asking = permissionRequestPayload(B_TOOLS_SESSION, promptId);
    const at = http.findIndex((c) => c.eventName === 'PostToolUse');
    const sequence: CapturedHook[] = [
      command[0]!,
      ...http.slice(0, at),
      { firedAt: 0, via: 'http', eventName: 'PermissionRequest', payload: asking, body: JSON.stringify(asking) },
      ...http.slice(at),
    ];
    const seen = await feedAndWatch(daemon, sequence, async (c) => {
      if (c.via === 'command') {
        expect((await runHook(c.body, hookEnv(daemon))).code).toBe(0);
        return;
      }
      const reply = await daemon.request('POST', '/v1/hooks/claude_code', {
        body: c.body,
        headers: { 'content-type': 'application/json', 'user-agent': 'axios/1.15.2' },
      });
      expect([reply.status, reply.json]).toEqual([200, {}]);
    });
    expect(seen).toEqual(CHECKPOINTS);
    const session = (await sessionOf(daemon, B_TOOLS_SESSION))!;
    expect([session.tool_call_count, session.tool_error_count, session.message_count]).toEqual([7, 1, 1]);
    expect(session.cwd).toBe('/home/user/runs/b-tools-http-json/proj/sub');
    expect(session.end_reason).toBe('other');
  });

  it('refuses what is not a hook call with registered errors', async () => {
    const post = (path: string, body: string) => daemon.request('POST', path, { body, headers: { 'content-type': 'application/json' } });
    expect((await post('/v1/hooks/claude_code', '{"hook_event_name":"Stop"}')).status).toBe(400);
    expect((await post('/v1/hooks/claude_code', '{oops')).status).toBe(400);
    expect((await post('/v1/hooks/gemini_cli', '{"session_id":"x"}')).status).toBe(404);
    expect(((await post('/v1/hooks/claude_code', '[]')).json as { error: { code: string } }).error.code).toBe('DOSSIER_E_API_BAD_REQUEST');
  });
});

/** POSTs a body to the loopback TCP door; resolves status and parsed body. */
function postTcp(address: string, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method: 'POST', path, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (s: string) => (text += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : (JSON.parse(text) as unknown) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP hooks on the loopback door (127.0.0.1, the OTLP port)', () => {
  let daemon: DaemonHandle;
  let address: string;
  beforeAll(async () => {
    daemon = await startDaemon({ collectors: 'otlp', args: ['--otlp-http', '127.0.0.1:0', '--otlp-grpc', 'off'] });
    const status = (await daemon.request('GET', '/v1/status')).json as StatusResponse;
    const detail = status.components.find((c) => c.name === 'otlp')?.detail ?? '';
    address = /http=([\d.]+:\d+)/.exec(detail)?.[1] ?? '';
    expect(address).not.toBe('');
  });
  afterAll(async () => {
    await daemon?.cleanup();
  });

  it('takes every captured HTTP hook of the subagent run and answers {} after commit', async () => {
    for (const c of loadCapturedHooks('d-subagent', 'http')) {
      expect(await postTcp(address, '/v1/hooks/claude_code', c.body, { 'user-agent': 'axios/1.15.2' })).toEqual({ status: 200, json: {} });
    }
    const session = (await sessionOf(daemon, '221487a9-8603-4d04-a876-eae3d951bdec'))!;
    expect([session.tool_call_count, session.subagent_count, session.message_count]).toEqual([2, 1, 1]);
    expect([session.status, session.end_reason]).toEqual(['ended', 'other']);
    expect(session.first_user_message).toBe('TASKDEMO: delegate an echo to a subagent');
  });

  it('refuses browsers (Origin) and unknown frameworks', async () => {
    const body = loadCapturedHooks('a-simple-grpc', 'http')[0]!.body;
    expect((await postTcp(address, '/v1/hooks/claude_code', body, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await postTcp(address, '/v1/hooks/nope', body)).status).toBe(404);
    expect((await postTcp(address, '/v1/hooks/claude_code', '{broken')).status).toBe(400);
  });
});

describe('HTTP hooks without the OTLP/HTTP door', () => {
  it('the daemon says at start that "http" hooks have no door, and still runs', async () => {
    const daemon = await startDaemon({ collectors: 'otlp,hooks', args: ['--otlp-http', 'off', '--otlp-grpc', '127.0.0.1:0'] });
    try {
      expect((await daemon.request('GET', '/v1/status')).status).toBe(200);
      expect(daemon.logs()).toContain('Claude Code hooks of type \\"http\\" have no door');
    } finally {
      await daemon.cleanup();
    }
  });
});
