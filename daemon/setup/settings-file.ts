/**
 * Reading and writing a Claude Code settings.json for `dossier setup`: a
 * parse error is reported with its line and column and the file is left
 * untouched; writes keep the file's indentation and final newline, go
 * through a temp file and a rename (a crash leaves the old file or the new
 * one, never half of one), keep the file's mode, and save the previous bytes
 * as `<file>.dossier-backup` first.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DossierError } from '../../schema/errors.js';
import { jsonErrorPosition } from './json-error-position.js';

/** A settings file as read: its exact bytes (null when absent) and its parsed object. */
export interface SettingsFile {
  path: string;
  /** The file's text, or null when it does not exist. */
  text: string | null;
  settings: Record<string, unknown>;
}

/** Suffix of the copy of the previous bytes kept beside the file. */
export const BACKUP_SUFFIX = '.dossier-backup';

/**
 * Reads and parses the file. A missing or blank file is an empty object.
 * Throws `DOSSIER_E_CONFIG_INVALID` naming the file and the position for
 * invalid JSON or a top level that is not an object.
 */
export function readSettingsFile(given: string): SettingsFile {
  // A settings.json linked from a dotfiles repository is edited where it really lives, and stays a link.
  const path = realTarget(given);
  let text: string | null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DossierError('DOSSIER_E_CONFIG_INVALID', `${path}: cannot read it (${(error as Error).message})`, { cause: error });
    }
    text = null;
  }
  if (text === null || text.trim() === '') return { path, text, settings: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DossierError(
      'DOSSIER_E_CONFIG_INVALID',
      `${path} is not valid JSON (${where(text, error as Error)}); fix it or move it away, then run setup again. The file was not changed.`,
      { cause: error },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `${path} must hold a JSON object at the top level. The file was not changed.`);
  }
  return { path, text, settings: parsed as Record<string, unknown> };
}

/** Serializes settings in the style of `previous` (indent, final newline); 2 spaces and a newline for a new file. */
export function formatSettings(settings: Record<string, unknown>, previous: string | null): string {
  const indent = previous === null ? '  ' : (/^[ \t]+(?=")/m.exec(previous)?.[0] ?? '  ');
  const newline = previous === null || previous.trim() === '' || previous.endsWith('\n');
  return `${JSON.stringify(settings, null, indent)}${newline ? '\n' : ''}`;
}

/**
 * Replaces the file's content with `text`: previous bytes to the backup, then
 * temp file + rename in the same directory, keeping the old mode (0600 for a
 * new file: it may hold credentials in `env`). Returns the backup path, or
 * null when there was no previous file.
 */
export function writeSettingsAtomically(file: SettingsFile, text: string): string | null {
  mkdirSync(dirname(file.path), { recursive: true, mode: 0o700 });
  const mode = existsSync(file.path) ? statSync(file.path).mode & 0o777 : 0o600;
  let backup: string | null = null;
  if (file.text !== null) {
    backup = `${file.path}${BACKUP_SUFFIX}`;
    writeFileSync(backup, file.text, { mode });
    chmodSync(backup, mode);
  }
  replaceFile(file.path, text, mode);
  return backup;
}

/** Writes `text` to `path` through a temp file and a rename, with `mode`. */
export function replaceFile(path: string, text: string, mode: number): void {
  const temp = `${path}.dossier-tmp-${process.pid}`;
  writeFileSync(temp, text, { mode });
  try {
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** `line L, column C` of the first syntax error, then the parser's own words. */
function where(text: string, error: Error): string {
  const at = jsonErrorPosition(text);
  const words = error.message.replace(/\s+/g, ' ');
  return at ? `line ${at.line}, column ${at.column}: ${words}` : words;
}
