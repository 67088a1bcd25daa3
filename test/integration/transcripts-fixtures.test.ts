/**
 * The real daemon reads the real fixtures (and the hand-written scenarios)
 * through the whole pipeline: store, merge, API. Expected values are written
 * by hand from mock-api-requests.jsonl and the fixture files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RebuildResponse, SessionRecord, StatusResponse } from '../../schema/index.js';
import { assertBuilt, startDaemon, transcriptsPhase, type DaemonHandle } from '../support/daemon.js';
import { rootWith, session, waitFor } from './transcripts-support.js';

const HAND = join(dirname(fileURLToPath(import.meta.url)), '../unit/transcripts/fixtures');

describe('transcripts through the daemon', () => {
  let d: DaemonHandle;
  let root: string;
  const get = (id: string) => waitFor(`session ${id}`, async () => (await session(d, id)) ?? undefined);

  beforeAll(async () => {
    assertBuilt();
    root = rootWith(['a-simple-http-json', 'b-tools-http-json', 'd-subagent', 'h-extras'], [join(HAND, 'compact-error-titles')]);
    d = await startDaemon({ collectors: 'transcripts', args: ['--claude-dir', root, '--claude-dirs-only'] });
    await waitFor('backfill', async () => ((await transcriptsPhase(d)) === 'live' ? true : undefined));
  });
  afterAll(async () => {
    await d?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('b-tools: tokens, requests, tools, prompts and context of the session', async () => {
    const s: SessionRecord = await get('b645c7a3-b810-40ee-88aa-90bc5598a479');
    expect(s).toMatchObject({
      tokens_input: 36, tokens_output: 405, tokens_cache_read: 128713, tokens_cache_write: 21953, tokens_cache_write_1h: 0,
      api_request_count: 7, tool_call_count: 7, tool_error_count: 1, message_count: 1, compaction_count: 0, api_error_count: 0,
      cwd: '/home/user/runs/b-tools-http-json/proj/sub', git_branch: null, app_version: '2.1.197', entrypoint: 'sdk-cli', model: 'claude-opus-4-8', status: 'idle',
    });
    expect(s.transcript_path).toBe(join(root, 'projects', '-home-user-runs-b-tools-http-json-proj', 'b645c7a3-b810-40ee-88aa-90bc5598a479.jsonl'));
    expect(s.provenance.tokens).toBe('transcript');
  });

  it('d-subagent: subagent usage in the parent, per agent', async () => {
    const s = await get('221487a9-8603-4d04-a876-eae3d951bdec');
    expect(s).toMatchObject({ tokens_input: 21, tokens_output: 165, tokens_cache_read: 34570, tokens_cache_write: 35226, api_request_count: 4, tool_call_count: 2, message_count: 1, subagent_count: 1 });
    expect(s.usage_by_agent.main).toMatchObject({ requests: 2, tokens_input: 10, tokens_output: 93, tokens_cache_read: 21130, tokens_cache_write: 21306 });
    expect(s.usage_by_agent.a80849437ccc16144).toMatchObject({ requests: 2, tokens_input: 11, tokens_output: 72, tokens_cache_read: 13440, tokens_cache_write: 13920 });
  });

  it('a-simple and h-extras', async () => {
    expect(await get('444ba3a4-6f36-4278-add0-4d482de98756')).toMatchObject({ tokens_input: 4, tokens_output: 27, tokens_cache_write: 21130, api_request_count: 1, message_count: 1, tool_call_count: 0 });
    expect(await get('38e41e8e-a02c-4d49-afea-d54c04cfb5fd')).toMatchObject({ tokens_input: 21, tokens_output: 179, tokens_cache_read: 63965, tokens_cache_write: 21515, api_request_count: 4, tool_call_count: 3, tool_error_count: 1 });
  });

  it('`dossier rebuild --rescan` re-reads every transcript and changes nothing', async () => {
    const before = (await d.request('GET', '/v1/status')).json as StatusResponse;
    const b = await get('b645c7a3-b810-40ee-88aa-90bc5598a479');
    const run = await d.cli(['rebuild', '--rescan', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as RebuildResponse).rescanning).toEqual(['transcripts']);
    const after = await waitFor('the rescan', async () => {
      const st = (await d.request('GET', '/v1/status')).json as StatusResponse;
      const dup = st.counters['transcripts.events_duplicate'] ?? 0;
      return dup >= before.database.events && (await transcriptsPhase(d)) === 'live' ? st : undefined;
    });
    expect(after.database.events).toBe(before.database.events);
    expect(await get('b645c7a3-b810-40ee-88aa-90bc5598a479')).toEqual(b);
  });

  it('compaction, API error, slash command, 1h cache writes, branch', async () => {
    const s = await get('5e5e0000-0000-4000-8000-000000000001');
    expect(s).toMatchObject({ tokens_input: 8, tokens_output: 170, tokens_cache_read: 5000, tokens_cache_write: 1100, tokens_cache_write_1h: 600, api_request_count: 2, compaction_count: 1, api_error_count: 1, message_count: 3, tool_call_count: 1, git_branch: 'main-work' });
    expect(['Mock session title', 'Parser refactor', 'Refactoring the parser and adding tests']).toContain(s.title);
  });
});
