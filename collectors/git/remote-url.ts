/**
 * Reads a git remote URL into the repository name dossier shows: `owner/repo`
 * for GitHub (SSH, HTTPS and git:// forms), `host/path` for any other host,
 * nothing for a local path. The URL kept for display never carries a password
 * or an HTTPS token.
 */

/** What a remote URL says about the repository. */
export interface RemoteInfo {
  /** The URL with credentials removed (HTTPS userinfo dropped, SSH password dropped). */
  remote_url: string;
  /** `owner/repo` on github.com, `host/path` elsewhere; absent for local paths. */
  github_repo?: string;
}

const GITHUB_HOSTS = new Set(['github.com', 'www.github.com', 'ssh.github.com']);

/** Parses one remote URL; null for an empty or unreadable value. */
export function parseRemoteUrl(raw: string): RemoteInfo | null {
  const url = raw.trim();
  if (url === '' || /\s/.test(url)) return null;
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  if (withScheme) return parseSchemeUrl(withScheme[1]!.toLowerCase(), withScheme[2]!);
  const scp = /^(?:([^@/:]+)@)?([^/:]+):(.*)$/.exec(url);
  // `C:\repo` or `C:/repo` is a Windows path, not scp-like `host:path`.
  if (scp && !/^[a-z]$/i.test(scp[2]!)) {
    const user = scp[1];
    const host = scp[2]!;
    return withRepo(`${user ? `${user}@` : ''}${host}:${scp[3]}`, host, scp[3]!);
  }
  return { remote_url: url };
}

function parseSchemeUrl(scheme: string, rest: string): RemoteInfo | null {
  if (scheme === 'file') return { remote_url: `file://${rest}` };
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  const host = hostPort.replace(/:\d*$/, '');
  if (host === '') return null;
  const user = userinfo.split(':')[0] ?? '';
  // HTTPS userinfo is usually a token; SSH keeps the login name, never a password.
  const keptUser = scheme.startsWith('http') || user === '' ? '' : `${user}@`;
  return withRepo(`${scheme}://${keptUser}${hostPort}/${path}`, host, path);
}

function withRepo(remoteUrl: string, host: string, path: string): RemoteInfo {
  const segments = path
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .split('/')
    .filter((s) => s.length > 0 && s !== '.');
  const lowerHost = host.toLowerCase();
  if (segments.length === 0 || segments.some((s) => s === '..')) return { remote_url: remoteUrl };
  if (GITHUB_HOSTS.has(lowerHost)) {
    if (segments.length < 2) return { remote_url: remoteUrl };
    return { remote_url: remoteUrl, github_repo: `${segments[0]}/${segments[1]}` };
  }
  return { remote_url: remoteUrl, github_repo: `${lowerHost}/${segments.join('/')}` };
}
