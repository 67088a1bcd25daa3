/**
 * Live tailing through the real daemon: a project folder and a transcript
 * created after start, lines appended (half a line, then the rest), a
 * subagent file appearing later; and damaged files that must not stop the
 * daemon or disturb other sessions. Conditions are polled; the 100 ms
 * latency goal is measured in the benchmark, not asserted here.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusResponse } from '../../schema/index.js';
import { assertBuilt, startDaemon, transcriptsPhase, type DaemonHandle } from '../support/daemon.js';
import { FIXTURES, session, waitFor } from './transcripts-support.js';

const B_TOOLS = 'b645c7a3-b810-40ee-88aa-90bc5598a479';
const SUBAGENT_SESSION = '221487a9-8603-4d04-a876-eae3d951bdec';

describe('live transcripts through the daemon', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(() => assertBuilt());
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function daemonOn(root: string): Promise<DaemonHandle> {
    const d = await startDaemon({ collectors: 'transcripts', args: ['--claude-dir', root, '--claude-dirs-only'] });
    cleanups.push(() => d.cleanup());
    await waitFor('backfill', async () => ((await transcriptsPhase(d)) === 'live' ? true : undefined));
    return d;
  }

  function emptyRoot(): string {
    const root = mkdtempSync(join(tmpdir(), 'dsr-live-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    return root;
  }

  it('follows a transcript created after start, line by line, half lines included', async () => {
    const root = emptyRoot();
    const d = await daemonOn(root);
    const srcDir = join(FIXTURES, 'b-tools-http-json', 'transcripts', 'projects', '-home-user-runs-b-tools-http-json-proj');
    const lines = readFileSync(join(srcDir, `${B_TOOLS}.jsonl`), 'utf8').split('\n').filter(Boolean);
    const dir = join(root, 'projects', '-home-user-runs-b-tools-http-json-proj');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${B_TOOLS}.jsonl`);
    writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n`);
    await waitFor('the session', async () => ((await session(d, B_TOOLS))?.message_count === 1 ? true : undefined));
    appendFileSync(file, `${lines.slice(3, -2).join('\n')}\n`);
    await waitFor('six requests', async () => ((await session(d, B_TOOLS))?.api_request_count === 6 ? true : undefined));
    const final = lines.at(-2)!;
    appendFileSync(file, final.slice(0, final.length >> 1));
    appendFileSync(file, `${final.slice(final.length >> 1)}\n`);
    const s = await waitFor('seven requests', async () => {
      const rec = await session(d, B_TOOLS);
      return rec?.api_request_count === 7 ? rec : undefined;
    });
    expect(s).toMatchObject({ tokens_input: 36, tokens_output: 405, tokens_cache_read: 128713, tokens_cache_write: 21953, tool_call_count: 7, status: 'idle' });
  });

  it('adds a subagent file that appears later to its parent session', async () => {
    const root = emptyRoot();
    const src = join(FIXTURES, 'd-subagent', 'transcripts', 'projects', '-home-user-runs-d-subagent-proj');
    const dir = join(root, 'projects', '-home-user-runs-d-subagent-proj');
    mkdirSync(dir, { recursive: true });
    cpSync(join(src, `${SUBAGENT_SESSION}.jsonl`), join(dir, `${SUBAGENT_SESSION}.jsonl`));
    const d = await daemonOn(root);
    const before = await waitFor('parent', async () => (await session(d, SUBAGENT_SESSION)) ?? undefined);
    expect(before.api_request_count).toBe(2);
    cpSync(join(src, SUBAGENT_SESSION), join(dir, SUBAGENT_SESSION), { recursive: true });
    const after = await waitFor('subagent usage', async () => {
      const rec = await session(d, SUBAGENT_SESSION);
      return rec?.api_request_count === 4 ? rec : undefined;
    });
    expect(after.usage_by_agent.a80849437ccc16144).toMatchObject({ requests: 2, tokens_output: 72 });
    expect(after).toMatchObject({ tokens_output: 165, subagent_count: 1 });
  });

  it('survives damaged files and keeps other sessions exact', async () => {
    const root = emptyRoot();
    cpSync(join(FIXTURES, 'a-simple-grpc', 'transcripts'), root, { recursive: true });
    const bad = join(root, 'projects', '-home-user-bad');
    mkdirSync(bad, { recursive: true });
    const random = Buffer.alloc(200_000);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    writeFileSync(join(bad, '00000000-0000-4000-8000-00000000bad1.jsonl'), random);
    writeFileSync(join(bad, '00000000-0000-4000-8000-00000000bad2.jsonl'), '{"type":"assistant","message":{"id":7,"usage":"lots"},"uuid":["x"]}\n{"type":"user","message":{"content":\n\xff\xfe\n{}\n[]\nnull\n"just a string"\n');
    const d = await daemonOn(root);
    const s = await waitFor('good session', async () => (await session(d, '4ae4f9fe-976f-4e96-8c1f-87976b2e6f45')) ?? undefined);
    expect(s).toMatchObject({ tokens_input: 4, tokens_output: 27, tokens_cache_write: 21126, api_request_count: 1, message_count: 1 });
    appendFileSync(join(bad, '00000000-0000-4000-8000-00000000bad2.jsonl'), `${'{"type":"user","pad":"'.padEnd(20_000_000, 'z')}"}\n`);
    // A 20 MB line is over the 16 MiB bound: skipped and counted, and the daemon goes on.
    const status = await waitFor('the oversized line counted', async () => {
      const st = (await d.request('GET', '/v1/status')).json as StatusResponse;
      return (st.counters['transcripts.lines_oversized'] ?? 0) === 1 ? st : undefined;
    });
    expect(status.counters['transcripts.lines_malformed']).toBeGreaterThan(0);
    expect((await session(d, '4ae4f9fe-976f-4e96-8c1f-87976b2e6f45'))?.tokens_output).toBe(27);
    expect(readdirSync(root)).toContain('projects');
  });
});
