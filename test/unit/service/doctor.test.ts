/**
 * Every doctor check, passing and failing on purpose: daemon down, version
 * skew, a port taken by someone else, Claude settings without our hooks or
 * OTel variables, an unreadable transcripts root, a non-empty spool, a
 * corrupted database, a nearly full disk. Each problem comes with a fix.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusResponse } from '../../../schema/api.js';
import { formatResults } from '../../../daemon/cli/doctor.js';
import { DOCTOR_CHECKS, probeTcpPort, runChecks, type CheckResult, type DoctorContext } from '../../../daemon/service/doctor/index.js';
import { databaseIntegrity, spoolEmpty, claudeSettings, transcriptsReadable, diskSpace } from '../../../daemon/service/doctor/file-checks.js';
import { daemonReachable, portsFreeOrOurs, splitAddress, versionsMatch } from '../../../daemon/service/doctor/daemon-checks.js';
import { CLAUDE_HOOK_EVENTS } from '../../../daemon/setup/claude-plan.js';

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o700);
    rmSync(d, { recursive: true, force: true });
  }
});

const GIB = 1024 ** 3;

function status(over: Partial<StatusResponse> = {}): StatusResponse {
  return {
    daemon_version: '1.0.0', api_version: 'v1', pid: 42, started_at: 0, uptime_ms: 5_000, home: '/h', socket: '/h/s.sock',
    database: { path: '/h/dossier.db', bytes: 0, schema_version: 1, events: 0, sessions: 0, event_cache: { sessions: 0, events: 0, budget: 0 } },
    memory: { rss: 0, heap_used: 0, heap_total: 0, external: 0 },
    pipeline: {} as StatusResponse['pipeline'], counters: {}, components: [{ name: 'otlp', state: 'running' }], ...over,
  };
}

function context(over: Partial<DoctorContext> = {}): DoctorContext {
  const root = mkdtempSync(join(tmpdir(), 'dsr-doc-'));
  dirs.push(root);
  const home = join(root, 'state');
  mkdirSync(home);
  return {
    env: {},
    userHome: join(root, 'user'),
    paths: { home, socket: join(home, 's.sock'), db: join(home, 'dossier.db'), machineIdFile: join(home, 'machine-id') },
    daemon: { status: status() },
    cliVersion: '1.0.0',
    otlp: { http: null, grpc: null },
    probePort: async () => 'free',
    diskSpace: () => ({ free: 100 * GIB, total: 500 * GIB }),
    ...over,
  };
}

function ourSettings(): Record<string, unknown> {
  return {
    hooks: Object.fromEntries(CLAUDE_HOOK_EVENTS.map((e) => [e, [{ hooks: [{ type: 'command', command: 'dossier hook', timeout: 10 }] }]])),
    env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
  };
}

function writeClaude(ctx: DoctorContext, settings: unknown): string {
  const dir = join(ctx.userHome, '.claude');
  mkdirSync(join(dir, 'projects'), { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));
  return dir;
}

function expectProblem(r: CheckResult, status: 'warn' | 'fail', detail: RegExp, fix: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.detail).toMatch(detail);
  expect(r.fix).toMatch(fix);
}

describe('daemon checks', () => {
  it('reachable, or not with how to start it', async () => {
    expect((await daemonReachable(context())).status).toBe('ok');
    expectProblem(await daemonReachable(context({ daemon: { error: 'connect ENOENT' } })), 'fail', /no daemon answers on .*s\.sock: connect ENOENT/, /dossier service install/);
  });

  it('versions match, or the daemon needs a restart', async () => {
    expect((await versionsMatch(context())).status).toBe('ok');
    expectProblem(await versionsMatch(context({ cliVersion: '1.1.0' })), 'fail', /daemon is 1\.0\.0, this CLI is 1\.1\.0/, /restart/);
  });

  it('ports: ours when the daemon runs the receiver, a failure when someone else holds one', async () => {
    const taken = async () => 'in-use' as const;
    const otlp = { http: '127.0.0.1:4318', grpc: '127.0.0.1:4317' };
    expect((await portsFreeOrOurs(context({ otlp, probePort: taken }))).detail).toMatch(/held by the dossier daemon/);
    expect((await portsFreeOrOurs(context({ otlp, daemon: { error: 'down' } }))).status).toBe('ok');
    expectProblem(await portsFreeOrOurs(context({ otlp, probePort: taken, daemon: { error: 'down' } })), 'fail', /127\.0\.0\.1:4318 \(otlp-http\) is taken by another program/, /set otlp-http to a free port/);
    expectProblem(await portsFreeOrOurs(context({ otlp: { http: 'nonsense', grpc: null } })), 'fail', /cannot read "nonsense"/, /HOST:PORT/);
    expect(splitAddress('[::1]:4318')).toEqual({ host: '::1', port: 4318 });
  });

  it('the real probe sees a port another program holds', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
    const port = (server.address() as { port: number }).port;
    expect(await probeTcpPort('127.0.0.1', port)).toBe('in-use');
    await new Promise((r) => server.close(r));
    servers.pop();
    expect(await probeTcpPort('127.0.0.1', port)).toBe('free');
  });
});

describe('file checks', () => {
  it('Claude settings: ok with our hooks and OTel variables, a warning naming what is missing', () => {
    const ctx = context();
    writeClaude(ctx, ourSettings());
    expect(claudeSettings(ctx).status).toBe('ok');
    const partial = ourSettings() as { hooks: Record<string, unknown>; env: Record<string, string> };
    delete partial.hooks.Stop;
    delete partial.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    writeClaude(ctx, partial);
    expectProblem(claudeSettings(ctx), 'warn', /no dossier hook for Stop; .*OTel variables not set: OTEL_EXPORTER_OTLP_ENDPOINT/, /dossier setup claude/);
    const none = context();
    expectProblem(claudeSettings(none), 'warn', /settings\.json: does not exist/, /dossier setup claude/);
  });

  it('transcripts root: readable, missing (a warning) or unreadable (a failure)', () => {
    const ctx = context();
    const dir = writeClaude(ctx, {});
    expect(transcriptsReadable(ctx).status).toBe('ok');
    expectProblem(transcriptsReadable(context()), 'warn', /projects does not exist yet/, /Claude Code has run once/);
    if (process.getuid?.() === 0) return; // root reads everything
    chmodSync(join(dir, 'projects'), 0o000);
    try {
      expectProblem(transcriptsReadable(ctx), 'fail', /is not readable \(EACCES\)/, /chmod u\+rx/);
    } finally {
      chmodSync(join(dir, 'projects'), 0o700);
    }
  });

  it('spool: empty, or records waiting', () => {
    const ctx = context();
    expect(spoolEmpty(ctx).status).toBe('ok');
    mkdirSync(join(ctx.paths.home, 'hooks-spool'));
    writeFileSync(join(ctx.paths.home, 'hooks-spool', '.partial.tmp'), 'x');
    expect(spoolEmpty(ctx).status).toBe('ok');
    writeFileSync(join(ctx.paths.home, 'hooks-spool', '000000000000001-1-ab.hook'), 'x');
    writeFileSync(join(ctx.paths.home, 'hooks-spool', '000000000000002-1-cd.hook'), 'x');
    expectProblem(spoolEmpty(ctx), 'warn', /2 hook call\(s\) wait/, /ingests them/);
    expectProblem(spoolEmpty({ ...ctx, daemon: { error: 'down' } }), 'warn', /2 hook call/, /start the daemon/);
  });

  it('database: passes quick_check, or a corrupted file fails with how to restore', () => {
    const ctx = context();
    expect(databaseIntegrity(ctx).detail).toMatch(/no database yet/);
    const db = new Database(ctx.paths.db);
    db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); CREATE INDEX t_b ON t (b);');
    const insert = db.prepare('INSERT INTO t (b) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run(`value ${i} ${'z'.repeat(50)}`);
    })();
    db.close();
    expect(databaseIntegrity(ctx).status).toBe('ok');
    // Scribble over pages in the middle of the file.
    const fd = openSync(ctx.paths.db, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 4, 0x5a), 0, 4096 * 4, 4096 * 3);
    closeSync(fd);
    expectProblem(databaseIntegrity(ctx), 'fail', /dossier\.db (fails quick_check|cannot be checked)/, /dossier backup/);
  });

  it('disk: plenty, low (a warning), nearly full (a failure)', () => {
    expect(diskSpace(context()).status).toBe('ok');
    expectProblem(diskSpace(context({ diskSpace: () => ({ free: 0.8 * GIB, total: 10 * GIB }) })), 'warn', /0\.8 GiB free of 10\.0 GiB/, /dossier gc/);
    expectProblem(diskSpace(context({ diskSpace: () => ({ free: 3 * GIB, total: 500 * GIB }) })), 'fail', /3\.0 GiB free of 500\.0 GiB/, /free some space/);
    expectProblem(diskSpace(context({ diskSpace: () => ({ free: 0.05 * GIB, total: 500 * GIB }) })), 'fail', /0\.1 GiB free/, /free some space/);
  });
});

describe('doctor run', () => {
  it('runs every check in order, turns a throwing check into a failure, and prints each fix', async () => {
    const ctx = context({ diskSpace: () => { throw new Error('statfs EIO'); } });
    const results = await runChecks(DOCTOR_CHECKS, ctx);
    expect(results.map((r) => r.id)).toEqual(DOCTOR_CHECKS.map(([id]) => id));
    const disk = results.find((r) => r.id === 'disk.space')!;
    expectProblem(disk, 'fail', /the check itself failed: statfs EIO/, /bug/);
    const text = formatResults(results);
    expect(text).toMatch(/^FAIL {2}disk\.space/m);
    expect(text).toMatch(/^ +Fix: dossier setup claude/m);
    expect(text).toMatch(/\d+ failed, \d+ to look at\.$/m);
  });
});
