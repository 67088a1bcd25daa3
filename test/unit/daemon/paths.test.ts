import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isDossierError } from '../../../schema/index.js';
import { checkSocketPathLength, ensurePrivateDirs, maxSocketPathBytes, resolvePaths } from '../../../daemon/paths.js';

describe('resolvePaths', () => {
  const userHome = '/home/ada';

  it('defaults to ~/.local/state/dossier with the socket inside it when no XDG dirs are set', () => {
    const p = resolvePaths({ env: {}, platform: 'linux', userHome });
    expect(p.home).toBe('/home/ada/.local/state/dossier');
    expect(p.socket).toBe('/home/ada/.local/state/dossier/dossier.sock');
    expect(p.db).toBe('/home/ada/.local/state/dossier/dossier.db');
    expect(p.machineIdFile).toBe('/home/ada/.local/state/dossier/machine-id');
  });

  it('uses XDG_STATE_HOME for state and XDG_RUNTIME_DIR for the socket', () => {
    const p = resolvePaths({ env: { XDG_STATE_HOME: '/xdg/state', XDG_RUNTIME_DIR: '/run/user/1000' }, platform: 'linux', userHome });
    expect(p.home).toBe('/xdg/state/dossier');
    expect(p.socket).toBe('/run/user/1000/dossier/dossier.sock');
  });

  it('uses Application Support on macOS', () => {
    const p = resolvePaths({ env: {}, platform: 'darwin', userHome: '/Users/ada' });
    expect(p.home).toBe('/Users/ada/Library/Application Support/dossier');
  });

  it('prefers DOSSIER_HOME and DOSSIER_SOCKET over XDG, and flags over both', () => {
    const env = { DOSSIER_HOME: '/env/home', DOSSIER_SOCKET: '/env/s.sock', XDG_STATE_HOME: '/xdg', XDG_RUNTIME_DIR: '/run' };
    expect(resolvePaths({ env, userHome })).toMatchObject({ home: '/env/home', socket: '/env/s.sock', db: '/env/home/dossier.db' });
    expect(resolvePaths({ env, userHome, home: '/flag/home', socket: '/flag/s.sock' })).toMatchObject({ home: '/flag/home', socket: '/flag/s.sock' });
  });

  it('treats empty environment variables as unset', () => {
    const p = resolvePaths({ env: { DOSSIER_HOME: '', XDG_RUNTIME_DIR: '' }, platform: 'linux', userHome });
    expect(p.home).toBe('/home/ada/.local/state/dossier');
    expect(p.socket).toBe('/home/ada/.local/state/dossier/dossier.sock');
  });

  it('makes relative paths absolute', () => {
    const p = resolvePaths({ env: {}, home: 'rel/home', socket: 'rel/s.sock', userHome });
    expect(p.home).toBe(join(process.cwd(), 'rel/home'));
    expect(p.socket).toBe(join(process.cwd(), 'rel/s.sock'));
  });

  it('refuses a socket path over the Unix limit, naming it', () => {
    const long = `/tmp/${'x'.repeat(120)}/s.sock`;
    let caught: unknown;
    try {
      resolvePaths({ env: {}, socket: long, platform: 'linux', userHome });
    } catch (error) {
      caught = error;
    }
    expect(isDossierError(caught, 'DOSSIER_E_CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toContain(long);
  });

  it('accepts exactly the limit and refuses one byte more', () => {
    const max = maxSocketPathBytes('linux');
    const exact = `/${'a'.repeat(max - 1)}`;
    expect(() => checkSocketPathLength(exact, 'linux')).not.toThrow();
    expect(() => checkSocketPathLength(`${exact}b`, 'linux')).toThrow(/107-byte limit/);
    expect(maxSocketPathBytes('darwin')).toBeLessThan(max);
  });
});

describe('ensurePrivateDirs', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the state dir and the socket dir with mode 0700', () => {
    dir = mkdtempSync(join(tmpdir(), 'dpaths-'));
    const home = join(dir, 'state', 'dossier');
    const socketDir = join(dir, 'run', 'dossier');
    ensurePrivateDirs({ home, socket: join(socketDir, 'd.sock'), db: join(home, 'dossier.db'), machineIdFile: join(home, 'machine-id') });
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(socketDir).mode & 0o777).toBe(0o700);
  });
});
