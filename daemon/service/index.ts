/**
 * The service-manager entry point for the CLI: builds the spec for this
 * machine and the matching manager (systemd on Linux, launchd on macOS).
 */
import { LaunchdManager } from './launchd-manager.js';
import type { ServiceManager } from './manager.js';
import { execRunner, type CommandRunner } from './runner.js';
import { buildServiceSpec, type SpecInputs } from './spec.js';
import { SystemdManager } from './systemd-manager.js';

export type { InstallResult, ServiceManager, ServiceState, UninstallResult } from './manager.js';
export type { ServiceSpec } from './spec.js';

/** The manager for `inputs.platform`; throws `DOSSIER_E_CONFIG_INVALID` on other platforms. */
export function serviceManagerFor(inputs: SpecInputs, runner: CommandRunner = execRunner, uid: number = process.getuid?.() ?? 0): ServiceManager {
  const spec = buildServiceSpec(inputs);
  return spec.kind === 'systemd' ? new SystemdManager(spec, runner) : new LaunchdManager(spec, runner, uid);
}
