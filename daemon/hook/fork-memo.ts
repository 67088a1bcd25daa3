/**
 * Which side of a fork a hook call of a `--fork-session` agent speaks for.
 * Claude Code 2.1.197 reports the fork's SessionStart under the PARENT's id
 * (`source: "resume"`) and everything after under the new CHILD id. Every
 * hook call is a separate process, so the forwarder keeps a tiny memo per
 * agent process (pid + start time) in the state dir:
 * - `<agent>.parent` holds the id the SessionStart(resume) reported;
 * - `<agent>.child` holds the first other id the same process reported.
 * Both are claimed with a hard link of a finished temp file, which fails if
 * the name exists: concurrent hook calls agree on one value and a reader
 * never sees a half-written one. Later `/clear` sessions of the same process
 * are neither parent nor child. The daemon sweeps old memos.
 */
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessInfo } from '../../collectors/process/proc-info.js';
import { FORK_MEMO_DIR_NAME, type ForkRole } from '../../collectors/hooks/wire.js';

/** The few payload fields the decision needs. */
export interface ForkPayloadFacts {
  session_id?: unknown;
  hook_event_name?: unknown;
  source?: unknown;
}

/**
 * Decides the call's fork role for an agent started with `--fork-session`;
 * undefined when the call is neither side (or the memo cannot be kept).
 */
export function forkRoleOf(home: string, agent: ProcessInfo, payload: ForkPayloadFacts): ForkRole | undefined {
  const sessionId = payload.session_id;
  if (typeof sessionId !== 'string' || sessionId === '') return undefined;
  const dir = join(home, FORK_MEMO_DIR_NAME);
  const base = join(dir, `${agent.pid}-${agent.start_time}`);
  try {
    if (payload.hook_event_name === 'SessionStart' && payload.source === 'resume') {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      claim(`${base}.parent`, sessionId);
    }
    const parent = readMemo(`${base}.parent`);
    if (parent === undefined) return undefined;
    if (sessionId === parent) return { role: 'parent' };
    const child = claim(`${base}.child`, sessionId);
    return child === sessionId ? { role: 'child', parent_id: parent } : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `value` under `path` unless it exists; returns what `path` holds afterwards. */
function claim(path: string, value: string): string | undefined {
  const existing = readMemo(path);
  if (existing !== undefined) return existing;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, value, { mode: 0o600 });
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return readMemo(path);
}

function readMemo(path: string): string | undefined {
  try {
    const value = readFileSync(path, 'utf8');
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}
