/**
 * The operations `dossier service` offers, the same for systemd and launchd:
 * install (idempotent), uninstall, status and logs. Shared helpers write the
 * unit file atomically and only when its text changed.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DossierError } from '../../schema/errors.js';
import type { CommandResult, CommandRunner } from './runner.js';
import type { ServiceSpec } from './spec.js';

/** What `install` did. */
export interface InstallResult {
  unitPath: string;
  /** `created`, `updated` (text changed) or `unchanged`. */
  file: 'created' | 'updated' | 'unchanged';
  /** The service-manager commands run, in order, for the report. */
  commands: string[];
}

/** What `uninstall` did. */
export interface UninstallResult {
  unitPath: string;
  removed: boolean;
  commands: string[];
}

/** What the service manager says about the unit. */
export interface ServiceState {
  unitPath: string;
  installed: boolean;
  /** The manager has the unit loaded (systemd: LoadState=loaded; launchd: in the gui domain). */
  loaded: boolean;
  /** The manager reports it running. */
  running: boolean;
  pid: number | null;
  /** The manager's own words (systemd ActiveState/SubState, launchd state). */
  detail: string;
}

/** One platform's service manager. */
export interface ServiceManager {
  readonly spec: ServiceSpec;
  /** The unit file's text. */
  render(): string;
  install(): Promise<InstallResult>;
  uninstall(): Promise<UninstallResult>;
  state(): Promise<ServiceState>;
  /** The last `lines` lines of the daemon's service log. */
  logs(lines: number): Promise<string>;
}

/** The daemon's own rotating log file under a spec's log dir (see `dossier daemon --log-file`). */
export function daemonLogPath(logDir: string): string {
  return join(logDir, 'dossier.log');
}

/** The last `lines` lines of a text file, or null when it does not exist. */
export function tailFile(path: string, lines: number): string | null {
  const text = readTextOrNull(path);
  if (text === null) return null;
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all.slice(-lines).map((line) => `${line}\n`).join('');
}

/** Writes `text` to `path` via a temp file and rename, unless the file already holds it. */
export function writeUnitFile(path: string, text: string): InstallResult['file'] {
  const existing = readTextOrNull(path);
  if (existing === text) return 'unchanged';
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, text, { mode: 0o644 });
  renameSync(temp, path);
  return existing === null ? 'created' : 'updated';
}

/** Removes the unit file; false when there was none. */
export function removeUnitFile(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The file's text, or null when it does not exist. */
export function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Runs a command that must succeed, recording it in `log`; a failure becomes
 * an error quoting the command and its stderr.
 */
export async function mustRun(runner: CommandRunner, log: string[], command: string, args: readonly string[]): Promise<CommandResult> {
  const result = await runner(command, args);
  log.push([command, ...args].join(' '));
  if (result.code !== 0) {
    const why = result.code === 127 ? `${command} not found` : result.stderr.trim() || `exit code ${result.code}`;
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `\`${[command, ...args].join(' ')}\` failed: ${why}`);
  }
  return result;
}
