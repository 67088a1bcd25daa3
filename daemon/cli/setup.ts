/**
 * `dossier setup claude`: installs dossier's hooks and Claude Code's OTel
 * exporter variables into a settings.json (the user's, each
 * `CLAUDE_CONFIG_DIR` root, or a project's), merged with what is there;
 * `--undo` takes out exactly what it added, `--print` only shows the change.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isDossierError } from '../../schema/errors.js';
import { resolvePaths } from '../paths.js';
import { otelEnv, type ClaudeSetupOptions } from '../setup/claude-plan.js';
import { applySetup, applyUndo, type SetupOutcome, type UndoOutcome } from '../setup/apply.js';
import { claudeSettingsPaths, onPath } from '../setup/locations.js';
import { expectPositionals, parseArgv, usageError } from './args.js';
import type { CommandModule } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;

/** Options of `dossier setup claude`. */
export interface SetupOptions {
  hooks: 'command' | 'http';
  projectDir?: string | undefined;
  configDirs: string[];
  command?: string | undefined;
  hookUrl: string;
  otel: boolean;
  otlpEndpoint?: string | undefined;
  otlpProtocol: (typeof PROTOCOLS)[number];
  print: boolean;
  undo: boolean;
  home?: string | undefined;
}

export const usage = `Usage: dossier setup claude [options]

Adds dossier's hooks and Claude Code's OpenTelemetry exporter settings to
~/.claude/settings.json (each CLAUDE_CONFIG_DIR root when it is set), merged
with what is there: your own hooks and settings stay. Running it again
changes nothing; --undo takes out exactly what it added. A copy of the
previous file is kept as settings.json.dossier-backup.

  --hooks MODE         command (default): every event runs \`dossier hook\`;
                       http: events post to the daemon's loopback door, except
                       SessionStart and Setup, which Claude Code only runs as commands
  --command CMD        how to run dossier in hooks (default: dossier, from npm link)
  --hook-url URL       URL of the http hooks (default: http://127.0.0.1:4318/v1/hooks/claude_code)
  --project            edit ./.claude/settings.json (shared with the repository) instead
  --project-dir DIR    edit DIR/.claude/settings.json instead
  --config-dir DIR     edit DIR/settings.json instead (repeatable)
  --otlp-protocol P    http/protobuf (default), http/json or grpc
  --otlp-endpoint URL  where Claude Code exports (default: http://127.0.0.1:4318, :4317 for grpc)
  --no-otel            leave the OTel variables alone
  --print              show the change without writing
  --undo               remove what setup added (restores the exact bytes when the file is untouched since)
  --home DIR           dossier's state dir, where setup records what it added`;

/** Parses `setup` arguments. */
export function parse(argv: string[]): SetupOptions {
  const { values, positionals } = parseArgv({
    args: argv,
    options: {
      hooks: { type: 'string' },
      command: { type: 'string' },
      'hook-url': { type: 'string' },
      project: { type: 'boolean' },
      'project-dir': { type: 'string' },
      'config-dir': { type: 'string', multiple: true },
      'otlp-protocol': { type: 'string' },
      'otlp-endpoint': { type: 'string' },
      'no-otel': { type: 'boolean' },
      print: { type: 'boolean' },
      undo: { type: 'boolean' },
      home: { type: 'string' },
    },
  });
  const [agent] = expectPositionals(positionals, ['agent']);
  if (agent !== 'claude') throw usageError(`unknown agent ${JSON.stringify(agent)} (supported: claude)`);
  const hooks = values.hooks ?? 'command';
  if (hooks !== 'command' && hooks !== 'http') throw usageError(`--hooks: must be command or http (got ${JSON.stringify(hooks)})`);
  const protocol = values['otlp-protocol'] ?? 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw usageError(`--otlp-protocol: one of ${PROTOCOLS.join(', ')} (got ${JSON.stringify(protocol)})`);
  const projectDir = values['project-dir'] ?? (values.project ? process.cwd() : undefined);
  if (projectDir !== undefined && values['config-dir'] !== undefined) throw usageError('--project and --config-dir name different files: give one');
  for (const [flag, url] of [['hook-url', values['hook-url']], ['otlp-endpoint', values['otlp-endpoint']]] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url)) throw usageError(`--${flag}: must be an http:// URL (got ${JSON.stringify(url)})`);
  }
  const endpoint = values['otlp-endpoint'];
  if (endpoint !== undefined && /\/v1\/(logs|metrics|traces)\/?$/.test(endpoint)) {
    // OTEL_EXPORTER_OTLP_ENDPOINT is the base: the exporters append /v1/<signal> themselves.
    throw usageError(`--otlp-endpoint: give the base URL, without /v1/<signal> (the exporters add it) (got ${JSON.stringify(endpoint)})`);
  }
  return {
    hooks,
    projectDir,
    configDirs: values['config-dir'] ?? [],
    command: values.command,
    hookUrl: values['hook-url'] ?? 'http://127.0.0.1:4318/v1/hooks/claude_code',
    otel: values['no-otel'] !== true,
    otlpEndpoint: values['otlp-endpoint'],
    otlpProtocol: protocol as SetupOptions['otlpProtocol'],
    print: values.print ?? false,
    undo: values.undo ?? false,
    home: values.home,
  };
}

