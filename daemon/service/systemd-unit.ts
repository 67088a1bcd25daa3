/**
 * Renders the systemd `--user` unit that runs `dossier daemon`. Values are
 * quoted and escaped the way systemd parses them, so paths with spaces, `%`
 * or `$` survive; the unit passes `systemd-analyze verify`.
 */
import { serviceEnvironment, type ServiceSpec } from './spec.js';
import { SYSTEMD_RESTART_STEPS_SINCE } from './systemd-version.js';

/** Delay before a restart after a failure where systemd cannot grow it; StartLimitIntervalSec=0 keeps restarting forever. */
const RESTART_DELAY_SEC = 5;
/** Where it can: the first delay, the steps and the longest delay of the growing restart backoff. */
const RESTART_BACKOFF = { firstSec: 1, steps: 9, maxSec: 300 };
/** How long systemd waits after SIGTERM; the daemon's own stop budget is shorter. */
const STOP_TIMEOUT_SEC = 30;

/** The unit file text for `spec` (a `systemd` spec). */
export function renderSystemdUnit(spec: ServiceSpec): string {
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
    ...serviceEnvironment(spec).map(([name, value]) => `Environment=${quoteEnvAssignment(`${name}=${value}`)}`),
    'Restart=on-failure',
    ...restartDelay(spec.systemdVersion),
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
 * The restart delay: growing from 1 s to 5 min over consecutive failures on
 * systemd 254 and later, a fixed 5 s on older ones (which reject the keys).
 */
function restartDelay(systemdVersion: number | null): string[] {
  if (systemdVersion === null || systemdVersion < SYSTEMD_RESTART_STEPS_SINCE) return [`RestartSec=${RESTART_DELAY_SEC}`];
  return [`RestartSec=${RESTART_BACKOFF.firstSec}`, `RestartSteps=${RESTART_BACKOFF.steps}`, `RestartMaxDelaySec=${RESTART_BACKOFF.maxSec}`];
}

/**
 * One word of `ExecStart=` or `Environment=`: double-quoted with C-style
 * escapes, `%` doubled (specifiers) and `$` doubled (variable expansion).
 */
export function quoteExecArg(value: string): string {
  // `$$` holds nothing the other escapes touch, so doubling `$` first is the same as doubling it last.
  return quoteEnvAssignment(value.replace(/\$/g, '$$$$'));
}

/**
 * One `Environment=` assignment: quoted and escaped like an exec word, but
 * `$` is left alone (systemd does not expand variables there).
 */
export function quoteEnvAssignment(assignment: string): string {
  const escaped = assignment.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/%/g, '%%');
  return `"${escaped}"`;
}
