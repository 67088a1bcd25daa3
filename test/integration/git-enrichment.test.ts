/**
 * The git enricher inside the real daemon: an event with a cwd posted to the
 * API reaches the enricher through the committed-batch tap, a `git.context`
 * event is stored, the session record shows repository, branch, worktree and
 * lines changed with git as their source, and a move to another worktree
 * shows up at once. A replay after a restart inserts nothing new.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionEventsResponse, SessionResponse } from '../../schema/index.js';
import { startDaemon, type DaemonHandle } from '../support/daemon.js';
import { buildRepos, type RepoSet } from '../unit/git/repos.js';

let repos: RepoSet;
let daemon: DaemonHandle;

beforeAll(async () => {
  repos = buildRepos();
  daemon = await startDaemon({ collectors: 'git' });
});
afterAll(async () => {
  await daemon?.cleanup();
  repos?.cleanup();
});

const SESSION = 'b7d0c3a2-1111-4c1e-9a6e-000000000001';

async function post(ts: number, cwd: string, n: number): Promise<void> {
  const event = {
    dedupe_key: `t:int-git:${n}`,
    source: 'transcript',
    framework: 'claude_code',
    session_id: SESSION,
    agent_id: null,
    ts,
    received_at: ts,
    kind: 'prompt.submitted',
    attrs: { cwd, prompt_id: `p${n}`, text: 'work' },
  };
  const reply = await daemon.request('POST', '/v1/events', { body: JSON.stringify({ events: [event] }), headers: { 'content-type': 'application/json' } });
  expect(reply.status).toBe(200);
}

async function gitEvents(): Promise<SessionEventsResponse['events']> {
  const reply = await daemon.request('GET', `/v1/sessions/${SESSION}/events?source=git`);
  return reply.status === 200 ? (reply.json as SessionEventsResponse).events : [];
}

async function session(): Promise<SessionResponse['session']> {
  const reply = await daemon.request('GET', `/v1/sessions/${SESSION}`);
  expect(reply.status).toBe(200);
  return (reply.json as SessionResponse).session;
}

const waitFor = <T>(fn: () => Promise<T>): Promise<T> => vi.waitFor(fn, { timeout: 30_000, interval: 100 });

describe('git enrichment in the daemon', () => {
  it('describes the linked worktree a session works in, then the detached worktree it moves to', async () => {
    const t0 = Date.now();
    await post(t0, repos.worktree, 1);
    await waitFor(async () => expect(await gitEvents()).toHaveLength(1));
    const record = await session();
    expect(record).toMatchObject({
      cwd: repos.worktree,
      local_git_dir: `${repos.widgets}/.git`,
      git_worktree_path: repos.worktree,
      git_branch: 'wt-branch',
      github_repo: 'acme/widgets',
      git_additions: 4,
      git_deletions: 0,
    });
    expect(record.provenance).toMatchObject({ github_repo: 'git', git_additions: 'git' });
    // Enrichment is not activity: it must not move last_activity.
    expect(record.last_activity).toBe(t0);

    // A (session, cwd) is re-resolved at most once per refresh interval (60 s by default; branch
    // switches within one cwd are covered by the unit tests); a new cwd is resolved at once.
    await post(t0 + 1, repos.detached, 2);
    await waitFor(async () => expect(await gitEvents()).toHaveLength(2));
    const moved = await session();
    expect(moved).toMatchObject({ cwd: repos.detached, git_worktree_path: repos.detached, git_branch: null, git_additions: 0 });
  });

  it('after a restart, the same activity replayed inserts nothing new', async () => {
    const before = (await gitEvents()).length;
    await daemon.stop();
    daemon = await startDaemon({ collectors: 'git', home: daemon.home });
    await post(Date.now(), repos.detached, 3);
    // Wait until the enricher has looked (it counts an unchanged state), then check nothing was added.
    await waitFor(async () => {
      const status = (await daemon.request('GET', '/v1/status')).json as { counters: Record<string, number> };
      expect(status.counters['git.unchanged']).toBe(1);
    });
    expect(await gitEvents()).toHaveLength(before);
  });
});
