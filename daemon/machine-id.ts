/**
 * A stable id for this machine, copied into every session record so records
 * from several machines can be told apart. The OS machine id is hashed, never
 * stored raw: systemd documents it as confidential.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** Where to look; injected so tests can point at temp files. */
export interface MachineIdSources {
  /** The OS machine id file; default `/etc/machine-id`. */
  osMachineIdPath?: string;
  /** The file holding dossier's own random id when the OS has none (`<state>/machine-id`). */
  persistedPath: string;
}

/**
 * Returns the sha256 (hex) of the OS machine id; when that file is missing or
 * empty, a random id persisted in `persistedPath` (created on first use with
 * mode 0600). The same machine always gets the same id.
 */
export function loadMachineId(sources: MachineIdSources): string {
  const osId = readTrimmed(sources.osMachineIdPath ?? '/etc/machine-id');
  if (osId) return createHash('sha256').update(osId).digest('hex');
  const persisted = readTrimmed(sources.persistedPath);
  if (persisted) return persisted;
  const fresh = randomBytes(32).toString('hex');
  // 'wx' so two racing daemons cannot both write; the loser reads the winner's id.
  try {
    writeFileSync(sources.persistedPath, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
    return fresh;
  } catch (error) {
    const winner = readTrimmed(sources.persistedPath);
    if (winner) return winner;
    throw error;
  }
}

function readTrimmed(path: string): string | null {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return text === '' ? null : text;
  } catch {
    return null;
  }
}
