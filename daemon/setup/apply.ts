/**
 * `dossier setup claude` and `--undo` on one settings file: plan, compare,
 * write (or only preview), and keep the manifest that makes the undo exact.
 */
import { statSync, unlinkSync } from 'node:fs';
import { DossierError } from '../../schema/errors.js';
import { planSetup, removeAdditions, SettingsShapeError, wantedHooks, type ClaudeSetupOptions, type SetupPlan } from './claude-plan.js';
import { manifestPath, readManifest, removeManifest, sha256, writeManifest, type SetupManifest } from './manifest.js';
import { formatSettings, readSettingsFile, replaceFile, writeSettingsAtomically, type SettingsFile } from './settings-file.js';

/** Which settings file, and where dossier keeps its record of it. */
export interface SetupTarget {
  settingsPath: string;
  /** dossier's state dir (`DOSSIER_HOME`). */
  stateDir: string;
}

/** What a setup did (or, with `print`, would do). */
export interface SetupOutcome {
  path: string;
  action: 'written' | 'unchanged' | 'preview';
  added: SetupPlan['added'];
  conflicts: SetupPlan['conflicts'];
  backup: string | null;
  /** The full new file text (for `--print`, and for tests). */
  text: string;
}

/** What an undo did (or would do). */
export interface UndoOutcome {
  path: string;
  /** `restored`: the exact bytes from before; `removed`: only dossier's additions taken out; `nothing`: nothing of dossier's there. */
  action: 'restored' | 'removed' | 'nothing' | 'preview';
  /** True when no record existed and dossier's hooks were recognised by their command/URL alone. */
  withoutRecord: boolean;
  /** The text after the undo; null when the file is (or would be) deleted. */
  text: string | null;
}

/**
 * Adds dossier's hooks and env to the file. Throws `DOSSIER_E_CONFIG_INVALID`
 * for a file that is not valid JSON or whose `hooks`/`env` have the wrong
 * shape; the file is untouched then.
 */
export function applySetup(target: SetupTarget, options: ClaudeSetupOptions, print: boolean): SetupOutcome {
  const file = readSettingsFile(target.settingsPath);
  const recordPath = manifestPath(target.stateDir, target.settingsPath);
  const manifest = readManifest(recordPath);
  const plan = shaped(file, () => planSetup(file.settings, manifest?.owned, options));
  const changed = JSON.stringify(plan.settings) !== JSON.stringify(file.settings);
  const text = changed ? formatSettings(plan.settings, file.text) : (file.text ?? '');
  const base = { path: file.path, added: plan.added, conflicts: plan.conflicts, text };
  if (!changed) return { ...base, action: 'unchanged', backup: null };
  if (print) return { ...base, action: 'preview', backup: null };
  const backup = writeSettingsAtomically(file, text);
  const next: SetupManifest = { version: 1, settings_path: file.path, written_sha256: sha256(text), owned: plan.owned };
  const before = pristineBefore(file, manifest);
  if (before !== undefined) next.before = before;
  writeManifest(recordPath, next);
  return { ...base, action: 'written', backup };
}

/**
 * Takes out what setup added. With a record and an untouched file, restores
 * the exact bytes from before the first setup (deleting a file setup
 * created); with a record and a file edited since, removes only the recorded
 * additions; without a record, removes handlers equal to the ones `options`
 * would install and leaves env alone.
 */
export function applyUndo(target: SetupTarget, options: ClaudeSetupOptions, print: boolean): UndoOutcome {
  const file = readSettingsFile(target.settingsPath);
  const recordPath = manifestPath(target.stateDir, target.settingsPath);
  const manifest = readManifest(recordPath);
  const untouched = manifest !== undefined && file.text !== null && sha256(file.text) === manifest.written_sha256;
  if (manifest !== undefined && untouched && manifest.before !== undefined) {
    if (!print) {
      if (manifest.before === null) unlinkSync(file.path);
      else replaceFile(file.path, manifest.before, statSync(file.path).mode & 0o777);
      removeManifest(recordPath);
    }
    return { path: file.path, action: print ? 'preview' : 'restored', withoutRecord: false, text: manifest.before };
  }
  const additions = manifest?.owned ?? { env: {}, hooks: wantedHooks(options) };
  const settings = shaped(file, () => removeAdditions(file.settings, additions));
  const changed = JSON.stringify(settings) !== JSON.stringify(file.settings);
  const text = changed ? formatSettings(settings, file.text) : file.text;
  if (!print) {
    if (changed) writeSettingsAtomically(file, text!);
    removeManifest(recordPath);
  }
  return { path: file.path, action: print ? 'preview' : changed ? 'removed' : 'nothing', withoutRecord: manifest === undefined, text };
}

/**
 * The bytes an undo may restore: the file's text before the first setup,
 * carried over while the file stays exactly as setup last wrote it. After an
 * edit in between they are unknown, and undo falls back to removing additions.
 */
function pristineBefore(file: SettingsFile, manifest: SetupManifest | undefined): string | null | undefined {
  if (manifest === undefined) return file.text;
  const untouched = file.text !== null && sha256(file.text) === manifest.written_sha256;
  return untouched ? manifest.before : undefined;
}

function shaped<T>(file: SettingsFile, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof SettingsShapeError)) throw error;
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `${file.path}: ${error.message}. The file was not changed.`, { cause: error });
  }
}
