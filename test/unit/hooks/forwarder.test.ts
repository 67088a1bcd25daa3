/**
 * The forwarder's parts: the wire format (headers, spool records), bounded
 * stdin and slimming, and one forwarding against a fake daemon on a real
 * Unix socket: delivered, refused, spooled when down, slow or overloaded.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeSpoolRecord, encodeSpoolRecord, metaFromHeaders, metaToHeaders, type ForwardedMeta } from '../../../collectors/hooks/wire.js';
import { boundedBody, MAX_BODY_BYTES, readHookInput } from '../../../daemon/hook/input.js';
import { forwardHookCall, type ForwardContext } from '../../../daemon/hook/forward.js';
import type { ProcessInfo } from '../../../collectors/process/proc-info.js';
import { loadCapturedHooks } from './fixture-hooks.js';

const FULL_META: ForwardedMeta = {
  fired_at: 1_790_000_000_123,
  pid: 4242,
  process_start: 1_789_999_000_000,
  executable: 'claude code',
  entrypoint: 'sdk-cli',
  fork: { role: 'child', parent_id: 'a b/c' },
};

describe('wire format', () => {
  it('round-trips meta through headers', () => {
    const headers = metaToHeaders(FULL_META);
    expect(metaFromHeaders((name) => headers[name])).toEqual(FULL_META);
    expect(metaFromHeaders((name) => metaToHeaders({ fired_at: 5, fork: { role: 'parent' } })[name])).toEqual({ fired_at: 5, fork: { role: 'parent' } });
  });

  it('reads no meta without a fire time, and drops malformed fields', () => {
    expect(metaFromHeaders(() => undefined)).toBeUndefined();
    const bad: Record<string, string> = {
      'dossier-hook-fired-at': '17',
      'dossier-hook-pid': '-3',
      'dossier-hook-process-start': 'x',
      'dossier-hook-fork': 'sibling',
      'dossier-hook-executable': '%E0%A4%A',
    };
    expect(metaFromHeaders((name) => bad[name])).toEqual({ fired_at: 17 });
  });

  it('round-trips spool records with the payload bytes untouched', () => {
    const payload = Buffer.from('{"session_id":"s","x":"\\u00e9\\n"}');
    const decoded = decodeSpoolRecord(encodeSpoolRecord({ framework: 'claude_code', meta: FULL_META, payload }));
    expect(typeof decoded).not.toBe('string');
    if (typeof decoded === 'string') return;
    expect(decoded.framework).toBe('claude_code');
    expect(decoded.meta).toEqual(FULL_META);
    expect(decoded.payload.equals(payload)).toBe(true);
  });

  it('names what is wrong with a broken record', () => {
    expect(decodeSpoolRecord(Buffer.from(''))).toBe('no header line');
    expect(decodeSpoolRecord(Buffer.from('nope\n{}'))).toBe('header line is not JSON');
    expect(decodeSpoolRecord(Buffer.from('{"v":2,"framework":"x","meta":{"fired_at":1}}\n{}'))).toMatch(/version/);
    expect(decodeSpoolRecord(Buffer.from('{"v":1,"framework":"x","meta":{}}\n{}'))).toMatch(/meta/);
  });
});

describe('bounded input', () => {
  it('reads a stream to its end', async () => {
    const stream = new PassThrough();
    const reading = readHookInput(stream, 1_000);
    stream.write('{"a":');
    stream.end('1}');
    expect((await reading)?.toString()).toBe('{"a":1}');
  });

  it('uses what arrived when stdin never closes, and nothing when nothing arrived', async () => {
    const open = new PassThrough();
    const reading = readHookInput(open, 50);
    open.write('{"a":1}');
    expect((await reading)?.toString()).toBe('{"a":1}');
    expect(await readHookInput(new PassThrough(), 20)).toBeUndefined();
  });

  it('sends small payloads as they are and slims big ones to what the mapping reads', () => {
    const small = Buffer.from('{"session_id":"s"}');
    expect(boundedBody(small)).toBe(small);
    const huge = {
      session_id: 's',
      hook_event_name: 'PostToolUse',
      tool_use_id: 'toolu_1',
      tool_name: 'Read',
      tool_input: { file_path: '/a', content: 'x'.repeat(2 * MAX_BODY_BYTES) },
      tool_response: { file: { content: 'y'.repeat(MAX_BODY_BYTES) } },
    };
    const slim = JSON.parse(boundedBody(Buffer.from(JSON.stringify(huge)))!.toString()) as Record<string, unknown>;
    expect(slim).toEqual({ session_id: 's', hook_event_name: 'PostToolUse', tool_use_id: 'toolu_1', tool_name: 'Read', tool_input: { file_path: '/a' } });
    expect(boundedBody(Buffer.from('x'.repeat(MAX_BODY_BYTES + 1)))).toBeUndefined();
  });
});

describe('forwardHookCall against a fake daemon', () => {
  let dir: string;
  let server: Server | null = null;
  let received: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let answer: (res: import('node:http').ServerResponse) => void = (res) => res.writeHead(200).end('{}');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-fwd-'));
    received = [];
  });
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = null;
    rmSync(dir, { recursive: true, force: true });
  });

  async function listen(): Promise<void> {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server!.listen(join(dir, 'd.sock'), resolve));
  }

  const agent: ProcessInfo = { pid: 777, ppid: 1, start_time: 1_700_000_000_000, exe: '/opt/claude/bin/claude', argv: ['claude'], zombie: false };
  const shell: ProcessInfo = { pid: 778, ppid: 777, start_time: 1_700_000_000_500, exe: '/usr/bin/dash', argv: ['sh', '-c', 'dossier hook'], zombie: false };
  const ctx = (): ForwardContext => ({
    home: dir,
    socket: join(dir, 'd.sock'),
    framework: 'claude_code',
    timeoutMs: 300,
    firedAt: 1_790_000_000_000,
    parentPid: 778,
    env: { CLAUDE_CODE_ENTRYPOINT: 'cli' },
    readProcess: (pid) => (pid === 777 ? agent : pid === 778 ? shell : null),
  });
  const payload = Buffer.from(loadCapturedHooks('a-simple-grpc', 'command')[1]!.body);
  const spooled = () => readdirSync(join(dir, 'hooks-spool')).filter((n) => n.endsWith('.hook'));

  it('delivers the payload bytes with the agent process in headers', async () => {
    await listen();
    expect(await forwardHookCall(payload, ctx())).toBe('delivered');
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/v1/hooks/claude_code');
    expect(received[0]!.body).toBe(payload.toString());
    expect(received[0]!.headers).toMatchObject({
      'dossier-hook-fired-at': '1790000000000',
      'dossier-hook-pid': '777',
      'dossier-hook-process-start': '1700000000000',
      'dossier-hook-executable': 'claude',
      'dossier-hook-entrypoint': 'cli',
      'content-type': 'application/json',
    });
  });

  it('drops a call the daemon refuses as bad, without spooling it', async () => {
    answer = (res) => res.writeHead(400).end('{"error":{}}');
    await listen();
    expect(await forwardHookCall(payload, ctx())).toBe('refused');
    expect(() => spooled()).toThrow();
  });

  it('spools when the daemon is down, overloaded or too slow; the record keeps the meta', async () => {
    expect(await forwardHookCall(payload, ctx())).toBe('spooled');
    answer = (res) => res.writeHead(503, { 'retry-after': '1' }).end('{}');
    await listen();
    expect(await forwardHookCall(payload, ctx())).toBe('spooled');
    answer = (res) => setTimeout(() => res.writeHead(200).end('{}'), 1_000);
    expect(await forwardHookCall(payload, ctx())).toBe('spooled');
    const names = spooled();
    expect(names).toHaveLength(3);
    const record = decodeSpoolRecord(readFileSync(join(dir, 'hooks-spool', names[0]!)));
    expect(typeof record === 'string' ? record : record.meta).toEqual({
      fired_at: 1_790_000_000_000,
      pid: 777,
      process_start: 1_700_000_000_000,
      executable: 'claude',
      entrypoint: 'cli',
    });
  });

  it('drops nothing it could send: no input is the only drop', async () => {
    expect(await forwardHookCall(undefined, ctx())).toBe('dropped');
  });
});
