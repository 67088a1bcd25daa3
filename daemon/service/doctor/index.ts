/**
 * `dossier doctor`'s checks in the order they are shown, and the real
 * machine probes (TCP bind, statfs) the CLI builds its context with.
 */
import { statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Check, PortProbe } from './check.js';
import { daemonReachable, portsFreeOrOurs, versionsMatch } from './daemon-checks.js';
import { claudeSettings, databaseIntegrity, diskSpace, spoolEmpty, transcriptsReadable } from './file-checks.js';

export { runChecks, type CheckResult, type CheckStatus, type DoctorContext } from './check.js';
export { doorAddress } from './daemon-checks.js';

/** Every check, by id, in display order. */
export const DOCTOR_CHECKS: readonly (readonly [string, Check])[] = [
  ['daemon.reachable', daemonReachable],
  ['daemon.version', versionsMatch],
  ['ports', portsFreeOrOurs],
  ['claude.settings', claudeSettings],
  ['transcripts.readable', transcriptsReadable],
  ['hooks.spool', spoolEmpty],
  ['database.integrity', databaseIntegrity],
  ['disk.space', diskSpace],
];

/** Binds the port for a moment: `free` when that works, `in-use` on EADDRINUSE. */
export function probeTcpPort(host: string, port: number): Promise<PortProbe> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? 'in-use' : { error: error.code ?? error.message }));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/** Free and total bytes of the file system holding `path`. */
export function statDisk(path: string): { free: number; total: number } {
  const s = statfsSync(path);
  return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
}
