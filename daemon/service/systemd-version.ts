/**
 * The version of the systemd on this machine, read from `systemctl
 * --version` (first line `systemd 252 (252.38-1~deb12u1)`). The unit uses it
 * to pick restart settings the installed systemd understands.
 */
import { spawnSync } from 'node:child_process';

/** First systemd release that reads `RestartSteps=` and `RestartMaxDelaySec=`. */
export const SYSTEMD_RESTART_STEPS_SINCE = 254;

/** The major version in `systemctl --version` output, or null when it is not there. */
export function parseSystemdVersion(output: string): number | null {
  const match = /^systemd (\d+)\b/m.exec(output);
  return match ? Number(match[1]) : null;
}

/** Runs `systemctl --version`; null when systemctl is missing or says something else. */
export function probeSystemdVersion(): number | null {
  const result = spawnSync('systemctl', ['--version'], { encoding: 'utf8', timeout: 5_000 });
  if (result.error !== undefined || result.status !== 0) return null;
  return parseSystemdVersion(result.stdout);
}
