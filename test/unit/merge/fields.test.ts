import { describe, expect, it } from 'vitest';
import { projectSession } from '../../../core/merge/index.js';
import { ev, makeEvent } from '../../support/events.js';

const ctx = { machine_id: 'm1' };
const T = 1_800_000_000_000;

describe('rule 2: field priority with provenance', () => {
  it('the strongest source wins even when a weaker one is later; within a source the latest wins', () => {
    const record = projectSession(
      [
        ev.activity(T + 1, { source: 'transcript' }, { cwd: '/proj', git_branch: 'main', app_version: '2.1.196' }),
        ev.activity(T + 2, { source: 'transcript' }, { cwd: '/proj/sub', app_version: '2.1.197' }),
        ev.activity(T + 3, { source: 'hook' }, { cwd: '/elsewhere', git_branch: 'feature', entrypoint: 'sdk-cli' }),
      ],
      ctx,
    );
    expect(record.cwd).toBe('/proj/sub');
    expect(record.git_branch).toBe('main');
    expect(record.app_version).toBe('2.1.197');
    expect(record.entrypoint).toBe('sdk-cli');
    expect(record.provenance).toMatchObject({ cwd: 'transcript', git_branch: 'transcript', app_version: 'transcript', entrypoint: 'hook' });
  });

  it('first_user_message is the earliest and last_user_message the latest prompt of the strongest source', () => {
    const record = projectSession(
      [
        ev.prompt(T + 1, { prompt_id: 'p1', text: 'hook first' }, { source: 'hook' }),
        ev.prompt(T + 2, { prompt_id: 'p1', text: 'first' }),
        ev.prompt(T + 3, { prompt_id: 'p2', text: 'second' }),
        ev.prompt(T + 4, { prompt_id: 'p3', text: 'hook last' }, { source: 'hook' }),
        ev.prompt(T + 5, { text: 'subagent instruction' }, { agent_id: 'a1' }),
      ],
      ctx,
    );
    expect(record.first_user_message).toBe('first');
    expect(record.last_user_message).toBe('second');
    expect(record.provenance.first_user_message).toBe('transcript');
  });

  it('model comes from real requests and session starts, title from title.set, forked_from from the start', () => {
    const record = projectSession(
      [
        ev.started(T, 'resume', {}, { model: 'claude-opus-4-8[1m]', forked_from: 'parent' }),
        ev.request(T + 1, { request_id: 'r', model: 'claude-opus-4-8' }, { source: 'otel' }),
        ev.request(T + 2, { message_id: 'x', model: '<synthetic>' }, { source: 'otel' }),
        ev.title(T + 3, 'Old title', { source: 'hook' }),
        ev.title(T + 4, 'Fix the parser'),
      ],
      ctx,
    );
    expect(record.model).toBe('claude-opus-4-8');
    expect(record.title).toBe('Fix the parser');
    expect(record.forked_from).toBe('parent');
    expect(record.provenance).toMatchObject({ model: 'otel', title: 'transcript', forked_from: 'hook' });
  });

  it('git fields come from the git.context of the final cwd; git gives the branch only when no agent source did', () => {
    const gitAt = (ts: number, cwd: string, extra: object) =>
      ev.git(ts, { cwd, git_dir: `${cwd}/.git`, branch: 'git-branch', github_repo: 'o/r', additions: 1, deletions: 2, ...extra });
    const events = [
      ev.activity(T + 1, { source: 'hook' }, { cwd: '/a' }),
      gitAt(T + 2, '/a', { worktree_path: '/a', additions: 10 }),
      gitAt(T + 3, '/b', { additions: 99 }),
    ];
    const record = projectSession(events, ctx);
    expect(record.git_additions).toBe(10);
    expect(record.local_git_dir).toBe('/a/.git');
    expect(record.git_worktree_path).toBe('/a');
    expect(record.github_repo).toBe('o/r');
    expect(record.git_branch).toBe('git-branch');
    expect(record.provenance).toMatchObject({ git_additions: 'git', git_branch: 'git', cwd: 'hook' });

    const withAgentBranch = projectSession([...events, ev.activity(T + 4, { source: 'hook' }, { cwd: '/c', git_branch: 'agent-branch' })], ctx);
    expect(withAgentBranch.git_branch).toBe('agent-branch');
    expect(withAgentBranch.provenance.git_branch).toBe('hook');
    // No git.context for /c: the latest one is used.
    expect(withAgentBranch.git_additions).toBe(99);
  });

  it('github refs are deduplicated and ordered by last sighting; issue and PR are the latest of each', () => {
    const record = projectSession(
      [
        ev.githubRef(T + 1, { ref_type: 'issue', number: 12, repo: 'o/r' }),
        ev.githubRef(T + 2, { ref_type: 'pr', number: 7, repo: 'o/r' }),
        ev.githubRef(T + 3, { ref_type: 'issue', number: 13, repo: 'o/r' }),
        ev.githubRef(T + 4, { ref_type: 'issue', number: 12, repo: 'o/r' }),
      ],
      ctx,
    );
    expect(record.github_refs).toEqual([
      { ref_type: 'pr', number: 7, repo: 'o/r', last_seen_at: T + 2 },
      { ref_type: 'issue', number: 13, repo: 'o/r', last_seen_at: T + 3 },
      { ref_type: 'issue', number: 12, repo: 'o/r', last_seen_at: T + 4 },
    ]);
    expect(record.github_issue).toBe(12);
    expect(record.github_pr).toBe(7);
  });

  it('pid and process start time come from the latest process.seen', () => {
    const record = projectSession([ev.process(T + 1, 100, T - 50), ev.process(T + 2, 200, T - 10), ev.activity(T)], ctx);
    expect(record.pid).toBe(200);
    expect(record.process_start_time).toBe(T - 10);
    expect(record.provenance.pid).toBe('process');
  });

  it('transcript_path prefers the transcript source', () => {
    const record = projectSession(
      [
        makeEvent('session.activity', T + 1, { transcript_path: '/t/a.jsonl' }, { source: 'transcript' }),
        makeEvent('session.activity', T + 2, { transcript_path: '/hook/view.jsonl' }, { source: 'hook' }),
      ],
      ctx,
    );
    expect(record.transcript_path).toBe('/t/a.jsonl');
  });
});
