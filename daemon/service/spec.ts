/**
 * What a service unit runs, decided once for both service managers: the
 * absolute node binary and dossier entry point, the PATH the daemon sees, the
 * state directory when the user chose one, and where the unit file goes.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DossierError } from '../../schema/errors.js';
import { configHome, nonEmpty, resolvePaths } from '../paths.js';
import { probeSystemdVersion } from './systemd-version.js';

/** The service manager a platform uses. */
export type ServiceKind = 'systemd' | 'launchd';

/** The systemd unit name, and the launchd label (reverse-DNS, as launchd expects). */
export const SYSTEMD_UNIT_NAME = 'dossier.service';
export const LAUNCHD_LABEL = 'dev.dossier.daemon';

/** Everything a unit file needs; every path absolute. */
export interface ServiceSpec {
  kind: ServiceKind;
  /** The node binary that runs dossier (the one running this CLI). */
  nodePath: string;
  /** `bin/dossier.js`, symlinks resolved (npm link puts a symlink on PATH). */
  scriptPath: string;
  /** Arguments after the script: `daemon` and any extra daemon flags. */
  args: string[];
  /** PATH for the daemon: node's own dir first, so `git` and `node` children resolve as in the user's shell. */
  pathEnv: string;
  /** `DOSSIER_HOME` to pass on, only when the user set one. */
  dossierHome: string | undefined;
  /** `DOSSIER_SOCKET` to pass on, only when the user set one. */
  dossierSocket: string | undefined;
  /** Where the unit file is written. */
  unitPath: string;
  /** launchd only: where the agent's stdout/stderr go (launchd has no journal). */
  logDir: string;
  /** systemd only: the installed systemd's major version, null when unknown; newer ones get a growing restart delay. */
  systemdVersion: number | null;
}

/** What {@link buildServiceSpec} reads; injected so tests need no real machine. */
export interface SpecInputs {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  execPath: string;
  /** The CLI's entry script (`process.argv[1]`). */
  scriptPath: string;
  userHome?: string;
  /** Extra `dossier daemon` flags to bake into the unit. */
  daemonArgs?: string[];
  /** Resolves symlinks; defaults to `realpathSync`, tests pass identity. */
  realpath?: (path: string) => string;
  /** The systemd version (null: unknown); by default asked of `systemctl --version` on Linux. */
  systemdVersion?: number | null;
}

/** The service manager of `platform`, or a `DOSSIER_E_CONFIG_INVALID` naming the unsupported one. */
export function serviceKindOf(platform: NodeJS.Platform): ServiceKind {
  if (platform === 'linux') return 'systemd';
  if (platform === 'darwin') return 'launchd';
  throw new DossierError('DOSSIER_E_CONFIG_INVALID', `dossier service supports Linux (systemd) and macOS (launchd), not ${platform}; run \`dossier daemon\` under your own supervisor`);
}

/** Builds the spec for this platform. Throws when a path is not absolute (a unit cannot resolve relative ones). */
export function buildServiceSpec(inputs: SpecInputs): ServiceSpec {
  const kind = serviceKindOf(inputs.platform);
  const realpath = inputs.realpath ?? realpathSync;
  const userHome = inputs.userHome ?? homedir();
  const nodePath = requireAbsolute('node binary', inputs.execPath);
  const scriptPath = realpath(requireAbsolute('dossier script', resolve(inputs.scriptPath)));
  const dossierHome = nonEmpty(inputs.env.DOSSIER_HOME);
  const dossierSocket = nonEmpty(inputs.env.DOSSIER_SOCKET);
  const stateDir = resolvePaths({ env: inputs.env, platform: inputs.platform, userHome }).home;
  return {
    kind,
    nodePath,
    scriptPath,
    args: ['daemon', ...(inputs.daemonArgs ?? [])],
    pathEnv: servicePath(nodePath, inputs.env.PATH),
    dossierHome: dossierHome === undefined ? undefined : resolve(dossierHome),
    dossierSocket: dossierSocket === undefined ? undefined : resolve(dossierSocket),
    unitPath: kind === 'systemd' ? systemdUnitPath(inputs.env, userHome) : join(userHome, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`),
    logDir: join(stateDir, 'logs'),
    systemdVersion: kind === 'systemd' ? (inputs.systemdVersion === undefined ? probeSystemdVersion() : inputs.systemdVersion) : null,
  };
}

/** The environment a unit passes to the daemon, as name/value pairs: PATH, then DOSSIER_HOME and DOSSIER_SOCKET when set. */
export function serviceEnvironment(spec: ServiceSpec): [name: string, value: string][] {
  const env: [string, string][] = [['PATH', spec.pathEnv]];
  if (spec.dossierHome !== undefined) env.push(['DOSSIER_HOME', spec.dossierHome]);
  if (spec.dossierSocket !== undefined) env.push(['DOSSIER_SOCKET', spec.dossierSocket]);
  return env;
}

/** `$XDG_CONFIG_HOME/systemd/user/dossier.service`, the directory `systemctl --user` reads. */
export function systemdUnitPath(env: Readonly<Record<string, string | undefined>>, userHome: string): string {
  return join(configHome(env, userHome), 'systemd', 'user', SYSTEMD_UNIT_NAME);
}

/**
 * The user's PATH with node's directory first and duplicates removed. Service
 * managers start with a bare PATH, without which git (and a version-managed
 * node) would not be found.
 */
export function servicePath(nodePath: string, userPath: string | undefined): string {
  const entries = [dirname(nodePath), ...(userPath ?? '').split(':'), '/usr/local/bin', '/usr/bin', '/bin'];
  return [...new Set(entries.filter((p) => p !== '' && isAbsolute(p)))].join(':');
}

function requireAbsolute(what: string, path: string): string {
  if (!isAbsolute(path)) throw new DossierError('DOSSIER_E_CONFIG_INVALID', `${what}: must be an absolute path (got ${JSON.stringify(path)})`);
  return path;
}

