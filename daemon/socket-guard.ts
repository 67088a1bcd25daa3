/**
 * Claims the API socket path safely: an old socket file is removed only if it
 * really is a socket and nobody answers on it; a live daemon or any other kind
 * of file makes start-up fail with an error naming the path.
 */
import { lstatSync, unlinkSync, type Stats } from 'node:fs';
import { connect } from 'node:net';
import { DossierError } from '../schema/index.js';

/** What {@link claimSocketPath} found at the path. */
export type SocketClaim = 'free' | 'removed-stale';

/** How long a probe waits for a connection before treating the socket as alive (a busy daemon). */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * Makes `socketPath` free for a new listener. Throws `DOSSIER_E_DAEMON_RUNNING`
 * when something answers on it, and `DOSSIER_E_CONFIG_INVALID` when the path
 * exists but is not a socket (it might be a user's file; we never delete it).
 */
export async function claimSocketPath(socketPath: string): Promise<SocketClaim> {
  const stat = lstatOrNull(socketPath);
  if (stat === null) return 'free';
  if (!stat.isSocket()) {
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `${socketPath} exists and is not a socket; refusing to replace it`);
  }
  const probe = await probeSocket(socketPath);
  if (probe === 'answered') {
    throw new DossierError('DOSSIER_E_DAEMON_RUNNING', `a daemon is answering on ${socketPath}`);
  }
  if (probe !== 'refused') {
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `cannot tell whether ${socketPath} is in use (${probe.error})`);
  }
  try {
    unlinkSync(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return 'removed-stale';
}

/**
 * Connects once: `answered` when a listener accepted, `refused` when none is
 * bound (a stale file), or the error code when the probe itself failed
 * (e.g. EACCES on someone else's socket).
 */
export function probeSocket(socketPath: string): Promise<'answered' | 'refused' | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect({ path: socketPath });
    const finish = (result: 'answered' | 'refused' | { error: string }): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // A listener too busy to accept within the timeout is still a live daemon.
    const timer = setTimeout(() => finish('answered'), PROBE_TIMEOUT_MS);
    socket.once('connect', () => finish('answered'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      finish(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'refused' : { error: error.code ?? error.message });
    });
  });
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
