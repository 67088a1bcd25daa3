/**
 * Resolves what git knows about one working directory: the repository, the
 * checkout (branch or detached commit, linked worktree), the remote's
 * repository name, and lines added/deleted against the default branch.
 * Every step is time-boxed; a step that fails leaves its fields empty and
 * the others still count.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { sumNumstat } from './numstat.js';
import { parseRemoteUrl } from './remote-url.js';
import type { GitFailure, GitRunner } from './runner.js';
import { TtlCache } from './ttl-cache.js';

/** Everything resolved for one cwd; absent fields are unknown. */
export interface GitFacts {
  /**
   * The repository's main working tree (the same for all its linked
   * worktrees); for a bare repository with worktrees, the git dir itself.
   */
  repo_root: string;
  /** The repository's (common) git directory, shared by all its worktrees. */
  git_dir: string;
  /** The linked worktree's root, only when the cwd is inside a linked worktree. */
  worktree_path?: string;
  /** Checked-out branch; absent when HEAD is detached. */
  branch?: string;
  /** Commit at HEAD; absent on an unborn branch. */
  head_sha?: string;
  remote_url?: string;
  /** `owner/repo` (GitHub) or `host/path` (other hosts). */
  github_repo?: string;
  /** The ref lines are counted against, e.g. `origin/main` or `main`. */
  default_branch?: string;
  /** Lines added/deleted in the working tree against the merge base with `default_branch`. */
  additions?: number;
  deletions?: number;
}

/** `live`: everything, as of now. `static`: only what does not change with time (for sessions seen long ago). */
export type ResolveMode = 'live' | 'static';

/** The outcome of one resolution. */
export type ResolveResult =
  | { kind: 'resolved'; facts: GitFacts; incomplete: GitFailure | null }
  | { kind: 'not_repo' }
  | { kind: 'unavailable'; reason: GitFailure; detail: string };

/** Limits of one resolution. */
export interface ResolveLimits {
  commandTimeoutMs: number;
  /** Deadline for the whole resolution, ms since epoch. */
  deadline: number;
  signal: AbortSignal;
  now: () => number;
}

interface Layout {
  repo_root: string;
  git_dir: string;
  worktree_path?: string;
  remote_url?: string;
  github_repo?: string;
  /** The remote the URL came from (`origin`, else the first by name); not part of the facts. */
  remote_name?: string;
}

interface Base {
  default_branch?: string;
  merge_base?: string;
}

/** Caches the slow, rarely-changing parts: layout and remote per cwd, merge base per (repository, HEAD). */
export class GitResolver {
  readonly #runner: GitRunner;
  readonly #layouts: TtlCache<Layout | 'not_repo'>;
  readonly #bases: TtlCache<Base>;

  constructor(runner: GitRunner, cacheTtlMs: number, maxEntries = 2000) {
    this.#runner = runner;
    this.#layouts = new TtlCache(cacheTtlMs, maxEntries);
    this.#bases = new TtlCache(cacheTtlMs, maxEntries);
  }

  /** Resolves `cwd` (absolute). Never throws. */
  async resolve(cwd: string, mode: ResolveMode, limits: ResolveLimits): Promise<ResolveResult> {
    const git = new Steps(this.#runner, cwd, limits);
    let layout = this.#layouts.get(cwd, limits.now());
    if (layout === undefined) {
      if (!(await isDirectory(cwd))) return { kind: 'not_repo' };
      const read = await readLayout(git, cwd);
      if (read.kind === 'unavailable') return read;
      layout = read.kind === 'not_repo' ? 'not_repo' : read.layout;
      if (!git.failure) this.#layouts.set(cwd, layout, limits.now());
    }
    if (layout === 'not_repo') return { kind: 'not_repo' };
    const { remote_name: remote, ...fixed } = layout;
    const facts: GitFacts = { ...fixed };
    if (mode === 'static') return { kind: 'resolved', facts, incomplete: git.failure };

    const sha = await git.line(['rev-parse', '--verify', '--quiet', 'HEAD']);
    const branch = await git.line(['symbolic-ref', '--quiet', '--short', 'HEAD']);
    if (branch) facts.branch = branch;
    if (sha) facts.head_sha = sha;
    if (!sha || git.failure) return { kind: 'resolved', facts, incomplete: git.failure };

    const baseKey = `${layout.git_dir}\n${sha}\n${branch ?? ''}`;
    let base = this.#bases.get(baseKey, limits.now());
    if (base === undefined) {
      base = await readBase(git, remote);
      if (!git.failure) this.#bases.set(baseKey, base, limits.now());
    }
    if (base.default_branch) facts.default_branch = base.default_branch;
    if (base.merge_base) {
      const numstat = await git.text(['diff', '--numstat', '--no-ext-diff', '--no-textconv', '--no-color', base.merge_base]);
      if (numstat !== undefined) Object.assign(facts, sumNumstat(numstat));
    }
    return { kind: 'resolved', facts, incomplete: git.failure };
  }
}

/** Runs the steps of one resolution; remembers the first failure so later steps are skipped. */
class Steps {
  failure: GitFailure | null = null;
  detail = '';

