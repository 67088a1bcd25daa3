/**
 * The record of what `dossier setup claude` did to one settings file, kept in
 * dossier's state dir (never beside the user's settings, which may be shared
 * in a repository): what it added, the bytes from before the first setup,
 * and a hash of what it wrote. `--undo` restores those bytes exactly when the
 * file is still what setup wrote, and otherwise takes out only the additions.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SetupAdditions } from './claude-plan.js';
import { replaceFile } from './settings-file.js';

/** One settings file's setup record. */
export interface SetupManifest {
  version: 1;
  settings_path: string;
  /** The file's text before the first setup (null: there was no file); absent once unknown (edited in between). */
  before?: string | null;
  /** sha256 of the text setup last wrote. */
  written_sha256: string;
  owned: SetupAdditions;
}

/** sha256 (hex) of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Where the manifest of `settingsPath` lives inside the state dir. */
export function manifestPath(stateDir: string, settingsPath: string): string {
  return join(stateDir, 'setup', `claude-${sha256(resolve(settingsPath)).slice(0, 16)}.json`);
}

/** Reads a manifest; undefined when there is none or it is unreadable (treated as no record). */
export function readManifest(path: string): SetupManifest | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as SetupManifest;
    return value.version === 1 && typeof value.written_sha256 === 'string' && value.owned ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a manifest atomically (mode 0600). */
export function writeManifest(path: string, manifest: SetupManifest): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  replaceFile(path, `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
}

/** Deletes a manifest if present. */
export function removeManifest(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Nothing recorded: nothing to forget.
  }
}
