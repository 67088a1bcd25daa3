import { describe, expect, it } from 'vitest';
import {
  MAX_REFS_PER_TEXT,
  extractGithubRefs,
  extractToolCallGithubRefs,
  type GithubRef,
} from '../../collectors/github-refs.js';
import { validateEvent } from '../../schema/index.js';

const cmd = (text: string): GithubRef[] => extractGithubRefs(text, 'command');
const out = (text: string): GithubRef[] => extractGithubRefs(text, 'output');

describe('extractGithubRefs: gh commands', () => {
  it.each<[string, GithubRef[]]>([
    ['gh pr view 12', [{ ref_type: 'pr', number: 12, action: 'view' }]],
    ["gh pr view '#12' --comments", [{ ref_type: 'pr', number: 12, action: 'view' }]],
    ['gh pr checkout 345', [{ ref_type: 'pr', number: 345, action: 'checkout' }]],
    ['gh pr merge 88 --squash --delete-branch', [{ ref_type: 'pr', number: 88, action: 'merge' }]],
    ['gh pr merge -s -d 88', [{ ref_type: 'pr', number: 88, action: 'merge' }]],
    ['gh pr diff 7 --color never', [{ ref_type: 'pr', number: 7, action: 'diff' }]],
    ['gh pr review 9 --approve -b "looks good"', [{ ref_type: 'pr', number: 9, action: 'review' }]],
    ['gh issue view 42', [{ ref_type: 'issue', number: 42, action: 'view' }]],
    ['gh issue close 5 --comment "fixed in #6" --reason completed', [{ ref_type: 'issue', number: 5, action: 'close' }]],
    ['gh issue close -c "done" 5', [{ ref_type: 'issue', number: 5, action: 'close' }]],
    ['gh issue view 42 -R acme/widgets', [{ ref_type: 'issue', number: 42, repo: 'acme/widgets', action: 'view' }]],
    ['gh issue view --repo=acme/widgets 42', [{ ref_type: 'issue', number: 42, repo: 'acme/widgets', action: 'view' }]],
    ['gh pr -R acme/widgets view 3', [{ ref_type: 'pr', number: 3, repo: 'acme/widgets', action: 'view' }]],
    ['gh pr view 3 -R github.com/acme/widgets', [{ ref_type: 'pr', number: 3, repo: 'acme/widgets', action: 'view' }]],
    ['gh pr view 3 -R ghe.corp.example/team/svc', [{ ref_type: 'pr', number: 3, repo: 'ghe.corp.example/team/svc', action: 'view' }]],
    [
      'gh pr view https://github.com/acme/widgets/pull/19 --json title,body',
      [{ ref_type: 'pr', number: 19, repo: 'acme/widgets', url: 'https://github.com/acme/widgets/pull/19', action: 'view' }],
    ],
    ['gh issue view 42 --json title -q .title', [{ ref_type: 'issue', number: 42, action: 'view' }]],
    ['GH_PAGER=cat gh pr view 77', [{ ref_type: 'pr', number: 77, action: 'view' }]],
    ['/usr/local/bin/gh issue reopen 4', [{ ref_type: 'issue', number: 4, action: 'reopen' }]],
    ['cd repo && git fetch && gh pr checkout 101 && npm test', [{ ref_type: 'pr', number: 101, action: 'checkout' }]],
    ['gh pr view 12 2>&1 | head -50', [{ ref_type: 'pr', number: 12, action: 'view' }]],
    ['gh pr view 12 > /tmp/pr.txt; cat /tmp/pr.txt', [{ ref_type: 'pr', number: 12, action: 'view' }]],
    [
      'gh issue view 3; gh pr view 4',
      [
        { ref_type: 'issue', number: 3, action: 'view' },
        { ref_type: 'pr', number: 4, action: 'view' },
      ],
    ],
    ["gh issue comment 8 --body 'see gh pr view 99'", [{ ref_type: 'issue', number: 8, action: 'comment' }]],
  ])('%s', (text, expected) => {
    expect(cmd(text)).toEqual(expected);
  });

  it.each([
    'gh pr create --title "Fix 12" --body "Closes nothing"',
    'gh pr list --limit 5',
    'gh pr view',
    'gh pr view my-feature-branch',
    'gh pr status',
    'gh issue list --label bug',
    'gh pr view #12',
    'gh pr view 0',
    'echo gh pr view 12',
    'git log --oneline -12',
    'gh repo view acme/widgets',
    'gh api repos/acme/widgets/pulls/12',
    'ls -la 12',
    '',
  ])('finds nothing in %j', (text) => {
    expect(cmd(text)).toEqual([]);
  });

  it('reads a real gh pr create with a heredoc body without taking body text for commands', () => {
    const text = [
      'gh pr create --title "feat: add retry to uploader" --body "$(cat <<\'EOF\'',
      '## Summary',
      "- don't give up on the first 503",
      '- gh issue close 99 is what we\'ll run later (this is prose)',
      '',
      'Fixes https://github.com/acme/uploader/issues/57',
      '',
      '🤖 Generated with [Claude Code](https://claude.com/claude-code)',
      'EOF',
      ')"',
    ].join('\n');
    expect(cmd(text)).toEqual([
      { ref_type: 'issue', number: 57, repo: 'acme/uploader', url: 'https://github.com/acme/uploader/issues/57' },
    ]);
  });

  it('reads gh commands inside a command substitution', () => {
    expect(cmd('echo "$(gh pr view 15 --json url -q .url)"')).toEqual([{ ref_type: 'pr', number: 15, action: 'view' }]);
  });

  it('takes the repo from the URL for a URL argument of another repo', () => {
    expect(cmd('gh issue view https://github.com/other/thing/issues/8 -R acme/widgets')).toEqual([
      { ref_type: 'issue', number: 8, repo: 'other/thing', url: 'https://github.com/other/thing/issues/8', action: 'view' },
    ]);
  });

  it('reads URLs anywhere in a tool input, e.g. a WebFetch url', () => {
    expect(cmd('{"url":"https://github.com/acme/widgets/pull/5/files","prompt":"summarize"}')).toEqual([
      { ref_type: 'pr', number: 5, repo: 'acme/widgets', url: 'https://github.com/acme/widgets/pull/5' },
    ]);
  });
});

