/**
 * The transcripts collector: tails every Claude Code transcript under the
 * Claude roots, exactly once, live and in backfill. One factory; the daemon
 * lists it in `daemon/components.ts`.
 */
import type { ComponentFactory } from '../../core/pipeline/component.js';
import { TranscriptsCollector, TRANSCRIPTS_TYPE } from './collector.js';
import { defaultTranscriptsConfig, validateTranscriptsConfig, type TranscriptsConfig } from './config.js';

export type { TranscriptsConfig } from './config.js';
export { TranscriptsCollector, TRANSCRIPTS_TYPE } from './collector.js';
export { defaultTranscriptsConfig, validateTranscriptsConfig } from './config.js';
export { resolveRoots } from './roots.js';
export { isScannerChoice } from './native-scanner.js';

/**
 * Factory of the transcripts collector. `create` validates the config
 * (throwing `DOSSIER_E_CONFIG_INVALID`) and returns a component whose
 * `start()` returns once the reader is launched; the backfill continues in
 * the background while the daemon serves queries.
 */
export const transcriptsFactory: ComponentFactory<TranscriptsConfig> = {
  type: TRANSCRIPTS_TYPE,
  stability: 'alpha',
  defaultConfig: defaultTranscriptsConfig,
  create(settings, config, sink) {
    return new TranscriptsCollector(settings, validateTranscriptsConfig(config), sink);
  },
};
