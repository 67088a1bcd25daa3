/**
 * Renders the launchd agent plist that runs `dossier daemon` at login and
 * restarts it when it exits with a failure (launchd throttles restarts, which
 * is its backoff). Every string is XML-escaped.
 */
import { join } from 'node:path';
import { LAUNCHD_LABEL, serviceEnvironment, type ServiceSpec } from './spec.js';

/** Least seconds between two launches; launchd's own default is 10. */
const THROTTLE_INTERVAL_SEC = 10;
/** Seconds launchd waits after SIGTERM before SIGKILL. */
const EXIT_TIMEOUT_SEC = 30;

/** Where the agent's stdout and stderr go: launchd keeps no journal. */
export function launchdLogPaths(spec: ServiceSpec): { stdout: string; stderr: string } {
  return { stdout: join(spec.logDir, 'launchd.out.log'), stderr: join(spec.logDir, 'launchd.err.log') };
}

/** The plist text for `spec` (a `launchd` spec). */
export function renderLaunchdPlist(spec: ServiceSpec): string {
  const logs = launchdLogPaths(spec);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    key('Label'),
    string(LAUNCHD_LABEL),
    key('ProgramArguments'),
    '  <array>',
    ...[spec.nodePath, spec.scriptPath, ...spec.args].map((arg) => `  ${string(arg)}`),
    '  </array>',
    key('EnvironmentVariables'),
    '  <dict>',
    ...serviceEnvironment(spec).flatMap(([name, value]) => [`  ${key(name)}`, `  ${string(value)}`]),
    '  </dict>',
    key('RunAtLoad'),
    '  <true/>',
    // Restart only after a failure: a clean `launchctl bootout` or SIGTERM exit 0 stays stopped.
    key('KeepAlive'),
    '  <dict>',
    `  ${key('SuccessfulExit')}`,
    '    <false/>',
    '  </dict>',
    key('ThrottleInterval'),
    `  <integer>${THROTTLE_INTERVAL_SEC}</integer>`,
    key('ExitTimeOut'),
    `  <integer>${EXIT_TIMEOUT_SEC}</integer>`,
    key('ProcessType'),
    string('Background'),
    key('StandardOutPath'),
    string(logs.stdout),
    key('StandardErrorPath'),
    string(logs.stderr),
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** Escapes the five XML special characters. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function key(name: string): string {
  return `  <key>${escapeXml(name)}</key>`;
}

function string(value: string): string {
  return `  <string>${escapeXml(value)}</string>`;
}
