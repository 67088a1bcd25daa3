import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CwdHub, defaultGitConfig, gitEnricherFactory, type CwdSighting, type GitEnricherConfig } from '../../../collectors/git/index.js';
import type { Component, ComponentSettings } from '../../../core/pipeline/component.js';
import { validateEvent } from '../../../schema/index.js';
import { RecordingSink, settingsFor } from './harness.js';
import { buildRepos, git, type RepoSet } from './repos.js';

let repos: RepoSet;
const running: Component[] = [];

beforeAll(() => {
  repos = buildRepos();
});
afterAll(() => repos.cleanup());
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.shutdown(5_000)));
});

const waitFor = <T>(fn: () => T): Promise<T> => vi.waitFor(fn, { timeout: 20_000, interval: 20 });

function config(overrides: Partial<GitEnricherConfig> = {}): GitEnricherConfig {
  return { ...defaultGitConfig(), refreshMs: 50, cacheTtlMs: 1, commandTimeoutMs: 20_000, ...overrides };
}

async function startWithHub(sink: RecordingSink, overrides: Partial<GitEnricherConfig> = {}, settings?: ComponentSettings) {
  const hub = new CwdHub();
  const s = settings ?? settingsFor(sink);
  const component = gitEnricherFactory.create(s, config({ onCwd: hub.subscribe, ...overrides }), sink);
  running.push(component);
  await component.start();
  return { hub, component, settings: s };
}

const sighting = (cwd: string, at = Date.now(), session_id = 'sess-1'): CwdSighting => ({ session_id, cwd, at, framework: 'claude_code' });

