import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRecord, StatusResponse, StoredEvent, TimelineEvent } from '../../../../schema/index.js';
import { projectSession } from '../../../../core/merge/index.js';
import { runCli } from '../../../../daemon/cli/main.js';
import { DOSSIER_VERSION } from '../../../../daemon/version.js';
import { ev, usage } from '../../../support/events.js';
import { recordingIo, startFakeDaemon, type FakeDaemon } from './fake-daemon.js';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const SESSION = '0b9d3c4e-1111-2222-3333-444455556666';
const ESC = '\u001b[';

function session(): SessionRecord {
  const o = { session_id: SESSION };
  const events = [
    ev.started(NOW - 3_600_000, 'startup', { ...o, source: 'hook' }, { cwd: '/home/ada/src/dossier', git_branch: 'feature/cli' }),
    ev.prompt(NOW - 3_590_000, { text: 'Make the ls table\nfit the terminal' }, o),
    ev.request(NOW - 3_580_000, { request_id: 'req_1', model: 'claude-sonnet-4-5-20250929', usage: usage({ input: 1200, output: 300, cache_read: 50_000, cache_write: 2000 }) }, o),
    ev.toolCalled(NOW - 3_570_000, { tool_use_id: 'tu_1', tool_name: 'Bash', command: 'npm test' }, o),
    ev.task(NOW - 3_560_000, { task_id: 't1', state: 'created', subject: 'Write the table' }, o),
    ev.githubRef(NOW - 3_550_000, { ref_type: 'pr', number: 42, repo: 'ada/dossier' }, o),
  ];
  return projectSession(events, { machine_id: 'm1' });
}

/** Timeline events as the daemon sends them: stored events with their one-line summary. */
function storedEvents(): TimelineEvent[] {
  const o = { session_id: SESSION };
  return [
    { ...ev.toolCalled(NOW - 2000, { tool_use_id: 'tu_1', tool_name: 'Bash', command: 'npm test' }, o), seq: 2, summary: 'Bash  npm test  tu_1' },
    { ...ev.prompt(NOW - 5000, { text: 'run the tests' }, o), seq: 1, summary: '"run the tests"' },
  ];
}