describe('extractGithubRefs: outputs', () => {
  it('reads the URL gh pr create prints', () => {
    const printed = 'Warning: 1 uncommitted change\n\nCreating pull request for feat/retry into main in acme/uploader\n\nhttps://github.com/acme/uploader/pull/58\n';
    expect(out(printed)).toEqual([{ ref_type: 'pr', number: 58, repo: 'acme/uploader', url: 'https://github.com/acme/uploader/pull/58' }]);
  });

  it.each<[string, GithubRef[]]>([
    ['see https://github.com/a-b/c.d/issues/3#issuecomment-123456', [{ ref_type: 'issue', number: 3, repo: 'a-b/c.d', url: 'https://github.com/a-b/c.d/issues/3' }]],
    ['(http://www.github.com/Acme/Widgets/pull/10/commits/abc123)', [{ ref_type: 'pr', number: 10, repo: 'Acme/Widgets', url: 'https://github.com/Acme/Widgets/pull/10' }]],
    ['url: github.com/acme/w/issues/77.', [{ ref_type: 'issue', number: 77, repo: 'acme/w', url: 'https://github.com/acme/w/issues/77' }]],
    ['"html_url": "https://github.com/acme/w/pull/4"', [{ ref_type: 'pr', number: 4, repo: 'acme/w', url: 'https://github.com/acme/w/pull/4' }]],
  ])('%s', (text, expected) => {
    expect(out(text)).toEqual(expected);
  });

  it.each([
    'remote: Create a pull request for \'feat\' on GitHub by visiting:\nremote:      https://github.com/acme/w/pull/new/feat',
    'https://api.github.com/repos/acme/w/issues/5',
    'https://notgithub.com/acme/w/pull/5',
    'https://github.com/acme/w/pulls',
    'https://github.com/acme/w/issues/12abc',
    'https://github.com/acme/w/blob/main/issues/12',
    'gh pr view 12',
    'https://gitlab.com/acme/w/-/issues/5',
  ])('finds nothing in %j', (text) => {
    expect(out(text)).toEqual([]);
  });

  it('deduplicates repeated URLs and bounds the result', () => {
    const repeated = 'https://github.com/a/b/pull/1 https://github.com/a/b/pull/1/files https://github.com/A/B/pull/1';
    expect(out(repeated)).toHaveLength(1);
    const many = Array.from({ length: 100 }, (_, i) => `https://github.com/a/b/issues/${i + 1}`).join('\n');
    expect(out(many)).toHaveLength(MAX_REFS_PER_TEXT);
  });

  it('never throws on odd input', () => {
    for (const text of ['"unterminated', "'x", '$(((', '`', '<<', '<<EOF\nno end', 'gh pr view "$(', '\\', 'gh issue view 1 >']) {
      expect(() => cmd(text)).not.toThrow();
      expect(() => out(text)).not.toThrow();
    }
  });
});

describe('extractToolCallGithubRefs', () => {
  it('marks the URL printed by gh pr create as created', () => {
    const refs = extractToolCallGithubRefs(
      'gh pr create --title "x" --body "Fixes #57" --base main',
      'https://github.com/acme/uploader/pull/58\n',
    );
    expect(refs).toEqual([{ ref_type: 'pr', number: 58, repo: 'acme/uploader', url: 'https://github.com/acme/uploader/pull/58', action: 'create' }]);
  });

  it('marks the issue printed by gh issue create, and not a PR mentioned beside it', () => {
    const refs = extractToolCallGithubRefs(
      'gh issue create -t "Flaky test" -b "seen in https://github.com/acme/w/pull/3"',
      'Creating issue in acme/w\n\nhttps://github.com/acme/w/issues/31\n',
    );
    expect(refs).toEqual([
      { ref_type: 'pr', number: 3, repo: 'acme/w', url: 'https://github.com/acme/w/pull/3' },
      { ref_type: 'issue', number: 31, repo: 'acme/w', url: 'https://github.com/acme/w/issues/31', action: 'create' },
    ]);
  });

  it('produces attrs the github.ref schema accepts', () => {
    for (const attrs of extractToolCallGithubRefs('gh pr merge 12 -R acme/w', 'https://github.com/acme/w/issues/9')) {
      const result = validateEvent({
        dedupe_key: 't:x', source: 'transcript', framework: 'claude_code', session_id: 's', agent_id: null,
        ts: 1, received_at: 1, kind: 'github.ref', attrs,
      });
      expect(result).toMatchObject({ ok: true });
    }
  });
});
