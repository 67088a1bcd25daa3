/**
 * `dossier daemon --prompt-text` through the real daemon: every door a prompt
 * can arrive through (hook calls on the socket, on the loopback HTTP door and
 * from the spool, OTLP logs, transcripts) stores no prompt text with `drop`,
 * while the prompts are still counted; by default the text is kept. Each
 * captured session below reaches the daemon through exactly one door, so a
 * door that ignored the setting shows up as its own session.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord, StatusResponse } from '../../schema/index.js';
import { spoolHookCall } from '../../daemon/hook/spool-writer.js';
import { startDaemon, transcriptsPhase, type DaemonHandle } from '../support/daemon.js';
import { httpPost } from '../unit/otlp/clients.js';
import { fixtureRequests } from '../unit/otlp/harness.js';
import { loadCapturedHooks } from '../unit/hooks/fixture-hooks.js';
import { eventsOf } from './hooks-support.js';
import { rootWith, session, waitFor } from './transcripts-support.js';

/** Each door's captured session and the prompt it holds. */
const DOORS = {
  socket: { session: 'b645c7a3-b810-40ee-88aa-90bc5598a479', prompt: 'TOOLDEMO: run echo hi and read hello.txt' },
  loopback: { session: '4ae4f9fe-976f-4e96-8c1f-87976b2e6f45' },
  spool: { session: '38e41e8e-a02c-4d49-afea-d54c04cfb5fd' },
  otlp: { session: '221487a9-8603-4d04-a876-eae3d951bdec', prompt: 'TASKDEMO: delegate an echo to a subagent' },
  transcripts: { session: '444ba3a4-6f36-4278-add0-4d482de98756' },
} as const;

interface Fed {
  daemon: DaemonHandle;
  root: string;
}

/** Starts a daemon with every prompt-carrying collector and feeds each door its session. */
async function startAndFeed(extraArgs: string[]): Promise<Fed> {
  const root = rootWith(['a-simple-http-json']);
  const daemon = await startDaemon({
    collectors: 'transcripts,otlp,hooks',
    args: ['--otlp-http', '127.0.0.1:0', '--otlp-grpc', 'off', '--claude-dir', root, '--claude-dirs-only', '--hooks-spool-interval', '100ms', ...extraArgs],
  });
  const status = (await daemon.request('GET', '/v1/status')).json as StatusResponse;
  const http = /http=([\d.]+:\d+)/.exec(status.components.find((c) => c.name === 'otlp')?.detail ?? '')?.[1];
  expect(http).toBeDefined();
  const json = { 'content-type': 'application/json' };
  for (const c of loadCapturedHooks('b-tools-http-json', 'command')) {
    expect((await daemon.request('POST', '/v1/hooks/claude_code', { body: c.body, headers: json })).status).toBe(200);
  }
  for (const c of loadCapturedHooks('a-simple-grpc', 'http')) {
    expect((await httpPost(`http://${http}`, '/v1/hooks/claude_code', Buffer.from(c.body), json)).status).toBe(200);
  }
  for (const c of loadCapturedHooks('h-extras', 'command')) {
    spoolHookCall(daemon.home, { framework: 'claude_code', meta: { fired_at: c.firedAt }, payload: Buffer.from(c.body) });
  }
  for (const req of fixtureRequests('d-subagent')) {
    expect((await httpPost(`http://${http}`, `/v1/${req.signal}`, req.body, { 'content-type': 'application/x-protobuf' })).status).toBe(200);
  }
  await waitFor('transcripts backfill', async () => ((await transcriptsPhase(daemon)) === 'live' ? true : undefined));
  return { daemon, root };
}

/** The session once its prompt has been stored (the spool and the transcripts arrive in the background). */
function settled(daemon: DaemonHandle, id: string): Promise<SessionRecord> {
  return waitFor(`session ${id} with its prompt`, async () => {
    const s = await session(daemon, id);
    return s !== null && s.message_count > 0 ? s : undefined;
  });
}

/** The `text` of every prompt event of a session, as `GET /v1/sessions/{id}/events` shows it. */
async function promptTexts(daemon: DaemonHandle, id: string): Promise<(string | undefined)[]> {
  const prompts = (await eventsOf(daemon, id)).filter((e) => e.kind === 'prompt.submitted');
  expect(prompts.length).toBeGreaterThan(0);
  for (const p of prompts) expect((p.attrs as { length?: number }).length).toBeGreaterThan(0);
  return prompts.map((p) => (p.attrs as { text?: string }).text);
}

async function stop(fed: Fed | undefined): Promise<void> {
  await fed?.daemon.cleanup();
  if (fed) rmSync(fed.root, { recursive: true, force: true });
}

describe('--prompt-text drop', () => {
  let fed: Fed;
  beforeAll(async () => {
    fed = await startAndFeed(['--prompt-text', 'drop']);
  });
  afterAll(() => stop(fed));

  for (const [door, { session: id }] of Object.entries(DOORS)) {
    it(`${door}: the prompt is counted, its length stored, its text nowhere`, async () => {
      const s = await settled(fed.daemon, id);
      expect(s.message_count).toBe(1);
      expect([s.first_user_message, s.last_user_message]).toEqual([null, null]);
      expect((await promptTexts(fed.daemon, id)).every((t) => t === undefined)).toBe(true);
    });
  }

  it('`dossier config` shows where the setting came from', async () => {
    const run = await fed.daemon.cli(['config', '--json', '--prompt-text', 'drop']);
    expect(run.code).toBe(0);
    const settings = (JSON.parse(run.stdout) as { settings: { key: string; value: unknown; source: string; env: string }[] }).settings;
    expect(settings.find((s) => s.key === 'prompt-text')).toMatchObject({ value: 'drop', source: 'flag', env: 'DOSSIER_PROMPT_TEXT' });
  });
});

describe('--prompt-text by default (keep)', () => {
  let fed: Fed;
  beforeAll(async () => {
    fed = await startAndFeed([]);
  });
  afterAll(() => stop(fed));

  for (const [door, { session: id }] of Object.entries(DOORS)) {
    it(`${door}: the prompt's text is stored and shown`, async () => {
      const s = await settled(fed.daemon, id);
      expect(s.message_count).toBe(1);
      expect(s.first_user_message).not.toBeNull();
      expect(s.last_user_message).toBe(s.first_user_message);
      expect(await promptTexts(fed.daemon, id)).toContain(s.first_user_message);
    });
  }

  it('the texts are the captured prompts', async () => {
    expect((await session(fed.daemon, DOORS.socket.session))?.first_user_message).toBe(DOORS.socket.prompt);
    expect((await session(fed.daemon, DOORS.otlp.session))?.first_user_message).toBe(DOORS.otlp.prompt);
  });
});