  constructor(
    private readonly runner: GitRunner,
    private readonly cwd: string,
    private readonly limits: ResolveLimits,
  ) {}

  /** Output of `git <args>`, or undefined when it failed or time ran out. */
  async text(args: readonly string[]): Promise<string | undefined> {
    if (this.failure) return undefined;
    const left = this.limits.deadline - this.limits.now();
    if (left <= 0) {
      this.failure = 'timeout';
      return undefined;
    }
    const outcome = await this.runner.run(this.cwd, args, Math.min(left, this.limits.commandTimeoutMs), this.limits.signal);
    if (outcome.ok) return outcome.stdout;
    // A plain refusal (not a repo, unknown ref) is an answer; only the others end the resolution.
    if (outcome.reason !== 'failed') {
      this.failure = outcome.reason;
      this.detail = outcome.detail;
    }
    return undefined;
  }

  /** First line of the output, trimmed; undefined when empty or failed. */
  async line(args: readonly string[]): Promise<string | undefined> {
    const out = await this.text(args);
    const first = out?.split('\n')[0]?.trim();
    return first ? first : undefined;
  }
}

async function readLayout(git: Steps, cwd: string): Promise<{ kind: 'layout'; layout: Layout } | { kind: 'not_repo' } | Extract<ResolveResult, { kind: 'unavailable' }>> {
  const out = await git.text(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir']);
  if (git.failure) return { kind: 'unavailable', reason: git.failure, detail: git.detail };
  const [toplevel, gitDir, commonDirRaw] = (out ?? '').split('\n').map((l) => l.trim());
  if (!toplevel || !gitDir || !commonDirRaw) return { kind: 'not_repo' };
  const commonDir = resolvePath(cwd, commonDirRaw);
  const linked = resolvePath(gitDir) !== commonDir;
  const mainRoot = basename(commonDir) === '.git' ? dirname(commonDir) : linked ? commonDir : toplevel;
  const layout: Layout = { repo_root: mainRoot, git_dir: commonDir, ...(linked ? { worktree_path: toplevel } : {}) };
  const remotes = (await git.text(['remote']))?.split('\n').map((r) => r.trim()).filter((r) => r !== '') ?? [];
  const remote = remotes.includes('origin') ? 'origin' : remotes.sort()[0];
  if (remote) {
    const url = await git.line(['remote', 'get-url', remote]);
    const info = url ? parseRemoteUrl(url) : null;
    if (info) Object.assign(layout, info, { remote_name: remote });
  }
  return { kind: 'layout', layout };
}

/** The default branch (remote HEAD, else main/master) and HEAD's merge base with it. */
async function readBase(git: Steps, remote: string | undefined): Promise<Base> {
  let ref: string | undefined;
  if (remote) ref = await git.line(['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`]);
  if (!ref) {
    const candidates = [
      ...(remote ? [`refs/remotes/${remote}/main`, `refs/remotes/${remote}/master`] : []),
      'refs/heads/main',
      'refs/heads/master',
    ];
    const existing = new Set((await git.text(['for-each-ref', '--format=%(refname)', ...candidates]))?.split('\n').map((l) => l.trim()));
    ref = candidates.find((c) => existing.has(c));
  }
  if (!ref) return {};
  const default_branch = ref.replace(/^refs\/remotes\//, '').replace(/^refs\/heads\//, '');
  const merge_base = await git.line(['merge-base', ref, 'HEAD']);
  return merge_base ? { default_branch, merge_base } : { default_branch };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
