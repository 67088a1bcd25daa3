/**
 * A `git` on PATH that never answers must not hold anything up: the
 * enricher's intake stays synchronous, the sink keeps taking batches, the
 * command is given up on within its time box, the cwd is backed off, and
 * shutdown returns even while git still hangs.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CwdHub, defaultGitConfig, gitEnricherFactory, type GitEnricherConfig } from '../../../collectors/git/index.js';
import { RecordingSink, settingsFor } from './harness.js';

let dir: string;
let savedPath: string | undefined;
const marker = (): string => join(dir, 'git-started');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dossier-hanging-git-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  // Touches a marker, then becomes `sleep` so an interrupt really ends it.
  writeFileSync(join(bin, 'git'), `#!/bin/sh\ntouch '${marker()}'\nexec sleep 30\n`);
  chmodSync(join(bin, 'git'), 0o755);
  // A git that ignores interrupts: it can only be abandoned.
  writeFileSync(join(bin, 'stubborn-git'), `#!/bin/bash\ntrap '' INT TERM\necho run >> '${join(dir, 'stubborn-runs')}'\nsleep 8\n`);
  chmodSync(join(bin, 'stubborn-git'), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${bin}:${savedPath ?? ''}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

function start(overrides: Partial<GitEnricherConfig>) {
  const sink = new RecordingSink();
  const hub = new CwdHub();
  const settings = settingsFor();
  const component = gitEnricherFactory.create(settings, { ...defaultGitConfig(), refreshMs: 20, onCwd: hub.subscribe, ...overrides }, sink);
  return { sink, hub, settings, component };
}

function activity(session_id: string, cwd: string) {
  const ts = Date.now();
  return { dedupe_key: `t:${session_id}:${ts}`, source: 'transcript' as const, framework: 'claude_code' as const, session_id, agent_id: null, ts, received_at: ts, kind: 'session.activity' as const, attrs: { cwd } };
}

const waitFor = <T>(fn: () => T): Promise<T> => vi.waitFor(fn, { timeout: 20_000, interval: 20 });

describe('a hanging git', () => {
  it('is given up on within its time box while ingestion carries on, and the cwd is backed off', async () => {
    const { sink, hub, settings, component } = start({ commandTimeoutMs: 1_500, hungBackoffMs: 600_000 });
    await component.start();
    hub.observe([activity('s1', dir)]);
    await waitFor(() => expect(existsSync(marker())).toBe(true));
    // git is now hanging; another collector's batch still goes straight through.
    const other = await sink.submit({ events: [activity('s1', dir)] });
    expect(other.inserted).toBe(1);
    expect(settings.counters.get('git.timeouts')).toBe(0);

    await waitFor(() => expect(settings.counters.get('git.timeouts')).toBe(1));
    expect(component.status?.()).toMatchObject({ last_problem: expect.stringContaining('timed out') });
    rmSync(marker());
    hub.observe([activity('s1', dir)]);
    hub.observe([activity('s2', dir)]);
    await new Promise((r) => setTimeout(r, 200));
    // Backed off: no second git was started for that cwd.
    expect(existsSync(marker())).toBe(false);
    expect(sink.events).toHaveLength(0);
    await component.shutdown(5_000);
  });

  it('does not delay shutdown: a running git is interrupted', async () => {
    const { sink, hub, component } = start({ commandTimeoutMs: 120_000, resolveTimeoutMs: 120_000 });
    await component.start();
    if (existsSync(marker())) rmSync(marker());
    hub.observe([activity('s3', dir)]);
    await waitFor(() => expect(existsSync(marker())).toBe(true));
    await component.shutdown(2_000);
    expect(component.status?.()).toMatchObject({ state: 'stopped' });
    expect(sink.events).toHaveLength(0);
  });

  it('a git that ignores interrupts is abandoned, and new work waits while too many are abandoned', async () => {
    const { hub, settings, component } = start({ binary: 'stubborn-git', commandTimeoutMs: 300, maxAbandoned: 1 });
    await component.start();
    hub.observe([activity('s4', dir)]);
    await waitFor(() => expect(settings.counters.get('git.timeouts')).toBe(1));
    expect(component.status?.()).toMatchObject({ git_processes_abandoned: 1 });
    hub.observe([activity('s5', join(dir, 'bin'))]);
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(join(dir, 'stubborn-runs'), 'utf8')).toBe('run\n');
    await component.shutdown(1_000);
    expect(component.status?.()).toMatchObject({ state: 'stopped' });
  });
});
