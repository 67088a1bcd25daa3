/**
 * One run of the hook forwarder, after the payload has been read: find the
 * agent's process, decide fork lineage, send to the daemon, spool when the
 * daemon is down or slow. Never throws: whatever goes wrong, the agent must
 * not notice.
 */
import { basename } from 'node:path';
import { linuxBootTimeMs, readProcessInfo, type ProcessInfo } from '../../collectors/process/proc-info.js';
import type { ForwardedMeta } from '../../collectors/hooks/wire.js';
import { findAgentProcess, isForkSession } from './ancestry.js';
import { boundedBody } from './input.js';
import { sendHookCall } from './send.js';

/** Everything one forwarding needs; injected so tests can point it anywhere. */
export interface ForwardContext {
  /** The state dir (spool, fork memos). */
  home: string;
  socket: string;
  framework: string;
  /** Deadline for the daemon's reply, ms. */
  timeoutMs: number;
  /** When the hook fired (stamped as early as the process could). */
  firedAt: number;
  /** The forwarder's parent pid: where the walk to the agent starts. */
  parentPid: number;
  env: Readonly<Record<string, string | undefined>>;
  /** Process reader; defaults to the OS's. */
  readProcess?: (pid: number) => ProcessInfo | null | undefined;
}

/** What became of the call. */
export type ForwardOutcome = 'delivered' | 'spooled' | 'refused' | 'dropped';

/** Forwards one hook call; resolves its outcome and never rejects. */
export async function forwardHookCall(input: Buffer | undefined, ctx: ForwardContext): Promise<ForwardOutcome> {
  try {
    const body = input === undefined ? undefined : boundedBody(input);
    if (body === undefined) return 'dropped';
    const meta = await describeCall(body, ctx);
    const outcome = await sendHookCall({ socket: ctx.socket, framework: ctx.framework, timeoutMs: ctx.timeoutMs }, body, meta);
    if (outcome !== 'unavailable') return outcome;
    // Loaded only when needed: every module costs an agent's every hook call its load time.
    const { spoolHookCall } = await import('./spool-writer.js');
    spoolHookCall(ctx.home, { framework: ctx.framework, meta, payload: body });
    return 'spooled';
  } catch {
    return 'dropped';
  }
}

/** The facts sent beside the payload: fire time, the agent's process, fork role, entrypoint. */
export async function describeCall(body: Buffer, ctx: ForwardContext): Promise<ForwardedMeta> {
  const meta: ForwardedMeta = { fired_at: ctx.firedAt };
  const entrypoint = ctx.env.CLAUDE_CODE_ENTRYPOINT;
  if (entrypoint !== undefined && entrypoint !== '') meta.entrypoint = entrypoint;
  const bootMs = ctx.readProcess ? undefined : linuxBootTimeMs();
  const read = ctx.readProcess ?? ((pid: number) => readProcessInfo(pid, bootMs));
  const agent = findAgentProcess(ctx.parentPid, read);
  if (agent === undefined) return meta;
  meta.pid = agent.pid;
  meta.process_start = agent.start_time;
  const executable = executableName(agent);
  if (executable !== undefined) meta.executable = executable;
  if (isForkSession(agent)) {
    const { forkRoleOf } = await import('./fork-memo.js');
    const role = forkRoleOf(ctx.home, agent, parseFacts(body));
    if (role !== undefined) meta.fork = role;
  }
  return meta;
}

/**
 * What the agent is called: argv[0] as started (`claude`; a native install's
 * executable is only a version number), or `node cli.js` for a script under
 * a runtime; the executable's name when argv is unreadable.
 */
function executableName(agent: ProcessInfo): string | undefined {
  const [first, second] = agent.argv.map((word) => basename(word));
  if (first && second && /^(node|bun|deno)(\d+)?$/.test(first)) return `${first} ${second}`;
  return first || (agent.exe ? basename(agent.exe) : undefined);
}

function parseFacts(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
