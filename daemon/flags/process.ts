/**
 * How `dossier daemon` wires the `process` collector (liveness): how often
 * live sessions are checked and how long a session without a PID may stay
 * silent before it is ended.
 */
import { processFactory, type ProcessConfig } from '../../collectors/process/component.js';
import type { CollectorEntry } from '../components.js';
import { parseDurationFlag } from './duration.js';

/** The `process` collector entry for `COLLECTORS`. */
export const processEntry: CollectorEntry<ProcessConfig> = {
  factory: processFactory,
  flags: {
    'liveness-interval': {
      type: 'string',
      valueName: 'DURATION',
      description: 'how often live sessions are checked for their process, e.g. 3s (default: 3s)',
    },
    'inactivity-window': {
      type: 'string',
      valueName: 'DURATION',
      description: 'sessions without a known process end after this long without activity, e.g. 24h (default: 24h)',
    },
    'no-process-usage': { type: 'boolean', description: 'do not sample CPU and memory of live session processes' },
  },
  configure(defaults, flags) {
    const config: ProcessConfig = { ...defaults };
    const interval = parseDurationFlag('liveness-interval', flags['liveness-interval'], { minMs: 100 });
    if (interval !== undefined) config.intervalMs = interval;
    const window = parseDurationFlag('inactivity-window', flags['inactivity-window'], { minMs: 1_000 });
    if (window !== undefined) config.inactivityMs = window;
    if (flags['no-process-usage'] === true) config.sampleUsage = false;
    return config;
  },
};
