/**
 * Renders the systemd `--user` unit that runs `dossier daemon`. Values are
 * quoted and escaped the way systemd parses them, so paths with spaces, `%`
 * or `$` survive; the unit passes `systemd-analyze verify`.
 */
import type { ServiceSpec } from './spec.js';

/** Delay before a restart after a failure; StartLimitIntervalSec=0 keeps restarting forever. */
const RESTART_DELAY_SEC = 5;
/** How long systemd waits after SIGTERM; the daemon's own stop budget is shorter. */
const STOP_TIMEOUT_SEC = 30;

/** The unit file text for `spec` (a `systemd` spec). */
export function renderSystemdUnit(spec: ServiceSpec): string {
  const environment = [`PATH=${spec.pathEnv}`];
  if (spec.dossierHome !== undefined) environment.push(`DOSSIER_HOME=${spec.dossierHome}`);
  if (spec.dossierSocket !== undefined) environment.push(`DOSSIER_SOCKET=${spec.dossierSocket}`);
  return [
    '# Written by `dossier service install`; `dossier service uninstall` removes it.',
    '[Unit]',
    'Description=dossier: a live record of AI coding-agent sessions',
    // A restart storm must not make systemd give up on a daemon meant to run for months.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[spec.nodePath, spec.scriptPath, ...spec.args].map(quoteExecArg).join(' ')}`,
    ...environment.map((assignment) => `Environment=${quoteEnvAssignment(assignment)}`),
    'Restart=on-failure',
    `RestartSec=${RESTART_DELAY_SEC}`,
    'KillMode=mixed',
    'KillSignal=SIGTERM',
    `TimeoutStopSec=${STOP_TIMEOUT_SEC}`,
    'NoNewPrivileges=yes',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/**
 * One word of `ExecStart=` or `Environment=`: double-quoted with C-style
 * escapes, `%` doubled (specifiers) and `$` doubled (variable expansion).
 */
export function quoteExecArg(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/%/g, '%%')
    .replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

/**
 * One `Environment=` assignment: quoted and escaped like an exec word, but
 * `$` is left alone (systemd does not expand variables there).
 */
export function quoteEnvAssignment(assignment: string): string {
  const escaped = assignment.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/%/g, '%%');
  return `"${escaped}"`;
}