describe('git enricher component', () => {
  it('turns a sighting into one git.context event with a checkpoint, and ignores the same state again', async () => {
    const sink = new RecordingSink();
    const { component, settings } = await startWithHub(sink);
    const enricher = component as unknown as { note(s: CwdSighting): void };
    const at = Date.now();
    enricher.note(sighting(repos.worktree, at));
    await waitFor(() => expect(sink.events).toHaveLength(1));
    const [event] = sink.events;
    expect(validateEvent(event)).toMatchObject({ ok: true });
    expect(event).toMatchObject({ session_id: 'sess-1', source: 'git', ts: at });
    expect(event!.attrs).toMatchObject({ cwd: repos.worktree, worktree_path: repos.worktree, branch: 'wt-branch', github_repo: 'acme/widgets', additions: 4, deletions: 0 });
    expect(sink.batches[0]!.checkpoints).toEqual([{ collector: 'git', key: `sess-1\n${repos.worktree}`, value: expect.any(String) }]);

    enricher.note(sighting(repos.worktree, at + 1));
    await waitFor(() => expect(settings.counters.get('git.unchanged')).toBe(1));
    expect(sink.events).toHaveLength(1);
  });

  it('a branch change inserts a new event; switching back inserts another (latest wins stays right)', async () => {
    const sink = new RecordingSink();
    const { hub } = await startWithHub(sink);
    const at = Date.now();
    const observe = (ts: number): void =>
      hub.observe([{ dedupe_key: `t:${ts}`, source: 'transcript', framework: 'claude_code', session_id: 'sess-2', agent_id: null, ts, received_at: ts, kind: 'session.activity', attrs: { cwd: repos.solo } }]);
    observe(at);
    await waitFor(() => expect(sink.events.map((e) => e.attrs.branch)).toEqual(['topic']));
    git(repos.solo, 'checkout', '-q', 'master');
    observe(at + 1);
    await waitFor(() => expect(sink.events.map((e) => e.attrs.branch)).toEqual(['topic', 'master']));
    git(repos.solo, 'checkout', '-q', 'topic');
    observe(at + 2);
    await waitFor(() => expect(sink.events.map((e) => e.attrs.branch)).toEqual(['topic', 'master', 'topic']));
    expect(new Set(sink.events.map((e) => e.dedupe_key)).size).toBe(3);
  });

  it('after a restart the same state inserts nothing (checkpoints are read back)', async () => {
    const sink = new RecordingSink();
    const first = await startWithHub(sink);
    first.hub.observe([activity('sess-3', repos.lab, Date.now())]);
    await waitFor(() => expect(sink.events).toHaveLength(1));
    await first.component.shutdown(5_000);

    const second = await startWithHub(sink, {}, settingsFor(sink));
    second.hub.observe([activity('sess-3', repos.lab, Date.now())]);
    await waitFor(() => expect(second.settings.counters.get('git.unchanged')).toBe(1));
    expect(sink.events).toHaveLength(1);
  });

  it('history: an old sighting gets time-independent facts only, and nothing when facts were already recorded', async () => {
    const sink = new RecordingSink();
    const { component, settings } = await startWithHub(sink, { liveWindowMs: 60_000 });
    const enricher = component as unknown as { note(s: CwdSighting): void };
    const old = Date.now() - 3_600_000;
    enricher.note(sighting(repos.widgets, old, 'old-session'));
    await waitFor(() => expect(sink.events).toHaveLength(1));
    expect(sink.events[0]!.attrs).toEqual({
      cwd: repos.widgets,
      repo_root: repos.widgets,
      git_dir: join(repos.widgets, '.git'),
      remote_url: 'git@github.com:acme/widgets.git',
      github_repo: 'acme/widgets',
    });
    expect(sink.events[0]!.ts).toBe(old);
    enricher.note(sighting(repos.widgets, old + 1, 'old-session'));
    await waitFor(() => expect(settings.counters.get('git.history_already_recorded')).toBe(1));
    expect(sink.events).toHaveLength(1);
  });

  it('not a repository: no event, counted; the enricher\'s own events never feed it', async () => {
    const sink = new RecordingSink();
    const { hub, settings } = await startWithHub(sink);
    hub.observe([activity('sess-4', repos.plain, Date.now())]);
    await waitFor(() => expect(settings.counters.get('git.not_repo')).toBe(1));
    hub.observe([{ ...activity('sess-4', repos.widgets, Date.now()), source: 'git' }]);
    expect(sink.events).toHaveLength(0);
  });

  it('a full queue defers the event; it is submitted once accepted', async () => {
    const sink = new RecordingSink();
    sink.refuseNext = 2;
    const { hub, settings } = await startWithHub(sink);
    hub.observe([activity('sess-5', repos.gadgets, Date.now())]);
    await waitFor(() => expect(sink.events).toHaveLength(1));
    expect(settings.counters.get('git.submit_deferred')).toBe(2);
    expect(sink.events[0]!.attrs).toMatchObject({ github_repo: 'acme/gadgets', head_sha: repos.gadgetsHead });
  });

  it('git missing: nothing submitted, counted, status says so', async () => {
    const sink = new RecordingSink();
    const { hub, settings, component } = await startWithHub(sink, { binary: 'git-binary-that-does-not-exist' });
    hub.observe([activity('sess-6', repos.widgets, Date.now())]);
    await waitFor(() => expect(settings.counters.get('git.unavailable')).toBe(1));
    expect(component.status?.()).toMatchObject({ git_missing: true });
    expect(sink.events).toHaveLength(0);
  });

  it('shutdown is idempotent and safe without start; a disabled enricher ignores sightings', async () => {
    const sink = new RecordingSink();
    const idle = gitEnricherFactory.create(settingsFor(), config(), sink);
    await idle.shutdown(1_000);
    await idle.shutdown(1_000);
    const { hub, component } = await startWithHub(sink, { enabled: false });
    hub.observe([activity('sess-7', repos.widgets, Date.now())]);
    await component.shutdown(1_000);
    await component.shutdown(1_000);
    expect(sink.events).toHaveLength(0);
    expect(component.status?.()).toMatchObject({ state: 'stopped', enabled: false });
  });

  it('refuses a bad config at create', () => {
    expect(() => gitEnricherFactory.create(settingsFor(), { ...config(), refreshMs: -1 }, new RecordingSink())).toThrow(/git\.refreshMs/);
  });

  it('polls listSessionCwds for sessions seen before it started', async () => {
    const sink = new RecordingSink();
    const asked: number[] = [];
    const at = Date.now();
    const component = gitEnricherFactory.create(
      settingsFor(sink),
      config({ listSessionCwds: (since) => (asked.push(since), [sighting(repos.unborn, at, 'sess-8')]) }),
      sink,
    );
    running.push(component);
    await component.start();
    await waitFor(() => expect(sink.events).toHaveLength(1));
    expect(sink.events[0]!.attrs).toEqual({ cwd: repos.unborn, repo_root: repos.unborn, git_dir: join(repos.unborn, '.git'), branch: 'main' });
    expect(asked[0]).toBeLessThanOrEqual(at - defaultGitConfig().backfillWindowMs + 1_000);
  });
});

function activity(session_id: string, cwd: string, ts: number) {
  return { dedupe_key: `t:${session_id}:${ts}`, source: 'transcript' as const, framework: 'claude_code' as const, session_id, agent_id: null, ts, received_at: ts, kind: 'session.activity' as const, attrs: { cwd } };
}
