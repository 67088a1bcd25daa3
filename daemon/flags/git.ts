/**
 * How `dossier daemon` wires the git enricher: its flags, and its config
 * built from them plus the cwd feed the composition root offers.
 */
import { DossierError } from '../../schema/index.js';
import { gitEnricherFactory, validateGitConfig, type GitEnricherConfig } from '../../collectors/git/index.js';
import type { CollectorEntry } from '../components.js';

/** The `git` collector entry for {@link COLLECTORS}. */
export const gitEntry: CollectorEntry<GitEnricherConfig> = {
  factory: gitEnricherFactory,
  flags: {
    'git-binary': { type: 'string', valueName: 'PATH', description: 'git executable used for enrichment (default: git on PATH)' },
    'git-timeout-ms': { type: 'string', valueName: 'MS', description: 'longest one git command may run (default: 5000)' },
  },
  configure(defaults, flags, context) {
    const config: GitEnricherConfig = { ...defaults };
    const binary = flags['git-binary'];
    if (typeof binary === 'string') config.binary = binary;
    const timeout = flags['git-timeout-ms'];
    if (typeof timeout === 'string') {
      const ms = /^\d{1,9}$/.test(timeout) ? Number(timeout) : Number.NaN;
      if (!(ms >= 1)) throw new DossierError('DOSSIER_E_CONFIG_INVALID', `--git-timeout-ms: must be a positive integer of milliseconds (got ${JSON.stringify(timeout)})`);
      config.commandTimeoutMs = ms;
      config.resolveTimeoutMs = Math.max(config.resolveTimeoutMs, ms);
    }
    if (context.cwdFeed) config.onCwd = context.cwdFeed;
    return validateGitConfig(config);
  },
};
