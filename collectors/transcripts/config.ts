/**
 * Configuration of the transcripts collector: defaults for everything, one
 * validation at start that names the field, the reason and the value.
 */
import { DossierError } from '../../schema/index.js';
import { isScannerChoice, type ScannerChoice } from './native-scanner.js';

/** See {@link defaultTranscriptsConfig} for the defaults. */
export interface TranscriptsConfig {
  /** Extra Claude roots to watch (`--claude-dir`, repeatable). */
  claude_dirs: string[];
  /** Also watch `~/.claude` and the directories in {@link claude_config_dir}. */
  default_roots: boolean;
  /** Value of `CLAUDE_CONFIG_DIR` (comma-separated roots), or null when unset. */
  claude_config_dir: string | null;
  /** Keep the text of prompts in the ledger (off: only length and slash command); the daemon sets it from `--prompt-text`. */
  include_prompt_text: boolean;
  /** Transcript lines longer than this many bytes are skipped and counted. */
  max_line_bytes: number;
  /** Most events per batch handed to the pipeline. */
  batch_max_events: number;
  /** Most transcript bytes read per batch. */
  batch_max_bytes: number;
  /** Period of the safety-net rescan that catches changes the watcher missed (ms; 0 = never). */
  rescan_interval_ms: number;
  /** Delay that coalesces bursts of file-change notifications (ms). */
  debounce_ms: number;
  /** Watch directories for live changes. */
  watch: boolean;
  /** Parse in a worker thread (`worker`) or on the daemon's thread (`inline`). */
  reader: 'worker' | 'inline';
  /** Line scanner: the native addon when it is built (`auto`), always it (`native`: start fails without it), or the JS one (`js`). */
  scanner: ScannerChoice;
  /** Draw a backfill progress line on stderr: when it is a terminal (`auto`), `always`, or `never`. */
  progress: 'auto' | 'always' | 'never';
}

/** Defaults: watch `~/.claude`, read in a worker, keep prompt text (as the daemon's `--prompt-text` does by default). */
export function defaultTranscriptsConfig(): TranscriptsConfig {
  return {
    claude_dirs: [],
    default_roots: true,
    claude_config_dir: null,
    include_prompt_text: true,
    max_line_bytes: 16 * 1024 * 1024,
    batch_max_events: 2_000,
    batch_max_bytes: 16 * 1024 * 1024,
    rescan_interval_ms: 60_000,
    debounce_ms: 5,
    watch: true,
    reader: 'worker',
    scanner: 'auto',
    progress: 'auto',
  };
}

/** Throws `DOSSIER_E_CONFIG_INVALID` (`field: reason (got value)`) on the first bad field. */
export function validateTranscriptsConfig(c: TranscriptsConfig): TranscriptsConfig {
  const bad = (field: string, reason: string, got: unknown): never => {
    throw new DossierError('DOSSIER_E_CONFIG_INVALID', `transcripts.${field}: ${reason} (got ${JSON.stringify(got)})`);
  };
  if (!Array.isArray(c.claude_dirs) || c.claude_dirs.some((d) => typeof d !== 'string' || d.trim() === '')) bad('claude_dirs', 'must be a list of directories', c.claude_dirs);
  const ints: [keyof TranscriptsConfig, number, number][] = [
    ['max_line_bytes', 1024, 1024 * 1024 * 1024],
    ['batch_max_events', 1, 1_000_000],
    ['batch_max_bytes', 1024, 1024 * 1024 * 1024],
    ['rescan_interval_ms', 0, 24 * 3_600_000],
    ['debounce_ms', 0, 10_000],
  ];
  for (const [field, min, max] of ints) {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(field, `must be an integer from ${min} to ${max}`, v);
  }
  if (c.reader !== 'worker' && c.reader !== 'inline') bad('reader', 'must be worker or inline', c.reader);
  if (!isScannerChoice(c.scanner)) bad('scanner', 'must be auto, native or js', c.scanner);
  if (!['auto', 'always', 'never'].includes(c.progress)) bad('progress', 'must be auto, always or never', c.progress);
  return c;
}
