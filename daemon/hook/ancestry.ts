/**
 * Finds the agent process a hook runs for. Agents start command hooks
 * through a shell (`sh -c "dossier hook"`), sometimes through wrappers
 * (`env`, `timeout`, `npx`), so the forwarder walks up from its own parent
 * past those to the first process that is none of them. Shells and wrappers
 * are recognised by their executable (the resolved `/proc/<pid>/exe`) or
 * argv, never by the process name alone, which any program can set.
 * A wrapper this list does not know would be taken for the agent; its exit
 * after the hook would then end the session until the next hook revives it.
 */
import type { ProcessInfo } from '../../collectors/process/proc-info.js';

/** Executables that only run the hook on the agent's behalf. */
const WRAPPERS: ReadonlySet<string> = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'fish',
  'ksh',
  'mksh',
  'ash',
  'tcsh',
  'csh',
  'env',
  'nohup',
  'timeout',
  'nice',
  'stdbuf',
  'setsid',
  'xargs',
  'time',
  'ionice',
  'taskset',
  'chrt',
  'flock',
  'direnv',
  'uv',
  'uvx',
]);

/** Multi-call binaries whose personality is argv[0] (`busybox sh`). */
const MULTI_CALL: ReadonlySet<string> = new Set(['busybox', 'toybox']);

/** Process managers: reaching one means the agent is gone (the shell was re-parented). */
const INIT_LIKE: ReadonlySet<string> = new Set(['init', 'systemd', 'launchd', 'tini', 'dumb-init']);

/** Scripts a Node wrapper runs when the hook command was `npx dossier hook` (or pnpm/yarn's equivalents). */
const NODE_WRAPPER_SCRIPTS: ReadonlySet<string> = new Set(['npx-cli.js', 'npm-cli.js', 'npx', 'npm', 'pnpm.cjs', 'pnpm', 'yarn.js', 'yarn']);

/** How deep the walk goes before giving up (a shell inside a shell inside `env` is three). */
const MAX_DEPTH = 8;

/**
 * Walks up from `startPid` (the forwarder's parent) and returns the first
 * process that is not a shell or wrapper; undefined when the walk ends at
 * pid 1 or an init-like process, cannot read a process, or is too deep.
 */
export function findAgentProcess(startPid: number, read: (pid: number) => ProcessInfo | null | undefined): ProcessInfo | undefined {
  let pid = startPid;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (pid <= 1) return undefined;
    const info = read(pid);
    if (!info || info.zombie) return undefined;
    const kind = classify(info);
    if (kind === 'init') return undefined;
    if (kind === 'agent') return info;
    pid = info.ppid;
  }
  return undefined;
}

/** True when the agent was started with `--fork-session` (its hooks may report the parent's id). */
export function isForkSession(agent: ProcessInfo): boolean {
  return agent.argv.includes('--fork-session');
}

function classify(info: ProcessInfo): 'wrapper' | 'init' | 'agent' {
  const exe = baseName(info.exe ?? info.argv[0] ?? '');
  const personality = MULTI_CALL.has(exe) ? baseName(info.argv[0] ?? '') : exe;
  if (INIT_LIKE.has(personality)) return 'init';
  if (WRAPPERS.has(personality)) return 'wrapper';
  if (/^node(\d+)?$/.test(personality) && NODE_WRAPPER_SCRIPTS.has(baseName(info.argv[1] ?? ''))) return 'wrapper';
  return 'agent';
}

/** `/usr/bin/bash` → `bash`; a login shell's `-bash` → `bash`. */
function baseName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.startsWith('-') ? base.slice(1) : base;
}
