/**
 * Builds real git repositories in a temp dir for the git enricher's tests:
 * a GitHub clone-alike with a feature branch and uncommitted edits, a linked
 * worktree, a detached worktree, an HTTPS remote with a token, another host,
 * no remote, an unborn branch, and a plain directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_'))),
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** Runs git in `cwd` and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** `n` numbered lines with a prefix, newline-terminated. */
export function lines(prefix: string, n: number, from = 1): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${from + i}\n`).join('');
}

/** Paths and commits of the built repositories (all paths real, symlinks resolved). */
export interface RepoSet {
  root: string;
  /** SSH GitHub origin `git@github.com:acme/widgets.git`, origin/HEAD → origin/main; on `feature/login`. */
  widgets: string;
  widgetsSub: string;
  widgetsBase: string;
  /** Linked worktree of widgets on branch `wt-branch`, one commit (+4 lines) ahead of origin/main. */
  worktree: string;
  /** Linked worktree of widgets, detached at `widgetsBase`. */
  detached: string;
  /** HTTPS origin with a token, only origin/master (no origin/HEAD); detached HEAD in its main worktree. */
  gadgets: string;
  gadgetsHead: string;
  /** Origin on another host; no remote refs, local `main`; on main with uncommitted edits. */
  lab: string;
  /** No remote; local `master`; on `topic`. */
  solo: string;
  /** `git init` with no commit. */
  unborn: string;
  /** A plain directory. */
  plain: string;
  cleanup(): void;
}

/** Builds every repository of {@link RepoSet} under a new temp dir. */
export function buildRepos(): RepoSet {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'dossier-git-')));
  const dir = (name: string): string => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };

  const widgets = dir('widgets');
  git(widgets, 'init', '-q', '-b', 'main');
  writeFileSync(join(widgets, 'a.txt'), lines('a', 10));
  writeFileSync(join(widgets, 'logo.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
  mkdirSync(join(widgets, 'src'));
  writeFileSync(join(widgets, 'src', 'keep.txt'), 'keep\n');
  git(widgets, 'add', '.');
  git(widgets, 'commit', '-q', '-m', 'init');
  const widgetsBase = git(widgets, 'rev-parse', 'HEAD');
  git(widgets, 'remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
  git(widgets, 'update-ref', 'refs/remotes/origin/main', widgetsBase);
  git(widgets, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  // Feature branch: a.txt loses 3 lines and gains 2, b.txt gains 5; then uncommitted: b.txt +1, binary changed.
  git(widgets, 'checkout', '-q', '-b', 'feature/login');
  writeFileSync(join(widgets, 'a.txt'), lines('a', 7) + lines('new', 2));
  writeFileSync(join(widgets, 'b.txt'), lines('b', 5));
  git(widgets, 'add', '.');
  git(widgets, 'commit', '-q', '-m', 'feature');
  writeFileSync(join(widgets, 'b.txt'), lines('b', 6));
  writeFileSync(join(widgets, 'logo.bin'), Buffer.from([0, 9, 9, 9, 0, 255]));

  const worktree = join(root, 'widgets-wt');
  git(widgets, 'worktree', 'add', '-q', '-b', 'wt-branch', worktree, 'origin/main');
  writeFileSync(join(worktree, 'c.txt'), lines('c', 4));
  git(worktree, 'add', '.');
  git(worktree, 'commit', '-q', '-m', 'wt work');

  const detached = join(root, 'widgets-detached');
  git(widgets, 'worktree', 'add', '-q', '--detach', detached, widgetsBase);

  const gadgets = dir('gadgets');
  git(gadgets, 'init', '-q', '-b', 'master');
  writeFileSync(join(gadgets, 'g.txt'), lines('g', 3));
  git(gadgets, 'add', '.');
  git(gadgets, 'commit', '-q', '-m', 'one');
  const gadgetsBase = git(gadgets, 'rev-parse', 'HEAD');
  git(gadgets, 'remote', 'add', 'origin', 'https://x-access-token:ghp_secret123@github.com/acme/gadgets.git');
  git(gadgets, 'update-ref', 'refs/remotes/origin/master', gadgetsBase);
  writeFileSync(join(gadgets, 'g.txt'), lines('g', 5));
  git(gadgets, 'commit', '-q', '-am', 'two');
  const gadgetsHead = git(gadgets, 'rev-parse', 'HEAD');
  git(gadgets, 'checkout', '-q', '--detach', gadgetsHead);

  const lab = dir('lab');
  git(lab, 'init', '-q', '-b', 'main');
  writeFileSync(join(lab, 'l.txt'), lines('l', 4));
  git(lab, 'add', '.');
  git(lab, 'commit', '-q', '-m', 'lab');
  git(lab, 'remote', 'add', 'origin', 'ssh://git@gitlab.example.com:2222/group/sub/lab.git');
  writeFileSync(join(lab, 'l.txt'), lines('l', 2));

  const solo = dir('solo');
  git(solo, 'init', '-q', '-b', 'master');
  writeFileSync(join(solo, 's.txt'), lines('s', 2));
  git(solo, 'add', '.');
  git(solo, 'commit', '-q', '-m', 'solo');
  git(solo, 'checkout', '-q', '-b', 'topic');
  writeFileSync(join(solo, 's.txt'), lines('s', 3));
  git(solo, 'commit', '-q', '-am', 'topic');

  const unborn = dir('unborn');
  git(unborn, 'init', '-q', '-b', 'main');

  const plain = dir('plain');

  return {
    root,
    widgets,
    widgetsSub: join(widgets, 'src'),
    widgetsBase,
    worktree,
    detached,
    gadgets,
    gadgetsHead,
    lab,
    solo,
    unborn,
    plain,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
