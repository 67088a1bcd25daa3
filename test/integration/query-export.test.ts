/**
 * GET /v1/export and `dossier export` on a live daemon: one session's
 * Markdown report (numbers, tools with failures, files touched, tasks,
 * subagents, timeline), its JSON (record and report), CSV with formula
 * text defused, a filtered set, and refusals naming the parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../daemon/cli/main.js';
import type { ExportManyResponse, ExportOneResponse } from '../../schema/index.js';
import { recordingIo } from '../unit/daemon/cli/fake-daemon.js';
import { getJson, startLiveDaemon, type LiveDaemon } from './query-support.js';
import { apiRequest, promptSubmitted, sessionStarted, type WireEvent } from './wire-events.js';

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const S = '0000e4e4-0000-4000-8000-000000000001';
const OTHER = '0000e4e4-0000-4000-8000-000000000002';
let daemon: LiveDaemon;

function event(kind: string, ts: number, attrs: Record<string, unknown>, n: number, agent: string | null = null): WireEvent {
  return { dedupe_key: `ex:${kind}:${n}`, source: 'transcript', framework: 'claude_code', session_id: S, agent_id: agent, ts, received_at: ts, kind, attrs };
}

beforeAll(async () => {
  daemon = await startLiveDaemon(T0 + 3_600_000);
  await daemon.post([
    sessionStarted(S, T0),
    promptSubmitted(S, T0 + 1000, '=HYPERLINK("x") | fix the parser'),
    apiRequest(S, 1, { input: 1200, output: 300 }, T0 + 2000),
    event('tool.called', T0 + 3000, { tool_use_id: 'tu1', tool_name: 'Edit', file_path: '/home/ada/src/dossier/parser.ts' }, 1),
    event('tool.called', T0 + 4000, { tool_use_id: 'tu2', tool_name: 'Edit', file_path: '/home/ada/src/dossier/parser.ts' }, 2),
    event('tool.called', T0 + 5000, { tool_use_id: 'tu3', tool_name: 'Bash', command: 'npm test' }, 3),
    event('tool.finished', T0 + 6000, { tool_use_id: 'tu3', success: false, error: 'exit 1' }, 4),
    event('task.changed', T0 + 6500, { task_id: 't1', state: 'completed', subject: 'Fix the parser' }, 5),
    event('subagent.started', T0 + 7000, { agent_type: 'Explore', description: 'find callers' }, 6, 'agent-7'),
    sessionStarted(OTHER, T0 + 10_000, '/elsewhere'),
  ]);
});

afterAll(async () => {
  await daemon.close();
});

describe('GET /v1/export', () => {
  it('one session as JSON: the record and what it did', async () => {
    const reply = await getJson(daemon.socket, `/v1/export?session=${S}`);
    expect(reply.status).toBe(200);
    const body = reply.body as ExportOneResponse;
    expect(body.session.session_id).toBe(S);
    expect(body.report.tools).toEqual([{ tool: 'Edit', calls: 2, failures: 0 }, { tool: 'Bash', calls: 1, failures: 1 }]);
    expect(body.report.files).toEqual([{ path: '/home/ada/src/dossier/parser.ts', calls: 2, tools: ['Edit'], last_at: T0 + 4000 }]);
    expect(body.report.subagents).toEqual([expect.objectContaining({ agent_id: 'agent-7', agent_type: 'Explore', description: 'find callers' })]);
    expect(body.report.timeline[0]).toMatchObject({ kind: 'session.started', ts: T0 });
    expect(body.report.truncated).toBe(false);
  });

  it('one session as a Markdown report and as CSV', async () => {
    const out = recordingIo({ socket: daemon.socket, env: { TZ: 'UTC' } });
    expect(await runCli(['export', S], out)).toBe(0);
    const md = out.out();
    expect(md).toMatch(/^# =HYPERLINK\("x"\) \| fix the parser\n/);
    expect(md).toContain(`Session \`${S}\``);
    expect(md).toMatch(/\| Tokens \| 1200 input, 300 output, 0 cache read, 0 cache write \|/);
    expect(md).toMatch(/## Tools\n\n\| Tool \| Calls \| Failed \|\n\|---\|---:\|---:\|\n\| Edit \| 2 \| 0 \|\n\| Bash \| 1 \| 1 \|/);
    expect(md).toMatch(/## Files touched\n\n.*\n.*\n\| \/home\/ada\/src\/dossier\/parser\.ts \| 2 \| Edit \|/);
    expect(md).toContain('- [x] Fix the parser');
    expect(md).toMatch(/\| agent-7 \| Explore \| 0 \| 0 \| find callers \|/);
    expect(md).toMatch(/\| 2026-11-21T09:00:05\.000Z \| transcript \| tool\.called \| Bash npm test tu3 \|/);

    const csv = recordingIo({ socket: daemon.socket, env: { TZ: 'UTC' } });
    expect(await runCli(['export', S, '--format', 'csv'], csv)).toBe(0);
    const [header, row, ...rest] = csv.out().split('\r\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['session_id', 'cost_usd', 'tool_call_count']));
    expect(row).toMatch(new RegExp(`^${S},`));
    expect(row).toContain(`"'=HYPERLINK(""x"") | fix the parser"`);
    expect(rest.filter((l) => l.trim() !== '')).toEqual([]);
  });

  it('a filtered set as JSON and CSV', async () => {
    const reply = await getJson(daemon.socket, '/v1/export?all=true&cwd=/home/ada');
    expect((reply.body as ExportManyResponse).sessions.map((s) => s.session_id)).toEqual([S]);
    const out = recordingIo({ socket: daemon.socket, env: { TZ: 'UTC' } });
    expect(await runCli(['export', '--all', '--format', 'csv'], out)).toBe(0);
    expect(out.out().trim().split('\r\n')).toHaveLength(3);
  });

  it('refuses bad parameters naming them', async () => {
    for (const [query, name] of [['format=pdf', 'format'], [`session=${S}&status=busy`, 'status'], ['limit=0', 'limit'], ['session=nope', null]] as const) {
      const reply = await getJson(daemon.socket, `/v1/export?${query}`);
      if (name === null) expect(reply.status).toBe(404);
      else {
        expect(reply.status).toBe(400);
        expect(reply.body.error.message).toContain(`${name}:`);
      }
    }
  });
});
