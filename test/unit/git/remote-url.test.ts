import { describe, expect, it } from 'vitest';
import { parseRemoteUrl, type RemoteInfo } from '../../../collectors/git/remote-url.js';
import { sumNumstat } from '../../../collectors/git/numstat.js';

describe('parseRemoteUrl', () => {
  it.each<[string, RemoteInfo | null]>([
    ['git@github.com:acme/widgets.git', { remote_url: 'git@github.com:acme/widgets.git', github_repo: 'acme/widgets' }],
    ['git@github.com:acme/widgets', { remote_url: 'git@github.com:acme/widgets', github_repo: 'acme/widgets' }],
    ['github.com:acme/widgets.git', { remote_url: 'github.com:acme/widgets.git', github_repo: 'acme/widgets' }],
    ['ssh://git@github.com/acme/widgets.git', { remote_url: 'ssh://git@github.com/acme/widgets.git', github_repo: 'acme/widgets' }],
    ['ssh://git@ssh.github.com:443/acme/widgets.git', { remote_url: 'ssh://git@ssh.github.com:443/acme/widgets.git', github_repo: 'acme/widgets' }],
    ['https://github.com/acme/widgets.git', { remote_url: 'https://github.com/acme/widgets.git', github_repo: 'acme/widgets' }],
    ['https://github.com/acme/widgets/', { remote_url: 'https://github.com/acme/widgets/', github_repo: 'acme/widgets' }],
    ['https://GitHub.com/Acme/Widgets', { remote_url: 'https://GitHub.com/Acme/Widgets', github_repo: 'Acme/Widgets' }],
    ['https://ghp_abc123@github.com/acme/widgets.git', { remote_url: 'https://github.com/acme/widgets.git', github_repo: 'acme/widgets' }],
    ['https://user:s3cret@github.com/acme/widgets.git', { remote_url: 'https://github.com/acme/widgets.git', github_repo: 'acme/widgets' }],
    ['ssh://deploy:pw@github.com/acme/widgets.git', { remote_url: 'ssh://deploy@github.com/acme/widgets.git', github_repo: 'acme/widgets' }],
    ['git://github.com/acme/widgets.git', { remote_url: 'git://github.com/acme/widgets.git', github_repo: 'acme/widgets' }],
    ['git@gitlab.com:group/sub/proj.git', { remote_url: 'git@gitlab.com:group/sub/proj.git', github_repo: 'gitlab.com/group/sub/proj' }],
    ['https://Bitbucket.org/team/repo.git', { remote_url: 'https://Bitbucket.org/team/repo.git', github_repo: 'bitbucket.org/team/repo' }],
    ['https://ghe.corp.example:8443/org/svc', { remote_url: 'https://ghe.corp.example:8443/org/svc', github_repo: 'ghe.corp.example/org/svc' }],
    ['/srv/git/widgets.git', { remote_url: '/srv/git/widgets.git' }],
    ['../upstream', { remote_url: '../upstream' }],
    ['file:///srv/git/widgets.git', { remote_url: 'file:///srv/git/widgets.git' }],
    ['C:\\repos\\widgets', { remote_url: 'C:\\repos\\widgets' }],
    ['https://github.com/acme', { remote_url: 'https://github.com/acme' }],
    ['', null],
    ['not a url', null],
  ])('%j', (url, expected) => {
    expect(parseRemoteUrl(url)).toEqual(expected);
  });
});

describe('sumNumstat', () => {
  it('sums text files and skips binary ones and odd lines', () => {
    const out = '3\t1\ta.txt\n-\t-\tlogo.png\n10\t0\tdir/b with space.ts\nwarning: something\n\n0\t7\t"quoted\\tname"\n';
    expect(sumNumstat(out)).toEqual({ additions: 13, deletions: 8 });
  });

  it('is zero for an empty diff', () => {
    expect(sumNumstat('')).toEqual({ additions: 0, deletions: 0 });
  });
});
