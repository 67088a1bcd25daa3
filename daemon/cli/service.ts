/**
 * `dossier service install|uninstall|status|logs`: runs `dossier daemon` as a
 * systemd `--user` unit (Linux) or a launchd agent (macOS). `--print` shows
 * the unit file and changes nothing.
 */
import { serviceManagerFor, type ServiceManager, type ServiceState } from '../service/index.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, parseArgv, parseChoice, parsePositiveInt, usageError } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

const ACTIONS = ['install', 'uninstall', 'status', 'logs'] as const;
type Action = (typeof ACTIONS)[number];
const PLATFORMS = ['linux', 'darwin'] as const;

/** Options of `dossier service`. */
export interface ServiceOptions extends ConnectionOptions {
  action: Action;
  print: boolean;
  json: boolean;
  lines: number;
  /** The platform whose unit to build; defaults to this one (`--platform darwin --print` previews the plist on Linux). */
  platform: NodeJS.Platform;
}

export const usage = `Usage: dossier service install|uninstall|status|logs [--print] [--json]

Run the daemon as a service that starts at login and restarts after a failure:
a systemd --user unit on Linux, a launchd agent on macOS.

  install          write the unit (only if it changed), enable and start it; safe to repeat
  uninstall        stop and disable the service and remove the unit file
  status           whether the unit is installed, loaded and running, and whether the daemon answers
  logs             the last lines of the service's log (--lines N, default 100)
  --print          show the unit file that install would write; change nothing
  --platform P     linux or darwin: build that platform's unit (with --print)
  --json           print the result as JSON
${CONNECTION_HELP}

The unit runs this node (${process.execPath}) with this dossier, and passes on
DOSSIER_HOME and DOSSIER_SOCKET when they are set.`;

/** Parses `service` arguments. */
export function parse(argv: string[]): ServiceOptions {
  const { values, positionals } = parseArgv({
    args: argv,
    options: { print: { type: 'boolean' }, json: { type: 'boolean' }, lines: { type: 'string' }, platform: { type: 'string' }, ...CONNECTION_OPTIONS },
  });
  // `dossier service --print` alone previews what install would write.
  const [action = values.print === true ? 'install' : undefined, ...rest] = positionals;
  if (action === undefined) throw usageError(`missing action (one of: ${ACTIONS.join(', ')})`);
  if (!(ACTIONS as readonly string[]).includes(action)) throw usageError(`unknown action ${JSON.stringify(action)} (one of: ${ACTIONS.join(', ')})`);
  if (rest.length > 0) throw usageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  const platform: NodeJS.Platform = parseChoice('platform', values.platform, PLATFORMS) ?? process.platform;
  if (values.platform !== undefined && values.platform !== process.platform && values.print !== true) {
    throw usageError('--platform other than this one needs --print (a unit can only be installed where it runs)');
  }
  return {
    action: action as Action,
    print: values.print ?? false,
    json: values.json ?? false,
    lines: parsePositiveInt('lines', values.lines, 100_000) ?? 100,
    platform,
    socket: values.socket,
    home: values.home,
  };
}

/** Runs the action against this machine's service manager. */
export async function run(opts: ServiceOptions, io: CliIo): Promise<ExitCode> {
  const env = opts.home === undefined ? io.env : { ...io.env, DOSSIER_HOME: opts.home };
  const scriptPath = process.argv[1] ?? '';
  const manager = serviceManagerFor({ platform: opts.platform, env: opts.socket === undefined ? env : { ...env, DOSSIER_SOCKET: opts.socket }, execPath: process.execPath, scriptPath });
  if (opts.print) {
    if (opts.json) writeJson(io, { unit_path: manager.spec.unitPath, text: manager.render() });
    else io.stdout.write(manager.render());
    return EXIT.ok;
  }
  switch (opts.action) {
    case 'install':
      return install(manager, opts, io);
    case 'uninstall': {
      const done = await manager.uninstall();
      if (opts.json) writeJson(io, { unit_path: done.unitPath, removed: done.removed, commands: done.commands });
      else io.stdout.write(done.removed ? `Removed ${done.unitPath}; the service is stopped.\n` : `No service installed (${done.unitPath} does not exist).\n`);
      return EXIT.ok;
    }
    case 'status':
      return status(manager, opts, io);
    case 'logs':
      io.stdout.write(await manager.logs(opts.lines));
      return EXIT.ok;
  }
}

async function install(manager: ServiceManager, opts: ServiceOptions, io: CliIo): Promise<ExitCode> {
  const done = await manager.install();
  if (opts.json) writeJson(io, { unit_path: done.unitPath, file: done.file, commands: done.commands });
  else {
    const what = done.file === 'unchanged' ? 'is up to date' : done.file === 'created' ? 'written' : 'updated';
    io.stdout.write(`Service unit ${what}: ${done.unitPath}\nThe daemon starts now and at every login. Check it with: dossier service status\n`);
  }
  return EXIT.ok;
}

async function status(manager: ServiceManager, opts: ServiceOptions, io: CliIo): Promise<ExitCode> {
  const state = await manager.state();
  const health = await daemonHealth(opts, io);
  if (opts.json) {
    writeJson(io, { unit_path: state.unitPath, installed: state.installed, loaded: state.loaded, running: state.running, pid: state.pid, detail: state.detail, daemon: health });
  } else {
    io.stdout.write(formatServiceStatus(state, health));
  }
  return state.running && health.healthy ? EXIT.ok : EXIT.error;
}

/** Whether the daemon answers `GET /v1/status`, and as which version. */
interface Health {
  healthy: boolean;
  version: string | null;
  pid: number | null;
  error: string | null;
}

async function daemonHealth(opts: ServiceOptions, io: CliIo): Promise<Health> {
  try {
    const s = await connect(opts, io).status();
    return { healthy: true, version: s.daemon_version, pid: s.pid, error: null };
  } catch (error) {
    return { healthy: false, version: null, pid: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The human text of `dossier service status`. */
export function formatServiceStatus(state: ServiceState, health: Health): string {
  const lines = [
    `unit      ${state.unitPath} (${state.installed ? 'installed' : 'not installed'})`,
    `manager   ${state.loaded ? 'loaded' : 'not loaded'}, ${state.running ? 'running' : 'not running'}${state.pid === null ? '' : `, pid ${state.pid}`} [${state.detail}]`,
    `daemon    ${health.healthy ? `healthy, version ${health.version ?? '?'}, pid ${health.pid ?? '?'}` : `not answering: ${health.error ?? 'unknown'}`}`,
  ];
  if (!state.installed) lines.push('Try: dossier service install');
  else if (!state.running) lines.push('Try: dossier service logs');
  return `${lines.join('\n')}\n`;
}

/** `dossier service` as a command module. */
export const command: CommandModule<ServiceOptions> = { usage, parse, run };
