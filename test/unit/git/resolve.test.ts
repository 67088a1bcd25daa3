import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitResolver, type ResolveLimits, type ResolveMode } from '../../../collectors/git/resolve.js';
import { GitRunner } from '../../../collectors/git/runner.js';
import { buildRepos, git, type RepoSet } from './repos.js';

let repos: RepoSet;
let resolver: GitResolver;

beforeAll(() => {
  repos = buildRepos();
  resolver = new GitResolver(new GitRunner({ binary: 'git' }), 60_000);
});
afterAll(() => repos.cleanup());

function limits(): ResolveLimits {
  return { commandTimeoutMs: 20_000, deadline: Date.now() + 60_000, signal: new AbortController().signal, now: Date.now };
}

async function facts(cwd: string, mode: ResolveMode = 'live') {
  const result = await resolver.resolve(cwd, mode, limits());
  if (result.kind !== 'resolved') throw new Error(`expected resolved, got ${JSON.stringify(result)}`);
  expect(result.incomplete).toBeNull();
  return result.facts;
}

describe('GitResolver on real repositories', () => {
  it('a feature branch of a GitHub SSH clone: every field, lines vs origin/main incl. uncommitted edits, binary ignored', async () => {
    expect(await facts(repos.widgets)).toEqual({
      repo_root: repos.widgets,
      git_dir: join(repos.widgets, '.git'),
      branch: 'feature/login',
      head_sha: git(repos.widgets, 'rev-parse', 'HEAD'),
      remote_url: 'git@github.com:acme/widgets.git',
      github_repo: 'acme/widgets',
      default_branch: 'origin/main',
      // a.txt: -3 +2 (committed); b.txt: +5 committed, +1 uncommitted; logo.bin: binary, no lines.
      additions: 8,
      deletions: 3,
    });
  });

  it('a subdirectory resolves to the same repository', async () => {
    const sub = await facts(repos.widgetsSub);
    expect(sub.repo_root).toBe(repos.widgets);
    expect(sub.additions).toBe(8);
  });

  it('a linked worktree: the main repository, its git dir, the worktree path and its own branch', async () => {
    expect(await facts(repos.worktree)).toEqual({
      repo_root: repos.widgets,
      git_dir: join(repos.widgets, '.git'),
      worktree_path: repos.worktree,
      branch: 'wt-branch',
      head_sha: git(repos.worktree, 'rev-parse', 'HEAD'),
      remote_url: 'git@github.com:acme/widgets.git',
      github_repo: 'acme/widgets',
      default_branch: 'origin/main',
      additions: 4,
      deletions: 0,
    });
  });

  it('a detached worktree: no branch, the commit instead', async () => {
    expect(await facts(repos.detached)).toEqual({
      repo_root: repos.widgets,
      git_dir: join(repos.widgets, '.git'),
      worktree_path: repos.detached,
      head_sha: repos.widgetsBase,
      remote_url: 'git@github.com:acme/widgets.git',
      github_repo: 'acme/widgets',
      default_branch: 'origin/main',
      additions: 0,
      deletions: 0,
    });
  });

  it('an HTTPS GitHub remote with a token: token removed, origin/master found without origin/HEAD, detached HEAD', async () => {
    expect(await facts(repos.gadgets)).toEqual({
      repo_root: repos.gadgets,
      git_dir: join(repos.gadgets, '.git'),
      head_sha: repos.gadgetsHead,
      remote_url: 'https://github.com/acme/gadgets.git',
      github_repo: 'acme/gadgets',
      default_branch: 'origin/master',
      additions: 2,
      deletions: 0,
    });
  });

  it('another host is kept as host/path; the local main is the default without remote refs', async () => {
    expect(await facts(repos.lab)).toEqual({
      repo_root: repos.lab,
      git_dir: join(repos.lab, '.git'),
      branch: 'main',
      head_sha: git(repos.lab, 'rev-parse', 'HEAD'),
      remote_url: 'ssh://git@gitlab.example.com:2222/group/sub/lab.git',
      github_repo: 'gitlab.example.com/group/sub/lab',
      default_branch: 'main',
      additions: 0,
      deletions: 2,
    });
  });

  it('no remote: no repository name, local master is the default', async () => {
    expect(await facts(repos.solo)).toEqual({
      repo_root: repos.solo,
      git_dir: join(repos.solo, '.git'),
      branch: 'topic',
      head_sha: git(repos.solo, 'rev-parse', 'HEAD'),
      default_branch: 'master',
      additions: 1,
      deletions: 0,
    });
  });

  it('an unborn branch: the branch name, no commit, no line counts', async () => {
    expect(await facts(repos.unborn)).toEqual({ repo_root: repos.unborn, git_dir: join(repos.unborn, '.git'), branch: 'main' });
  });

  it('static mode resolves only what does not change with time', async () => {
    expect(await facts(repos.worktree, 'static')).toEqual({
      repo_root: repos.widgets,
      git_dir: join(repos.widgets, '.git'),
      worktree_path: repos.worktree,
      remote_url: 'git@github.com:acme/widgets.git',
      github_repo: 'acme/widgets',
    });
  });

  it('a plain directory and a missing directory are not repositories', async () => {
    expect(await resolver.resolve(repos.plain, 'live', limits())).toEqual({ kind: 'not_repo' });
    expect(await resolver.resolve(join(repos.root, 'gone'), 'live', limits())).toEqual({ kind: 'not_repo' });
  });

  it('a missing git binary is reported as unavailable, not as "not a repository"', async () => {
    const broken = new GitResolver(new GitRunner({ binary: 'git-binary-that-does-not-exist' }), 60_000);
    expect(await broken.resolve(repos.widgets, 'live', limits())).toMatchObject({ kind: 'unavailable', reason: 'missing' });
  });

  it('sees a branch switch on the next look (HEAD is never cached)', async () => {
    git(repos.solo, 'checkout', '-q', 'master');
    expect((await facts(repos.solo)).branch).toBe('master');
    git(repos.solo, 'checkout', '-q', 'topic');
    expect((await facts(repos.solo)).branch).toBe('topic');
  });
});
