/**
 * The Claude roots to watch: `~/.claude` by default, every directory named
 * in `CLAUDE_CONFIG_DIR` (comma-separated, as Claude Code and ccusage accept
 * it), and each `--claude-dir`. Each root holds a `projects/` folder.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where roots come from. */
export interface RootSources {
  /** Use `~/.claude` and `CLAUDE_CONFIG_DIR`. */
  useDefaults: boolean;
  /** Extra roots (`--claude-dir`, repeatable). */
  extra: readonly string[];
  /** Environment to read `CLAUDE_CONFIG_DIR` from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Home directory for `~/.claude` and `~/` expansion. */
  home?: string;
}

/** Absolute, de-duplicated root directories (symlinks resolved when they exist), in order: defaults first, then extras. */
export function resolveRoots(src: RootSources): string[] {
  const home = src.home ?? homedir();
  const expand = (p: string): string => {
    const t = p.trim();
    const withHome = t === '~' ? home : t.startsWith('~/') ? join(home, t.slice(2)) : t;
    const abs = resolve(withHome);
    // The same directory reached two ways (a symlinked ~/.claude) is one root.
    try {
      return realpathSync(abs);
    } catch {
      return abs;
    }
  };
  const out: string[] = [];
  const add = (p: string) => {
    if (p.trim().length === 0) return;
    const abs = expand(p);
    if (!out.includes(abs)) out.push(abs);
  };
  if (src.useDefaults) {
    add(join(home, '.claude'));
    for (const dir of (src.env.CLAUDE_CONFIG_DIR ?? '').split(',')) add(dir);
  }
  for (const dir of src.extra) add(dir);
  return out;
}
