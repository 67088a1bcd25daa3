/**
 * Rule 2 of the merge for the fields that enrichment provides: the git
 * repository the session worked in (`git.context`), the GitHub issues and PRs
 * it touched (`github.ref`), and its process (`process.seen`).
 */
import type { EventOf, NormalizedEvent, SessionGithubRef, Source } from '../../schema/index.js';

/** Place and process fields of a session record, with the source of each. */
export interface Place {
  local_git_dir: string | null;
  git_worktree_path: string | null;
  github_repo: string | null;
  git_additions: number | null;
  git_deletions: number | null;
  /** The branch git saw; used only when no agent source reported one. */
  git_branch: string | null;
  /** Source of the chosen `git.context`, if any. */
  git_source: Source | null;
  github_issue: number | null;
  github_issue_source: Source | null;
  github_pr: number | null;
  github_pr_source: Source | null;
  github_refs: SessionGithubRef[];
  pid: number | null;
  process_start_time: number | null;
  pid_source: Source | null;
}

/**
 * Projects place and process. `sorted` must come from `sortEvents`;
 * `finalCwd` is the session's chosen cwd.
 * - git: the latest `git.context` whose `cwd` equals `finalCwd`, else the
 *   latest of all (the session may have left the directory git described).
 * - GitHub: every ref once per (type, number, repo), ordered by last
 *   sighting; `github_issue`/`github_pr` are the latest ref of each type.
 * - process: the latest `process.seen`.
 */
export function projectPlace(sorted: readonly NormalizedEvent[], finalCwd: string | null): Place {
  let gitAtCwd: EventOf<'git.context'> | null = null;
  let gitLatest: EventOf<'git.context'> | null = null;
  let issue: EventOf<'github.ref'> | null = null;
  let pr: EventOf<'github.ref'> | null = null;
  let process: EventOf<'process.seen'> | null = null;
  const refs = new Map<string, SessionGithubRef>();

  for (const e of sorted) {
    switch (e.kind) {
      case 'git.context':
        gitLatest = e;
        if (e.attrs.cwd === finalCwd) gitAtCwd = e;
        break;
      case 'github.ref': {
        if (e.attrs.ref_type === 'issue') issue = e;
        else pr = e;
        const repo = e.attrs.repo ?? null;
        const id = JSON.stringify([e.attrs.ref_type, e.attrs.number, repo]);
        // Re-inserting moves the ref to the end: Map order is order of last sighting.
        refs.delete(id);
        refs.set(id, { ref_type: e.attrs.ref_type, number: e.attrs.number, repo, last_seen_at: e.ts });
        break;
      }
      case 'process.seen':
        process = e;
        break;
      default:
        break;
    }
  }
  const git = gitAtCwd ?? gitLatest;
  return {
    local_git_dir: git?.attrs.git_dir ?? null,
    git_worktree_path: git?.attrs.worktree_path ?? null,
    github_repo: git?.attrs.github_repo ?? null,
    git_additions: git?.attrs.additions ?? null,
    git_deletions: git?.attrs.deletions ?? null,
    git_branch: git?.attrs.branch ?? null,
    git_source: git?.source ?? null,
    github_issue: issue?.attrs.number ?? null,
    github_issue_source: issue?.source ?? null,
    github_pr: pr?.attrs.number ?? null,
    github_pr_source: pr?.source ?? null,
    github_refs: [...refs.values()],
    pid: process?.attrs.pid ?? null,
    process_start_time: process?.attrs.process_start_time ?? null,
    pid_source: process?.source ?? null,
  };
}
