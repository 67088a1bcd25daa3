/**
 * Finding the agent above a hook: past shells and wrappers, recognised by
 * executable or argv, never by name alone; and the fork memo that tells a
 * fork's parent-id calls from its child's.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findAgentProcess, isForkSession } from '../../../daemon/hook/ancestry.js';
import { forkRoleOf } from '../../../daemon/hook/fork-memo.js';
import type { ProcessInfo } from '../../../collectors/process/proc-info.js';

function proc(pid: number, ppid: number, exe: string | undefined, argv: string[], zombie = false): ProcessInfo {
  const info: ProcessInfo = { pid, ppid, start_time: pid * 1000, argv, zombie };
  if (exe !== undefined) info.exe = exe;
  return info;
}

function table(...procs: ProcessInfo[]): (pid: number) => ProcessInfo | null {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  return (pid) => byPid.get(pid) ?? null;
}

const CLAUDE = proc(100, 50, '/home/u/.local/share/claude/versions/2.1.197', ['claude', '-p', 'hi']);

describe('findAgentProcess', () => {
  it('returns the parent itself when the agent ran the hook without a shell', () => {
    expect(findAgentProcess(100, table(CLAUDE))?.pid).toBe(100);
  });

  it('walks past sh -c, bash and env', () => {
    const read = table(CLAUDE, proc(200, 100, '/usr/bin/dash', ['/bin/sh', '-c', 'dossier hook']), proc(300, 200, '/usr/bin/env', ['env', 'FOO=1', 'node']));
    expect(findAgentProcess(300, read)?.pid).toBe(100);
    expect(findAgentProcess(200, read)?.pid).toBe(100);
  });

  it('judges by executable, not by the name a process gives itself', () => {
    // A program that calls itself "bash" in argv[0] but whose executable is the agent is the agent.
    const disguised = proc(200, 100, '/opt/agent/bin/agent', ['bash']);
    expect(findAgentProcess(200, table(CLAUDE, disguised))?.pid).toBe(200);
    // Without a readable executable, argv[0] decides; a login shell's "-bash" is a shell.
    expect(findAgentProcess(201, table(CLAUDE, proc(201, 100, undefined, ['-bash'])))?.pid).toBe(100);
  });

  it('reads busybox by its personality and skips an npx wrapper', () => {
    const read = table(
      CLAUDE,
      proc(200, 100, '/bin/busybox', ['sh', '-c', 'npx dossier hook']),
      proc(300, 200, '/usr/bin/node', ['node', '/usr/lib/node_modules/npm/bin/npx-cli.js', 'dossier', 'hook']),
    );
    expect(findAgentProcess(300, read)?.pid).toBe(100);
  });

  it('gives up at init, at a vanished or zombie process, and when too deep', () => {
    const orphanShell = proc(200, 1, '/usr/bin/bash', ['bash']);
    expect(findAgentProcess(200, table(orphanShell))).toBeUndefined();
    expect(findAgentProcess(200, table(proc(200, 7, '/usr/bin/bash', ['bash']), proc(7, 0, '/usr/lib/systemd/systemd', ['/sbin/init'])))).toBeUndefined();
    expect(findAgentProcess(999, table(CLAUDE))).toBeUndefined();
    expect(findAgentProcess(100, table(proc(100, 50, '/x/claude', ['claude'], true)))).toBeUndefined();
    const chain = Array.from({ length: 12 }, (_, i) => proc(1000 + i, 1001 + i, '/usr/bin/bash', ['bash']));
    expect(findAgentProcess(1000, table(...chain))).toBeUndefined();
  });

  it('recognises a --fork-session agent by argv', () => {
    expect(isForkSession(proc(1, 0, '/x/claude', ['claude', '--resume', 'abc', '--fork-session']))).toBe(true);
    expect(isForkSession(CLAUDE)).toBe(false);
  });
});

describe('forkRoleOf', () => {
  let home: string | undefined;
  afterEach(() => {
    if (home) rmSync(home, { recursive: true, force: true });
    home = undefined;
  });
  const agent = proc(4242, 1, '/x/claude', ['claude', '-p', '--resume', 'PARENT', '--fork-session']);

  it('marks the SessionStart(resume) id as parent, the first other id as child, later ids as neither', () => {
    home = mkdtempSync(join(tmpdir(), 'dossier-fork-'));
    expect(forkRoleOf(home, agent, { session_id: 'CHILD', hook_event_name: 'UserPromptSubmit' })).toBeUndefined();
    expect(forkRoleOf(home, agent, { session_id: 'PARENT', hook_event_name: 'SessionStart', source: 'resume' })).toEqual({ role: 'parent' });
    expect(forkRoleOf(home, agent, { session_id: 'CHILD', hook_event_name: 'UserPromptSubmit' })).toEqual({ role: 'child', parent_id: 'PARENT' });
    expect(forkRoleOf(home, agent, { session_id: 'CHILD', hook_event_name: 'Stop' })).toEqual({ role: 'child', parent_id: 'PARENT' });
    expect(forkRoleOf(home, agent, { session_id: 'PARENT', hook_event_name: 'Stop' })).toEqual({ role: 'parent' });
    expect(forkRoleOf(home, agent, { session_id: 'AFTER-CLEAR', hook_event_name: 'SessionStart', source: 'clear' })).toBeUndefined();
    // Memos are per agent process: another process starts fresh.
    expect(forkRoleOf(home, { ...agent, pid: 4243 }, { session_id: 'CHILD', hook_event_name: 'Stop' })).toBeUndefined();
    expect(readdirSync(join(home, 'hooks-forks')).sort()).toEqual([`4242-${agent.start_time}.child`, `4242-${agent.start_time}.parent`]);
  });

  it('ignores payloads without a session id and unwritable homes', () => {
    home = mkdtempSync(join(tmpdir(), 'dossier-fork-'));
    expect(forkRoleOf(home, agent, { hook_event_name: 'SessionStart', source: 'resume' })).toBeUndefined();
    // A home below a regular file cannot hold memos (not /proc: Node's recursive mkdir hangs there).
    writeFileSync(join(home, 'plain-file'), '');
    expect(forkRoleOf(join(home, 'plain-file', 'home'), agent, { session_id: 'X', hook_event_name: 'SessionStart', source: 'resume' })).toBeUndefined();
  });
});
