/**
 * How `dossier daemon` wires the `hooks` collector (the spool reader; live
 * hook calls come through `POST /v1/hooks/{framework}` on the socket and on
 * the loopback HTTP door).
 */
import { hooksFactory, type HooksConfig } from '../../collectors/hooks/component.js';
import type { CollectorEntry } from '../components.js';
import { parseDurationFlag } from './duration.js';

/** The `hooks` collector entry for `COLLECTORS`. */
export const hooksEntry: CollectorEntry<HooksConfig> = {
  factory: hooksFactory,
  flags: {
    'hooks-spool-interval': {
      type: 'string',
      valueName: 'DURATION',
      description: 'how often spooled hook calls are ingested, e.g. 2s or 500ms (default: 2s)',
    },
  },
  configure(defaults, flags, context) {
    const config: HooksConfig = { ...defaults, includePromptText: context.promptText === 'keep' };
    const interval = parseDurationFlag('hooks-spool-interval', flags['hooks-spool-interval'], { minMs: 50 });
    if (interval !== undefined) config.spoolIntervalMs = interval;
    return config;
  },
};
