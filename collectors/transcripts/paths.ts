/**
 * Where Claude Code keeps transcripts, and what a path under a root means:
 * `projects/<project>/<sessionId>.jsonl` is a main transcript;
 * `projects/<project>/<sessionId>/subagents/**\/agent-<id>.jsonl` is a
 * subagent transcript of that session (with `agent-<id>.meta.json` beside
 * it); older versions wrote `agent-<id>.jsonl` flat in the project folder
 * (their session comes from the lines). Anything else is not a transcript.
 */
import { basename, join, relative, sep } from 'node:path';
import type { FileIdentity } from './map-line.js';

/** The folder under a Claude root that holds the transcripts. */
export const PROJECTS_DIR = 'projects';

/** Folders under a project that never hold transcripts (large spilled tool outputs). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['tool-results', 'file-history', 'session-env']);

const AGENT_FILE = /^agent-(.+)\.jsonl$/;

/**
 * What the file at `path` is, given the Claude root it was found under; null
 * when it is not a transcript.
 */
export function classifyTranscript(root: string, path: string): FileIdentity | null {
  const rel = relative(join(root, PROJECTS_DIR), path);
  if (rel.startsWith('..') || !rel.endsWith('.jsonl')) return null;
  const parts = rel.split(sep);
  if (parts.length < 2) return null;
  const name = basename(path);
  const agent = AGENT_FILE.exec(name);
  if (parts.length === 2) {
    const stem = name.slice(0, -'.jsonl'.length);
    if (agent) return { path, kind: 'subagent', sessionId: stem, agentId: agent[1]! };
    return stem.length > 0 ? { path, kind: 'main', sessionId: stem, agentId: null } : null;
  }
  const sub = parts.indexOf('subagents');
  if (agent && sub >= 2 && sub < parts.length - 1) {
    return { path, kind: 'subagent', sessionId: parts[sub - 1]!, agentId: agent[1]! };
  }
  return null;
}

/** The sidecar of a subagent transcript (`agent-<id>.meta.json`). */
export function metaPathOf(transcriptPath: string): string {
  return `${transcriptPath.slice(0, -'.jsonl'.length)}.meta.json`;
}
