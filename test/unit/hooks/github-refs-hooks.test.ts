/**
 * GitHub issues and PRs from tool hooks: what a Bash call ran and printed
 * becomes `github.ref` events, which the merge turns into github_pr /
 * github_issue / github_refs.
 */
import { describe, expect, it } from 'vitest';
import { mapClaudeHook } from '../../../collectors/hooks/claude-map.js';
import { projectSession } from '../../../core/merge/index.js';
import { validateEvent, type NormalizedEvent } from '../../../schema/index.js';

const SESSION = '9b0c8a56-0000-4000-8000-000000000001';

function postToolUse(toolUseId: string, toolName: string, toolInput: Record<string, unknown>, toolResponse: unknown, at: number): NormalizedEvent[] {
  const payload = {
    session_id: SESSION,
    transcript_path: `/home/u/.claude/projects/-p/${SESSION}.jsonl`,
    cwd: '/p',
    hook_event_name: 'PostToolUse',
    tool_name: toolName,
    tool_input: toolInput,
    tool_response: toolResponse,
    tool_use_id: toolUseId,
  };
  const result = mapClaudeHook(payload, { fired_at: at, received_at: at + 2 });
  if (!result.ok) throw new Error(result.error);
  for (const e of result.events) expect(validateEvent(e)).toMatchObject({ ok: true });
  return result.events;
}

const refsOf = (events: NormalizedEvent[]) => events.filter((e) => e.kind === 'github.ref').map((e) => e.attrs);

describe('hooks: github.ref events from tool calls', () => {
  it('gh pr create: the PR URL it printed is the created PR', () => {
    const events = postToolUse(
      'toolu_1',
      'Bash',
      { command: 'gh pr create --title "Fix parser" --body "..."', description: 'Open the PR' },
      { stdout: 'https://github.com/acme/widgets/pull/42\n', stderr: '', interrupted: false },
      1000,
    );
    expect(refsOf(events)).toMatchObject([{ ref_type: 'pr', number: 42, repo: 'acme/widgets', url: 'https://github.com/acme/widgets/pull/42', action: 'create' }]);
  });

  it('gh issue view 12 names the issue even without a URL', () => {
    const events = postToolUse('toolu_2', 'Bash', { command: 'gh issue view 12 --comments' }, { stdout: 'title: Crash on start\n' }, 2000);
    expect(refsOf(events)).toMatchObject([{ ref_type: 'issue', number: 12 }]);
  });

  it('a file read that happens to contain PR links is not a reference', () => {
    const events = postToolUse('toolu_3', 'Read', { file_path: '/p/README.md' }, { file: { content: 'see https://github.com/acme/widgets/pull/7' } }, 3000);
    expect(refsOf(events)).toEqual([]);
  });

  it('the merge keeps every ref and the latest of each kind', () => {
    const events = [
      ...postToolUse('toolu_2', 'Bash', { command: 'gh issue view 12' }, { stdout: '' }, 2000),
      ...postToolUse('toolu_1', 'Bash', { command: 'gh pr create -f' }, { stdout: 'https://github.com/acme/widgets/pull/42\n' }, 5000),
    ];
    const record = projectSession(events, { machine_id: 'm' });
    expect(record.github_pr).toBe(42);
    expect(record.github_issue).toBe(12);
    expect(record.github_refs.map((r) => `${r.ref_type}#${r.number}`)).toEqual(['issue#12', 'pr#42']);
  });

  it('the same call delivered twice (command and http hooks) inserts one ref', () => {
    const first = postToolUse('toolu_9', 'Bash', { command: 'gh pr view 5' }, { stdout: '' }, 1000);
    const again = postToolUse('toolu_9', 'Bash', { command: 'gh pr view 5' }, { stdout: '' }, 1500);
    expect(refsOf(first)).toHaveLength(1);
    expect(first.filter((e) => e.kind === 'github.ref')[0]!.dedupe_key).toBe(again.filter((e) => e.kind === 'github.ref')[0]!.dedupe_key);
  });
});
