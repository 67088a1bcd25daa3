/**
 * `dossier service` on macOS: a launchd agent in the user's gui domain,
 * loaded at once and at every login. A changed plist is booted out and
 * bootstrapped again, since launchd reads a plist only when it loads it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { launchdLogPaths, renderLaunchdPlist } from './launchd-plist.js';
import { daemonLogPath, mustRun, removeUnitFile, tailFile, writeUnitFile, type InstallResult, type ServiceManager, type ServiceState, type UninstallResult } from './manager.js';
import type { CommandRunner } from './runner.js';
import { LAUNCHD_LABEL, type ServiceSpec } from './spec.js';

/** The launchd manager for `spec`, in the domain of user `uid`. */
export class LaunchdManager implements ServiceManager {
  readonly spec: ServiceSpec;
  readonly #run: CommandRunner;
  readonly #domain: string;

  constructor(spec: ServiceSpec, runner: CommandRunner, uid: number) {
    this.spec = spec;
    this.#run = runner;
    this.#domain = `gui/${uid}`;
  }

  render(): string {
    return renderLaunchdPlist(this.spec);
  }

  /** Writes the plist if it changed and makes sure launchd has loaded that version. */
  async install(): Promise<InstallResult> {
    mkdirSync(this.spec.logDir, { recursive: true, mode: 0o700 });
    const file = writeUnitFile(this.spec.unitPath, this.render());
    const commands: string[] = [];
    const loaded = await this.#loaded();
    if (loaded && file !== 'unchanged') await mustRun(this.#run, commands, 'launchctl', ['bootout', this.#target()]);
    if (!loaded || file !== 'unchanged') await mustRun(this.#run, commands, 'launchctl', ['bootstrap', this.#domain, this.spec.unitPath]);
    return { unitPath: this.spec.unitPath, file, commands };
  }

  async uninstall(): Promise<UninstallResult> {
    const commands: string[] = [];
    if (await this.#loaded()) await mustRun(this.#run, commands, 'launchctl', ['bootout', this.#target()]);
    return { unitPath: this.spec.unitPath, removed: removeUnitFile(this.spec.unitPath), commands };
  }

  async state(): Promise<ServiceState> {
    const installed = existsSync(this.spec.unitPath);
    const result = await this.#run('launchctl', ['print', this.#target()]);
    if (result.code !== 0) return { unitPath: this.spec.unitPath, installed, loaded: false, running: false, pid: null, detail: 'not loaded' };
    const state = /^\s*state = (.+)$/m.exec(result.stdout)?.[1]?.trim() ?? 'unknown';
    const pid = Number(/^\s*pid = (\d+)$/m.exec(result.stdout)?.[1] ?? '0');
    return { unitPath: this.spec.unitPath, installed, loaded: true, running: state === 'running', pid: pid > 0 ? pid : null, detail: state };
  }

  /** The daemon's own log file when it has one, else the agent's stderr file. */
  async logs(lines: number): Promise<string> {
    return tailFile(daemonLogPath(this.spec.logDir), lines) ?? tailFile(launchdLogPaths(this.spec).stderr, lines) ?? '';
  }

  async #loaded(): Promise<boolean> {
    return (await this.#run('launchctl', ['print', this.#target()])).code === 0;
  }

  #target(): string {
    return `${this.#domain}/${LAUNCHD_LABEL}`;
  }
}
