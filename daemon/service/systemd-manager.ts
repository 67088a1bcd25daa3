/**
 * `dossier service` on Linux: a systemd `--user` unit, enabled so it starts
 * at login, and (re)started so a changed unit takes effect at once.
 */
import { existsSync } from 'node:fs';
import { daemonLogPath, mustRun, removeUnitFile, tailFile, writeUnitFile, type InstallResult, type ServiceManager, type ServiceState, type UninstallResult } from './manager.js';
import type { CommandRunner } from './runner.js';
import { SYSTEMD_UNIT_NAME, type ServiceSpec } from './spec.js';
import { renderSystemdUnit } from './systemd-unit.js';

/** The systemd `--user` manager for `spec`. */
export class SystemdManager implements ServiceManager {
  readonly spec: ServiceSpec;
  readonly #run: CommandRunner;

  constructor(spec: ServiceSpec, runner: CommandRunner) {
    this.spec = spec;
    this.#run = runner;
  }

  render(): string {
    return renderSystemdUnit(this.spec);
  }

  /** Writes the unit if it changed, reloads, enables, and restarts (changed) or starts (unchanged; a no-op when running). */
  async install(): Promise<InstallResult> {
    const file = writeUnitFile(this.spec.unitPath, this.render());
    const commands: string[] = [];
    if (file !== 'unchanged') await mustRun(this.#run, commands, 'systemctl', ['--user', 'daemon-reload']);
    await mustRun(this.#run, commands, 'systemctl', ['--user', 'enable', SYSTEMD_UNIT_NAME]);
    await mustRun(this.#run, commands, 'systemctl', ['--user', file === 'unchanged' ? 'start' : 'restart', SYSTEMD_UNIT_NAME]);
    return { unitPath: this.spec.unitPath, file, commands };
  }

  /** Stops and disables the unit (ignoring a unit systemd no longer knows), removes the file, reloads. */
  async uninstall(): Promise<UninstallResult> {
    const commands: string[] = [];
    if (!existsSync(this.spec.unitPath)) return { unitPath: this.spec.unitPath, removed: false, commands };
    const disable = ['--user', 'disable', '--now', SYSTEMD_UNIT_NAME];
    await this.#run('systemctl', disable);
    commands.push(['systemctl', ...disable].join(' '));
    const removed = removeUnitFile(this.spec.unitPath);
    await mustRun(this.#run, commands, 'systemctl', ['--user', 'daemon-reload']);
    return { unitPath: this.spec.unitPath, removed, commands };
  }

  async state(): Promise<ServiceState> {
    const installed = existsSync(this.spec.unitPath);
    const result = await this.#run('systemctl', ['--user', 'show', SYSTEMD_UNIT_NAME, '--property=LoadState,ActiveState,SubState,MainPID,NRestarts']);
    if (result.code !== 0) {
      return { unitPath: this.spec.unitPath, installed, loaded: false, running: false, pid: null, detail: `systemctl unavailable: ${result.stderr.trim() || `exit ${result.code}`}` };
    }
    const props = parseProperties(result.stdout);
    const pid = Number(props.MainPID ?? '0');
    return {
      unitPath: this.spec.unitPath,
      installed,
      loaded: props.LoadState === 'loaded',
      running: props.ActiveState === 'active',
      pid: Number.isSafeInteger(pid) && pid > 0 ? pid : null,
      detail: `${props.ActiveState ?? 'unknown'} (${props.SubState ?? 'unknown'}), ${props.NRestarts ?? '0'} restarts`,
    };
  }

  /** The daemon's own log file when it has one, else the journal. */
  async logs(lines: number): Promise<string> {
    const own = tailFile(daemonLogPath(this.spec.logDir), lines);
    if (own !== null) return own;
    const result = await mustRun(this.#run, [], 'journalctl', ['--user', '--unit', SYSTEMD_UNIT_NAME, '--lines', String(lines), '--no-pager', '--output', 'cat']);
    return result.stdout;
  }
}

/** Parses `systemctl show` output: one `Key=value` per line. */
export function parseProperties(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return props;
}