/** Applies (or undoes, or previews) the setup on every selected settings file. */
export async function run(opts: SetupOptions, io: CliIo): Promise<ExitCode> {
  const stateDir = resolvePaths({ home: opts.home, env: io.env }).home;
  const paths = claudeSettingsPaths({ projectDir: opts.projectDir, configDirs: opts.configDirs, env: io.env, userHome: io.env.HOME ?? homedir() });
  const plan = setupOptions(opts);
  if (!opts.undo && opts.command === undefined && !onPath('dossier', io.env)) {
    io.stderr.write('Warning: `dossier` is not on PATH, so hooks running `dossier hook` will fail. Run `npm link` in the checkout, or pass --command.\n');
  }
  for (const settingsPath of paths) {
    try {
      if (opts.undo) describeUndo(io, applyUndo({ settingsPath, stateDir }, plan, opts.print));
      else describeSetup(io, applySetup({ settingsPath, stateDir }, plan, opts.print), plan);
    } catch (error) {
      if (!isDossierError(error)) throw error;
      io.stderr.write(`Error: ${error.message}\n`);
      return EXIT.error;
    }
  }
  return EXIT.ok;
}

/** `dossier setup` as a command module. */
export const command: CommandModule<SetupOptions> = { usage, parse, run };

/** The plan's options from the command line. */
export function setupOptions(opts: SetupOptions): ClaudeSetupOptions {
  const endpoint = opts.otlpEndpoint ?? (opts.otlpProtocol === 'grpc' ? 'http://127.0.0.1:4317' : 'http://127.0.0.1:4318');
  return {
    hooks: opts.hooks,
    hookCommand: `${runnerOf(opts.command)} hook`,
    hookUrl: opts.hookUrl,
    env: opts.otel ? otelEnv(endpoint, opts.otlpProtocol) : {},
  };
}

/** How hooks start dossier: `dossier`, or `--command` (an existing path with spaces is quoted for the shell). */
function runnerOf(command: string | undefined): string {
  if (command === undefined) return 'dossier';
  return /\s/.test(command) && existsSync(command) ? `'${command.replace(/'/g, `'\\''`)}'` : command;
}

function describeSetup(io: CliIo, outcome: SetupOutcome, plan: ClaudeSetupOptions): void {
  const out = (line: string): void => void io.stdout.write(`${line}\n`);
  for (const c of outcome.conflicts) {
    io.stderr.write(
      c.overrides !== undefined
        ? `Warning: ${outcome.path} sets ${c.key}=${JSON.stringify(c.theirs)}, which takes precedence over ${c.overrides}=${JSON.stringify(c.ours)} for that signal: it will not reach dossier.\n`
        : c.pairedWith === undefined
          ? `Warning: ${outcome.path} already sets ${c.key}=${JSON.stringify(c.theirs)}; left as is (dossier would set ${JSON.stringify(c.ours)}).\n`
          : `Warning: ${outcome.path}: ${c.key} not set (dossier would set ${JSON.stringify(c.ours)}): it must agree with ${c.pairedWith}, which is already set.\n`,
    );
  }
  const what = `${outcome.added.hooks} hooks (${plan.hooks === 'http' ? `http: ${plan.hookUrl}` : `command: ${plan.hookCommand}`}) and ${outcome.added.env} OTel variables`;
  if (outcome.action === 'unchanged') return out(`${outcome.path}: already set up, no change.`);
  if (outcome.action === 'preview') {
    out(`${outcome.path}: would add ${what}. New content:`);
    io.stdout.write(outcome.text);
    return;
  }
  out(`${outcome.path}: added ${what}.${outcome.backup ? ` Previous file kept as ${outcome.backup}.` : ''}`);
  out('Running Claude Code sessions pick this up when they restart.');
}

function describeUndo(io: CliIo, outcome: UndoOutcome): void {
  const out = (line: string): void => void io.stdout.write(`${line}\n`);
  if (outcome.action === 'preview') {
    out(outcome.text === null ? `${outcome.path}: would be deleted (setup created it).` : `${outcome.path}: would become:`);
    if (outcome.text !== null) io.stdout.write(outcome.text);
    return;
  }
  if (outcome.action === 'restored') return out(`${outcome.path}: restored exactly as it was before setup.`);
  if (outcome.action === 'removed') out(`${outcome.path}: removed what setup added; your other changes stay.`);
  else out(`${outcome.path}: nothing of dossier's to remove.`);
  if (outcome.withoutRecord && outcome.action === 'removed') out('No record of the setup was found: only the hooks were recognised and removed; OTel variables were left.');
}
