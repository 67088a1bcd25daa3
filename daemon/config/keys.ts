/**
 * The daemon's configuration keys: one per `dossier daemon` flag, with the
 * same name, so a flag, a config-file key and an environment variable
 * (`DOSSIER_` + the name in upper snake case) always mean the same thing.
 */
import type { CollectorPlan } from '../components.js';
import { DEFAULT_EVENT_CACHE_EVENTS } from '../event-cache-flag.js';

/** One configuration key. */
export interface ConfigKey {
  /** The flag name without `--`, also the config-file key. */
  name: string;
  type: 'string' | 'boolean';
  /** A list: repeatable flag, JSON array in the file, comma list in the environment. */
  multiple?: boolean;
  description: string;
  /** SIGHUP applies a new value without a restart. */
  reloadable: boolean;
  /** The default, as shown by `dossier config`; absent when the owner computes it. */
  defaultValue?: string;
}

/** Keys of the daemon itself (collectors add theirs). `config` names the file and is not a key of it. */
export const BASE_KEYS: readonly ConfigKey[] = [
  { name: 'home', type: 'string', description: 'state directory', reloadable: false },
  { name: 'socket', type: 'string', description: 'API socket path', reloadable: false },
  { name: 'log-level', type: 'string', description: 'fatal, error, warn, info, debug, trace or silent', reloadable: true, defaultValue: 'info' },
  { name: 'log-file', type: 'string', description: 'JSON log file with size-based rotation, or off', reloadable: false, defaultValue: '<state>/logs/dossier.log' },
  { name: 'collectors', type: 'string', description: 'all, none, or a comma list of collector types', reloadable: false, defaultValue: 'all' },
  { name: 'retention-days', type: 'string', description: 'age after which gc prunes bulky raw attributes', reloadable: true, defaultValue: '90' },
  { name: 'event-cache', type: 'string', description: 'events of live sessions the writer keeps in memory (0: none)', reloadable: false, defaultValue: String(DEFAULT_EVENT_CACHE_EVENTS) },
  { name: 'prompt-text', type: 'string', description: 'keep or drop the text of user prompts (every collector)', reloadable: false, defaultValue: 'keep' },
];

/** Every key: the daemon's, then each collector's flags. */
export function configKeys(plans: readonly CollectorPlan[]): ConfigKey[] {
  const keys = [...BASE_KEYS];
  for (const plan of plans) {
    for (const [name, flag] of Object.entries(plan.flags)) {
      keys.push({ name, type: flag.type, multiple: flag.multiple, description: flag.description, reloadable: false });
    }
  }
  return keys;
}

/** The environment variable of a key: `log-level` → `DOSSIER_LOG_LEVEL`. */
export function envNameOf(key: string): string {
  return `DOSSIER_${key.toUpperCase().replace(/-/g, '_')}`;
}
