import { describe, expect, it } from 'vitest';
import { defaultGitConfig } from '../../../collectors/git/index.js';
import { gitEntry } from '../../../daemon/flags/git.js';

const context = { env: {}, home: '/tmp/h', promptText: 'keep' as const };

describe('dossier daemon flags of the git enricher', () => {
  it('defaults without flags, and takes the cwd feed the daemon offers', () => {
    const feed = () => () => {};
    expect(gitEntry.configure(defaultGitConfig(), {}, context)).toEqual(defaultGitConfig());
    expect(gitEntry.configure(defaultGitConfig(), {}, { ...context, cwdFeed: feed }).onCwd).toBe(feed);
  });

  it('--git-binary and --git-timeout-ms set the binary and the time boxes', () => {
    const config = gitEntry.configure(defaultGitConfig(), { 'git-binary': '/opt/git/bin/git', 'git-timeout-ms': '30000' }, context);
    expect(config).toMatchObject({ binary: '/opt/git/bin/git', commandTimeoutMs: 30_000, resolveTimeoutMs: 30_000 });
    expect(gitEntry.configure(defaultGitConfig(), { 'git-timeout-ms': '800' }, context)).toMatchObject({ commandTimeoutMs: 800, resolveTimeoutMs: defaultGitConfig().resolveTimeoutMs });
  });

  it.each(['0', '-5', '1.5', 'soon', ''])('refuses --git-timeout-ms %j naming the flag', (value) => {
    expect(() => gitEntry.configure(defaultGitConfig(), { 'git-timeout-ms': value }, context)).toThrow(`--git-timeout-ms: must be a positive integer of milliseconds (got ${JSON.stringify(value)})`);
  });

  it('refuses an empty --git-binary', () => {
    expect(() => gitEntry.configure(defaultGitConfig(), { 'git-binary': '' }, context)).toThrow(/git\.binary/);
  });
});