describe('dossier CLI commands', () => {
  let fake: FakeDaemon | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  it('ls --json prints exactly the array of session records', async () => {
    const record = session();
    fake = await startFakeDaemon({ '/v1/sessions': { status: 200, body: { sessions: [record], next_cursor: null } } });
    const io = recordingIo({ socket: fake.socket, env: { TZ: 'Europe/Paris' } });
    expect(await runCli(['ls', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual([record]);
    expect(fake.seen).toEqual(['GET /v1/sessions?limit=50&tz=Europe%2FParis']);
  });

  it('ls follows cursors up to --limit and passes --all and --status', async () => {
    const a = session();
    const b = { ...session(), session_id: 'ffff0000-rest' };
    fake = await startFakeDaemon({
      '/v1/sessions?status=busy%2Cidle&all=true&limit=2&tz=UTC': { status: 200, body: { sessions: [a], next_cursor: 'c1' } },
      '/v1/sessions?status=busy%2Cidle&all=true&limit=1&cursor=c1&tz=UTC': { status: 200, body: { sessions: [b], next_cursor: 'c2' } },
    });
    const io = recordingIo({ socket: fake.socket, env: { TZ: 'UTC' } });
    expect(await runCli(['ls', '--all', '--status', 'busy,idle', '--limit', '2', '--json'], io)).toBe(0);
    expect((JSON.parse(io.out()) as SessionRecord[]).map((s) => s.session_id)).toEqual([SESSION, 'ffff0000-rest']);
  });

  it('ls on a terminal prints a coloured table that fits its width', async () => {
    fake = await startFakeDaemon({ '/v1/sessions': { status: 200, body: { sessions: [session()], next_cursor: null } } });
    const strip = (text: string) => text.replace(/\u001b\[\d+m/g, '').trimEnd().split('\n');
    const wide = recordingIo({ socket: fake.socket, columns: 160, now: NOW });
    expect(await runCli(['ls'], wide)).toBe(0);
    expect(wide.out()).toContain(ESC);
    const full = strip(wide.out());
    expect(full[0]).toMatch(/^ID\s+STATUS\s+STARTED\s+ACTIVE\s+DURATION\s+PROJECT\s+BRANCH\s+MODEL\s+TOKENS\s+COST\s+TOOLS\s+TITLE$/);
    expect(full[1]).toMatch(/^0b9d3c4e\s+\w+\s+1h ago\s+.*\s+dossier\s+feature\/cli\s+sonnet-4-5\s+53\.5k\s+(-|\$\d+\.\d+)\s+1\s+Make the ls table fit the terminal$/);
    for (const columns of [100, 60]) {
      const narrow = recordingIo({ socket: fake.socket, columns, now: NOW });
      await runCli(['ls'], narrow);
      const lines = strip(narrow.out());
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
      expect(lines[0]).toMatch(/^ID\s+STATUS\s.*TITLE$/);
      expect(lines[1]).toMatch(/^0b9d3c4e\s/);
    }
  });

  it('ls without a terminal, or with NO_COLOR, prints the same table without colour', async () => {
    fake = await startFakeDaemon({ '/v1/sessions': { status: 200, body: { sessions: [session()], next_cursor: null } } });
    const piped = recordingIo({ socket: fake.socket, now: NOW });
    await runCli(['ls'], piped);
    expect(piped.out()).not.toContain(ESC);
    expect(piped.out()).toContain('Make the ls table fit the terminal');
    const noColor = recordingIo({ socket: fake.socket, columns: 200, env: { NO_COLOR: '1' }, now: NOW });
    await runCli(['ls'], noColor);
    expect(noColor.out()).not.toContain(ESC);
    expect(noColor.out().split('\n')[1]).toContain('feature/cli');
  });

  it('show prints every field with its source, usage tables, tasks and GitHub refs', async () => {
    const record = session();
    const report = {
      tools: [{ tool: 'Edit', calls: 3, failures: 1 }],
      files: [{ path: '/home/ada/src/dossier/table.ts', calls: 3, tools: ['Edit'], last_at: NOW - 60_000 }],
      subagents: [{ agent_id: 'agent-1', agent_type: 'Explore', description: 'find the callers', requests: 2, tokens: 4_500 }],
      timeline: [],
      events: 9,
      truncated: false,
    };
    fake = await startFakeDaemon({
      [`/v1/sessions/0b9d`]: { status: 200, body: { session: record } },
      [`/v1/export?session=${SESSION}&format=json`]: { status: 200, body: { session: record, report } },
    });
    const io = recordingIo({ socket: fake.socket, now: NOW });
    expect(await runCli(['show', '0b9d'], io)).toBe(0);
    expect(io.out()).toMatch(/files touched\n\s+FILE\s+CALLS\s+TOOLS\s+LAST\n\s+\/home\/ada\/src\/dossier\/table\.ts\s+3\s+Edit\s+1m ago/);
    expect(io.out()).toMatch(/tools\n\s+TOOL\s+CALLS\s+FAILED\n\s+Edit\s+3\s+1/);
    expect(io.out()).toMatch(/subagents\n\s+AGENT\s+TYPE\s+REQUESTS\s+TOKENS\s+TASK\n\s+agent-1\s+Explore\s+2\s+4\.5k\s+find the callers/);
    const out = io.out();
    for (const field of Object.keys(record).filter((k) => !['provenance', 'usage_by_model', 'usage_by_agent', 'tasks', 'github_refs'].includes(k))) {
      expect(out, field).toMatch(new RegExp(`^  ${field}\\s`, 'm'));
    }
    expect(out).toMatch(/^ {2}cwd\s+\/home\/ada\/src\/dossier\s+hook$/m);
    expect(out).toMatch(/^ {2}tokens_input\s+1,200 \(1\.2k\)\s+transcript$/m);
    expect(out).toContain('usage by model');
    expect(out).toMatch(/claude-sonnet-4-5-20250929\s+1\s+1\.2k\s+300\s+50k\s+2k/);
    expect(out).toMatch(/t1\s+created\s+Write the table/);
    expect(out).toMatch(/pr\s+#42\s+ada\/dossier/);
  });

  it('show explains why a hidden session is hidden (the -p --continue throw-away id)', async () => {
    const record = { ...session(), hidden: true, hidden_reason: 'no_agent_activity' };
    fake = await startFakeDaemon({
      [`/v1/sessions/0b9d`]: { status: 200, body: { session: record } },
      [`/v1/export?session=${SESSION}&format=json`]: { status: 200, body: { session: record, report: { tools: [], files: [], subagents: [], timeline: [], events: 0, truncated: false } } },
    });
    const io = recordingIo({ socket: fake.socket, now: NOW });
    expect(await runCli(['show', '0b9d'], io)).toBe(0);
    expect(io.out()).toMatch(/hidden: .*claude -p --continue.*throw-away session id/);
  });

  it('show --json prints the session record', async () => {
    const record = session();
    fake = await startFakeDaemon({ [`/v1/sessions/${SESSION}`]: { status: 200, body: { session: record } } });
    const io = recordingIo({ socket: fake.socket });
    await runCli(['show', SESSION, '--json'], io);
    expect(JSON.parse(io.out())).toEqual(record);
  });

  it('events prints the timeline oldest first, and --json the array', async () => {
    fake = await startFakeDaemon({ [`/v1/sessions/0b9d/events`]: { status: 200, body: { session_id: SESSION, events: storedEvents(), next_cursor: null } } });
    const io = recordingIo({ socket: fake.socket });
    expect(await runCli(['events', '0b9d'], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/transcript\s+prompt\.submitted\s+"run the tests"$/);
    expect(lines[1]).toMatch(/transcript\s+tool\.called\s+Bash {2}npm test {2}tu_1$/);
    const raw = recordingIo({ socket: fake.socket });
    await runCli(['events', '0b9d', '--raw'], raw);
    const rawLines = raw.out().trimEnd().split('\n');
    expect(rawLines).toHaveLength(4);
    expect(JSON.parse(rawLines[3]!.trim())).toMatchObject({ tool_name: 'Bash', command: 'npm test' });
    const json = recordingIo({ socket: fake.socket });
    await runCli(['events', '0b9d', '--json'], json);
    expect((JSON.parse(json.out()) as StoredEvent[]).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('status prints versions, paths, counters and components', async () => {
    const status: StatusResponse = {
      daemon_version: '0.1.0',
      api_version: 'v1',
      pid: 4242,
      started_at: NOW - 60_000,
      uptime_ms: 3_723_000,
      home: '/state',
      socket: '/state/s.sock',
      database: { path: '/state/dossier.db', bytes: 2 * 1024 * 1024, schema_version: 1, events: 1234, sessions: 5, event_cache: { sessions: 2, events: 300, budget: 50_000 } },
      memory: { rss: 80 * 1024 * 1024, heap_used: 30 * 1024 * 1024, heap_total: 40 * 1024 * 1024, external: 1024 * 1024 },
      pipeline: { received: 10, inserted: 9, duplicates: 1, rejected: 0, batches: 3, queue_depth: 0, queue_capacity: 50_000, last_commit_ms: 1.25 },
      counters: { 'api.requests': 7 },
      components: [{ name: 'api', state: 'running', detail: '/state/s.sock' }],
    };
    fake = await startFakeDaemon({ '/v1/status': { status: 200, body: status } });
    const io = recordingIo({ socket: fake.socket });
    expect(await runCli(['status'], io)).toBe(0);
    expect(io.out()).toContain('dossier 0.1.0 (api v1), pid 4242, up 1h02m');
    expect(io.out()).toContain('2.0 MB, schema v1, 1,234 events, 5 sessions');
    expect(io.out()).toContain('event cache: 300 of 50,000 events, 2 live sessions');
    expect(io.out()).toContain('memory      80.0 MB resident, heap 30.0 MB of 40.0 MB, buffers 1.0 MB');
    expect(io.out()).toMatch(/api\.requests\s+7/);
    expect(io.out()).toMatch(/api\s+running\s+\/state\/s\.sock/);
    const json = recordingIo({ socket: fake.socket });
    await runCli(['status', '--json'], json);
    expect(JSON.parse(json.out())).toEqual(status);
  });

  it('rebuild prints the counts', async () => {
    fake = await startFakeDaemon({ '/v1/rebuild': { status: 200, body: { sessions: 3, events: 1500, duration_ms: 12 } } });
    const io = recordingIo({ socket: fake.socket });
    expect(await runCli(['rebuild'], io)).toBe(0);
    expect(io.out()).toBe('Rebuilt 3 sessions from 1,500 events in 12 ms.\n');
  });

  it('prints daemon errors as Error/Try lines with exit code 1', async () => {
    fake = await startFakeDaemon({
      '/v1/sessions/zz': { status: 404, body: { error: { code: 'DOSSIER_E_SESSION_NOT_FOUND', message: 'no session matches that id: "zz"', retryable: false } } },
      '/v1/sessions/a': { status: 409, body: { error: { code: 'DOSSIER_E_SESSION_AMBIGUOUS', message: 'that id prefix matches several sessions: "a" matches a1, a2', retryable: false } } },
    });
    const missing = recordingIo({ socket: fake.socket });
    expect(await runCli(['show', 'zz'], missing)).toBe(1);
    expect(missing.err()).toBe('Error: no session matches that id: "zz"\nTry: dossier ls --all\n');
    expect(missing.out()).toBe('');
    const ambiguous = recordingIo({ socket: fake.socket });
    expect(await runCli(['show', 'a'], ambiguous)).toBe(1);
    expect(ambiguous.err()).toContain('"a" matches a1, a2\nTry: give more characters of the session id');
  });
});

describe('dossier CLI dispatch', () => {
  it('exits 3 with the socket and a hint when no daemon runs', async () => {
    const io = recordingIo({ socket: '/tmp/dossier-test-no-such-dir/s.sock' });
    expect(await runCli(['ls'], io)).toBe(3);
    expect(io.err()).toBe(
      'Error: the dossier daemon is not running (socket /tmp/dossier-test-no-such-dir/s.sock)\n' +
        'Try: dossier daemon (runs it in the foreground) or dossier service install (runs it as a service)\n',
    );
  });

  it('exits 2 for usage errors, pointing at the help', async () => {
    const unknown = recordingIo();
    expect(await runCli(['launch'], unknown)).toBe(2);
    expect(unknown.err()).toBe('Error: invalid command line: unknown command "launch"\nTry: dossier help\n');
    const badFlag = recordingIo();
    expect(await runCli(['ls', '--bogus'], badFlag)).toBe(2);
    expect(badFlag.err()).toContain('Try: dossier help ls');
  });

  it('prints help and versions without a daemon', async () => {
    const help = recordingIo();
    expect(await runCli([], help)).toBe(0);
    expect(help.out()).toContain('Usage: dossier <command>');
    for (const name of ['daemon', 'status', 'ls', 'show', 'events', 'rebuild', 'version', 'help']) expect(help.out()).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    const lsHelp = recordingIo();
    expect(await runCli(['help', 'ls'], lsHelp)).toBe(0);
    expect(lsHelp.out()).toContain('Usage: dossier ls');
    const flagHelp = recordingIo();
    expect(await runCli(['show', '--help'], flagHelp)).toBe(0);
    expect(flagHelp.out()).toContain('Usage: dossier show <id>');
    const daemonHelp = recordingIo();
    expect(await runCli(['daemon', '--help'], daemonHelp)).toBe(0);
    expect(daemonHelp.out()).toContain('--collectors LIST');
    for (const argv of [['--version'], ['version']]) {
      const io = recordingIo();
      expect(await runCli(argv, io)).toBe(0);
      expect(io.out()).toBe(`dossier ${DOSSIER_VERSION}\n`);
    }
    expect(DOSSIER_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
