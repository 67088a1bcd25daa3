/**
 * Finds every transcript and every directory to watch under the Claude
 * roots: `projects/**` recursively (nested subagent folders included),
 * leaving out folders that only hold spilled tool output. Synchronous: it
 * runs in the reader worker, where blocking the thread costs nothing.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { FileIdentity } from './map-line.js';
import { classifyTranscript, PROJECTS_DIR, SKIPPED_DIRS } from './paths.js';

/** A transcript found on disk. */
export interface FoundFile {
  identity: FileIdentity;
  size: number;
  /** Creation time when the filesystem records one, else modification time (ms). */
  bornMs: number;
}

/** Everything found under the roots. */
export interface Discovery {
  files: FoundFile[];
  /** Directories to watch: each root, its `projects/`, and every folder below. */
  dirs: string[];
}

/**
 * Walks the roots. Files come sorted oldest first (creation time, then
 * path), so a session is read before the forks that copied it.
 */
export function discoverTranscripts(roots: readonly string[]): Discovery {
  const out: Discovery = { files: [], dirs: [] };
  for (const root of roots) {
    out.dirs.push(root);
    walk(root, join(root, PROJECTS_DIR), out);
  }
  out.files.sort((a, b) => a.bornMs - b.bornMs || (a.identity.path < b.identity.path ? -1 : a.identity.path > b.identity.path ? 1 : 0));
  return out;
}

/** Walks one directory below a root (used again when a new directory appears). */
export function walk(root: string, dir: string, out: Discovery): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  out.dirs.push(dir);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) walk(root, path, out);
      continue;
    }
    if (!e.isFile() || !e.name.endsWith('.jsonl')) continue;
    const identity = classifyTranscript(root, path);
    if (identity === null) continue;
    const found = statFound(identity);
    if (found) out.files.push(found);
  }
}

/** Stats one transcript; null when it vanished. */
export function statFound(identity: FileIdentity): FoundFile | null {
  try {
    const st = statSync(identity.path);
    const born = st.birthtimeMs > 0 ? st.birthtimeMs : st.mtimeMs;
    return { identity, size: st.size, bornMs: born };
  } catch {
    return null;
  }
}
