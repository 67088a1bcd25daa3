/**
 * Project directories the scenarios work in: a plain one with the files the
 * tool script touches, and a git repository on a named branch with a GitHub
 * remote (never contacted) so dossier can report repo and branch.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Puts `hello.txt` and an empty `sub/` in `dir` (what the tool script reads and `cd`s into). */
export function prepareToolsProject(dir: string): void {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'hello.txt'), 'hello from hello.txt\nsecond line\n');
}

/** A git repository made by {@link prepareGitRepo}. */
export interface GitRepo {
  dir: string;
  gitDir: string;
  branch: string;
  /** `owner/repo` of the remote. */
  githubRepo: string;
}

function git(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/**
 * Initializes `dir` as a repo with one commit on `main`, an `origin` remote
 * on github.com, and checks out `branch`. User name and e-mail live in the
 * repo's own config so the agent's `git commit` works with any HOME.
 */
export function prepareGitRepo(dir: string, branch: string, githubRepo: string): GitRepo {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'E2E Tester']);
  git(dir, ['config', 'user.email', 'e2e@example.invalid']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  git(dir, ['remote', 'add', 'origin', `git@github.com:${githubRepo}.git`]);
  writeFileSync(join(dir, 'README.md'), '# e2e repo\n');
  git(dir, ['add', 'README.md']);
  git(dir, ['commit', '-q', '-m', 'Initial commit']);
  git(dir, ['checkout', '-q', '-b', branch]);
  return { dir, gitDir: join(dir, '.git'), branch, githubRepo };
}

/** Subjects of the commits on HEAD, newest first. */
export function commitSubjects(dir: string): string[] {
  return git(dir, ['log', '--format=%s']).trim().split('\n');
}
