/**
 * How `dossier daemon` wires the transcripts collector: `--claude-dir DIR`
 * (repeatable) adds a Claude root; `CLAUDE_CONFIG_DIR` (comma-separated) and
 * `~/.claude` are watched too unless `--claude-dirs-only`. Prompt text
 * follows the daemon's `--prompt-text`. `--transcripts-scanner` picks the
 * line scanner (see collectors/transcripts/native-scanner.ts).
 */
import { DossierError } from '../../schema/index.js';
import { isScannerChoice, transcriptsFactory, validateTranscriptsConfig, type TranscriptsConfig } from '../../collectors/transcripts/index.js';
import type { CollectorEntry } from '../components.js';

/** The `transcripts` collector entry for `COLLECTORS`. */
export const transcriptsEntry: CollectorEntry<TranscriptsConfig> = {
  factory: transcriptsFactory,
  flags: {
    'claude-dir': { type: 'string', multiple: true, valueName: 'DIR', description: 'a Claude config dir whose projects/ to read (repeatable; adds to ~/.claude and $CLAUDE_CONFIG_DIR)' },
    'claude-dirs-only': { type: 'boolean', description: 'read only the --claude-dir roots, not ~/.claude or $CLAUDE_CONFIG_DIR' },
    'transcripts-batch': { type: 'string', valueName: 'N', description: 'most events per transcripts batch (one transaction; default: 2000)' },
    'transcripts-scanner': { type: 'string', valueName: 'auto|native|js', description: 'transcript line scanner: the native addon when built (auto, the default), always it (native), or the JS one (js)' },
  },
  configure(defaults, flags, context) {
    const config: TranscriptsConfig = {
      ...defaults,
      claude_config_dir: context.env.CLAUDE_CONFIG_DIR ?? null,
      include_prompt_text: context.promptText === 'keep',
    };
    const dirs = flags['claude-dir'];
    const list = dirs === undefined ? [] : Array.isArray(dirs) ? dirs : [dirs];
    for (const dir of list) {
      if (typeof dir !== 'string' || dir.trim() === '') throw new DossierError('DOSSIER_E_CONFIG_INVALID', `--claude-dir: must be a directory (got ${JSON.stringify(dir)})`);
    }
    config.claude_dirs = list as string[];
    if (flags['claude-dirs-only'] === true) config.default_roots = false;
    const batch = flags['transcripts-batch'];
    if (typeof batch === 'string') {
      const n = /^\d{1,7}$/.test(batch) ? Number(batch) : Number.NaN;
      if (!(n >= 1)) throw new DossierError('DOSSIER_E_CONFIG_INVALID', `--transcripts-batch: must be a positive integer (got ${JSON.stringify(batch)})`);
      config.batch_max_events = n;
    }
    const scanner = flags['transcripts-scanner'];
    if (scanner !== undefined) {
      if (!isScannerChoice(scanner)) throw new DossierError('DOSSIER_E_CONFIG_INVALID', `--transcripts-scanner: must be auto, native or js (got ${JSON.stringify(scanner)})`);
      config.scanner = scanner;
    }
    return validateTranscriptsConfig(config);
  },
};
