/**
 * `dossier show <id>`: one session, every field and the source of each,
 * then its usage, tasks, GitHub references, files touched, tools and
 * subagents.
 * The id may be any unique prefix. `--json` prints the SessionRecord.
 */
import { CONNECTION_HELP, CONNECTION_OPTIONS, expectPositionals, parseArgv } from './args.js';
import { connect, writeJson, type CommandModule, type ConnectionOptions } from './command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { formatBytes, formatRelative } from './format/human.js';
import type { ExportOneResponse } from '../../schema/index.js';
import { renderSessionActivity } from './format/session-activity.js';
import { renderSessionDetail } from './format/session-detail.js';
import { clockOf, colorEnabled, type CliIo } from './io.js';

/** Options of `dossier show`. */
export interface ShowOptions extends ConnectionOptions {
  id: string;
  json: boolean;
}

export const usage = `Usage: dossier show <id> [--json]

Show one session. <id> may be any unique prefix of the session id.

  --json          print the session record (see docs/cli-json.md)
${CONNECTION_HELP}`;

/** Parses `show` arguments. */
export function parse(argv: string[]): ShowOptions {
  const { values, positionals } = parseArgv({ args: argv, options: { json: { type: 'boolean' }, ...CONNECTION_OPTIONS } });
  const [id] = expectPositionals(positionals, ['id']);
  return { id: id!, json: values.json ?? false, socket: values.socket, home: values.home };
}

/** Fetches the session and prints it. */
export async function run(opts: ShowOptions, io: CliIo): Promise<ExitCode> {
  const client = connect(opts, io);
  const { session, process_usage: usage } = await client.getSession(opts.id);
  if (opts.json) writeJson(io, session);
  else {
    const options = { width: io.isTTY ? io.columns : undefined, color: colorEnabled(io) };
    const lines = renderSessionDetail(session, clockOf(io), options);
    // Files, tools and subagents come from the session's events, which the export report reads.
    const { report } = JSON.parse(await client.exportText({ session: session.session_id, format: 'json' })) as ExportOneResponse;
    lines.push(...renderSessionActivity(report, clockOf(io), options));
    if (usage !== undefined) lines.push('', `process ${usage.pid}: ${usage.cpu_percent}% cpu, ${formatBytes(usage.memory_bytes)} memory (sampled ${formatRelative(usage.sampled_at, clockOf(io))})`);
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return EXIT.ok;
}

/** `dossier show` as a command module. */
export const command: CommandModule<ShowOptions> = { usage, parse, run };
