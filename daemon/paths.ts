/**
 * Where dossier keeps its state and its socket. One resolver used by the
 * daemon and by the client, so both always agree on the socket path.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
// errors.js, not index.js: the hook forwarder resolves paths on an agent's hot path and must not load zod.
import { DossierError } from '../schema/errors.js';

/** Every path the daemon uses, all absolute. */
export interface DossierPaths {
  /** The state directory (`DOSSIER_HOME`). */
  home: string;
  /** The API's Unix socket. */
  socket: string;
  /** The SQLite database. */
  db: string;
  /** The persisted random machine id, used when /etc/machine-id is missing. */
  machineIdFile: string;
}

/** What the resolver reads; injected so tests need no real environment. */
export interface PathInputs {
  /** `--home`, wins over the environment. */
  home?: string | undefined;
  /** `--socket`, wins over the environment. */
  socket?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  /** The user's home directory; defaults to `os.homedir()`. */
  userHome?: string;
}

/**
 * Longest socket path the kernel accepts: `sun_path` is 108 bytes on Linux
 * and 104 on macOS, both including the terminating NUL.
 */
export function maxSocketPathBytes(platform: NodeJS.Platform = process.platform): number {
  return platform === 'darwin' ? 103 : 107;
}

/**
 * Resolves the state dir and socket: flags, then `DOSSIER_HOME` /
 * `DOSSIER_SOCKET`, then the XDG defaults (macOS: Application Support).
 * Creates nothing; see {@link ensurePrivateDirs}. Throws
 * `DOSSIER_E_CONFIG_INVALID` when the socket path is too long for the kernel.
 */
export function resolvePaths(inputs: PathInputs): DossierPaths {
  const env = inputs.env;
  const platform = inputs.platform ?? process.platform;
  const userHome = inputs.userHome ?? homedir();
  const home = resolve(nonEmpty(inputs.home) ?? nonEmpty(env.DOSSIER_HOME) ?? defaultStateDir(env, platform, userHome));
  const socket = resolve(nonEmpty(inputs.socket) ?? nonEmpty(env.DOSSIER_SOCKET) ?? defaultSocket(env, home));
  checkSocketPathLength(socket, platform);
  return { home, socket, db: join(home, 'dossier.db'), machineIdFile: join(home, 'machine-id') };
}

/** Throws `DOSSIER_E_CONFIG_INVALID` naming the path when it does not fit in a Unix socket address. */
export function checkSocketPathLength(socket: string, platform: NodeJS.Platform = process.platform): void {
  const bytes = Buffer.byteLength(socket);
  const max = maxSocketPathBytes(platform);
  if (bytes > max) {
    throw new DossierError(
      'DOSSIER_E_CONFIG_INVALID',
      `socket path is ${bytes} bytes, over the ${max}-byte limit of Unix sockets: ${socket} (use --socket or DOSSIER_SOCKET with a shorter path)`,
    );
  }
}

/**
 * Creates the state dir and the socket's dir with mode 0700 (only the user
 * can reach the database and the socket). Existing directories are left as
 * they are: they may be shared ones such as `$XDG_RUNTIME_DIR`.
 */
export function ensurePrivateDirs(paths: DossierPaths): void {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  mkdirSync(dirname(paths.socket), { recursive: true, mode: 0o700 });
}

function defaultStateDir(env: PathInputs['env'], platform: NodeJS.Platform, userHome: string): string {
  const xdgState = nonEmpty(env.XDG_STATE_HOME);
  if (xdgState) return join(xdgState, 'dossier');
  if (platform === 'darwin') return join(userHome, 'Library', 'Application Support', 'dossier');
  return join(userHome, '.local', 'state', 'dossier');
}

function defaultSocket(env: PathInputs['env'], home: string): string {
  const runtime = nonEmpty(env.XDG_RUNTIME_DIR);
  return runtime ? join(runtime, 'dossier', 'dossier.sock') : join(home, 'dossier.sock');
}

/** The value, or undefined when unset or empty (an empty XDG variable means unset). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** `$XDG_CONFIG_HOME`, else `~/.config`. */
export function configHome(env: Readonly<Record<string, string | undefined>>, userHome: string): string {
  return nonEmpty(env.XDG_CONFIG_HOME) ?? join(userHome, '.config');
}
