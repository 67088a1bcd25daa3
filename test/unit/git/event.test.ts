import { describe, expect, it } from 'vitest';
import { defaultGitConfig, validateGitConfig } from '../../../collectors/git/config.js';
import { factsDigest, gitContextEvent, parseEmittedState } from '../../../collectors/git/event.js';
import type { GitFacts } from '../../../collectors/git/resolve.js';
import { LIMITS, validateEvent } from '../../../schema/index.js';

const sighting = { session_id: '4ae4f9fe-976f-4e96-8c1f-87976b2e6f45', framework: 'claude_code' as const, cwd: '/home/u/widgets', at: 1_700_000_000_000 };
const main: GitFacts = { repo_root: '/home/u/widgets', git_dir: '/home/u/widgets/.git', branch: 'main', head_sha: 'a'.repeat(40), github_repo: 'acme/widgets', additions: 3, deletions: 1 };
const feature: GitFacts = { ...main, branch: 'feature' };

describe('gitContextEvent', () => {
  it('builds a git.context event the schema accepts, at the activity time', () => {
    const { event } = gitContextEvent(sighting, main, null, sighting.at + 5000);
    expect(validateEvent(event)).toMatchObject({ ok: true });
    expect(event).toMatchObject({ source: 'git', kind: 'git.context', agent_id: null, ts: sighting.at, received_at: sighting.at + 5000 });
    expect(event.attrs).toEqual({ cwd: sighting.cwd, ...main });
    expect(event.dedupe_key.startsWith('g:')).toBe(true);
    expect(event.dedupe_key.length).toBeLessThanOrEqual(LIMITS.maxDedupeKeyLength);
  });

  it('never sends the git_branch context attr (nor HEAD), and never dates an event after it was received', () => {
    const { event } = gitContextEvent({ ...sighting, at: sighting.at + 10_000 }, { ...main, branch: undefined } as GitFacts, null, sighting.at);
    expect(event.attrs.git_branch).toBeUndefined();
    expect(event.ts).toBe(sighting.at);
  });

  it('same state → same key; change → new key; back to an earlier state → yet another key', () => {
    const first = gitContextEvent(sighting, main, null, 1);
    const again = gitContextEvent({ ...sighting, at: sighting.at + 1 }, main, null, 2);
    expect(again.event.dedupe_key).toBe(first.event.dedupe_key);
    const second = gitContextEvent(sighting, feature, first.state, 3);
    expect(second.event.dedupe_key).not.toBe(first.event.dedupe_key);
    const third = gitContextEvent(sighting, main, second.state, 4);
    expect(new Set([first.event.dedupe_key, second.event.dedupe_key, third.event.dedupe_key]).size).toBe(3);
    expect(third.state.digest).toBe(first.state.digest);
  });

  it('keys differ by session and by cwd', () => {
    const a = gitContextEvent(sighting, main, null, 1).event.dedupe_key;
    expect(gitContextEvent({ ...sighting, session_id: 'other' }, main, null, 1).event.dedupe_key).not.toBe(a);
    expect(gitContextEvent({ ...sighting, cwd: '/home/u/widgets/src' }, main, null, 1).event.dedupe_key).not.toBe(a);
  });

  it('digests ignore field order; checkpoint values round-trip and junk is refused', () => {
    expect(factsDigest({ git_dir: '/g', repo_root: '/r' })).toBe(factsDigest({ repo_root: '/r', git_dir: '/g' }));
    const { state } = gitContextEvent(sighting, main, null, 1);
    expect(parseEmittedState(JSON.stringify(state))).toEqual(state);
    expect(parseEmittedState('{"key":1}')).toBeNull();
    expect(parseEmittedState('not json')).toBeNull();
  });
});

describe('validateGitConfig', () => {
  it('accepts the defaults', () => {
    expect(validateGitConfig(defaultGitConfig())).toEqual(defaultGitConfig());
  });

  it.each([
    ['commandTimeoutMs', 0, 'git.commandTimeoutMs: must be a positive integer of milliseconds (got 0)'],
    ['binary', '', 'git.binary: must be a non-empty string (got "")'],
    ['maxTracked', 1.5, 'git.maxTracked: must be a positive integer (got 1.5)'],
    ['enabled', 'yes', 'git.enabled: must be true or false (got "yes")'],
    ['onCwd', 42, 'git.onCwd: must be a function (got "number")'],
  ])('refuses %s = %j', (field, value, message) => {
    expect(() => validateGitConfig({ ...defaultGitConfig(), [field]: value })).toThrow(message);
  });
});
