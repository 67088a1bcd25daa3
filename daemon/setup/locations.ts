/**
 * Which Claude Code settings files `dossier setup claude` edits: the user's
 * (`~/.claude/settings.json`, or each root of `CLAUDE_CONFIG_DIR`), or a
 * project's shared `.claude/settings.json`. Also finds whether `dossier` is
 * on PATH, since the default hook command relies on it.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** Where to look. */
export interface LocationInputs {
  /** Project directory: edit `<dir>/.claude/settings.json` instead of the user's settings. */
  projectDir?: string | undefined;
  /** Explicit config dirs (`--config-dir`), instead of `CLAUDE_CONFIG_DIR` / `~/.claude`. */
  configDirs?: readonly string[] | undefined;
  env: Readonly<Record<string, string | undefined>>;
  userHome: string;
}

/** The settings files to edit, absolute, without duplicates. */
export function claudeSettingsPaths(inputs: LocationInputs): string[] {
  if (inputs.projectDir !== undefined) return [resolve(inputs.projectDir, '.claude', 'settings.json')];
  const fromEnv = (inputs.env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const dirs = inputs.configDirs && inputs.configDirs.length > 0 ? inputs.configDirs : fromEnv.length > 0 ? fromEnv : [join(inputs.userHome, '.claude')];
  return [...new Set(dirs.map((d) => resolve(d, 'settings.json')))];
}

/** True when an executable named `name` is in one of PATH's directories. */
export function onPath(name: string, env: Readonly<Record<string, string | undefined>>): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not here.
    }
  }
  return false;
}
