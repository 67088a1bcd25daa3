/**
 * The collectors the daemon runs, in one list. Nothing registers itself by
 * being imported: adding a collector is one line in {@link COLLECTORS}, plus
 * its flags and config mapping (an {@link CollectorEntry}, best kept in
 * `daemon/flags/<type>.ts`). `dossier daemon` offers every entry's flags,
 * validates them once at start, and starts the collectors in list order after
 * the store, the pipeline and the API (stopping them first, in reverse).
 */
import { DossierError } from '../schema/index.js';
import type { Component, ComponentFactory, ComponentSettings, Stability } from '../core/pipeline/component.js';
import type { EventSink } from '../core/pipeline/sink.js';
import type { CwdSubscribe } from '../collectors/git/index.js';
import { gitEntry } from './flags/git.js';
import { transcriptsEntry } from './flags/transcripts.js';
import { otlpEntry } from './flags/otlp.js';
import { hooksEntry } from './flags/hooks.js';
import { processEntry } from './flags/process.js';

/** One `dossier daemon` flag contributed by a collector. */
export interface CollectorFlag {
  type: 'string' | 'boolean';
  /** One line for `dossier daemon --help`. */
  description: string;
  /** Placeholder shown in help for string flags, e.g. `PORT`. */
  valueName?: string;
  /** The flag may be repeated; its value is then the list of every occurrence. */
  multiple?: boolean;
}

/** Parsed flag values; a flag that was not given is absent (a repeatable one is a list). */
export type FlagValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** Whether the text of user prompts is stored (`--prompt-text`); their length and slash command always are. */
export type PromptTextMode = 'keep' | 'drop';

/** The values `--prompt-text` accepts, default first. */
export const PROMPT_TEXT_MODES: readonly PromptTextMode[] = ['keep', 'drop'];

/** What a config mapping may read besides the flags. */
export interface ConfigureContext {
  env: Readonly<Record<string, string | undefined>>;
  /** The state directory. */
  home: string;
  /** The daemon-wide prompt-text setting every collector that sees prompts applies. */
  promptText: PromptTextMode;
  /** Cwds of committed events, as they are committed (the git enricher's feed). */
  cwdFeed?: CwdSubscribe;
}

/** A collector as `dossier daemon` wires it. */
export interface CollectorEntry<C> {
  factory: ComponentFactory<C>;
  /** Flag names (without `--`) this collector adds; prefix them with the collector type. */
  flags: Readonly<Record<string, CollectorFlag>>;
  /**
   * Builds the collector's config from its defaults and the flags. Throws
   * `DossierError('DOSSIER_E_CONFIG_INVALID', '--flag: reason (got value)')`
   * on a bad value. Called once, before anything starts.
   */
  configure(defaults: C, flags: FlagValues, context: ConfigureContext): C;
}

/** A collector whose config is validated and frozen, ready to be created. */
export interface PreparedCollector {
  readonly type: string;
  readonly stability: Stability;
  create(settings: ComponentSettings, sink: EventSink): Component;
}

/** A collector entry with its config type erased, so entries of different types share one list. */
export interface CollectorPlan {
  readonly type: string;
  readonly stability: Stability;
  readonly flags: Readonly<Record<string, CollectorFlag>>;
  /** Validates the flags into a frozen config; throws `DOSSIER_E_CONFIG_INVALID`. */
  prepare(flags: FlagValues, context: ConfigureContext): PreparedCollector;
}

/** Wraps a typed {@link CollectorEntry} for {@link COLLECTORS}. */
export function collector<C>(entry: CollectorEntry<C>): CollectorPlan {
  const { factory } = entry;
  return {
    type: factory.type,
    stability: factory.stability,
    flags: entry.flags,
    prepare(flags, context) {
      const config = deepFreeze(entry.configure(factory.defaultConfig(), flags, context));
      return {
        type: factory.type,
        stability: factory.stability,
        create: (settings, sink) => factory.create(settings, config, sink),
      };
    },
  };
}

/**
 * Every collector, in start order. Add one line per collector, e.g.
 * `collector(transcriptsEntry),` with the entry imported from `./flags/transcripts.js`.
 */
export const COLLECTORS: readonly CollectorPlan[] = [
  collector(gitEntry),
  collector(transcriptsEntry),
  collector(otlpEntry),
  collector(hooksEntry),
  collector(processEntry),
];

/**
 * Picks the collectors to run: `all` (the default) or a list of types.
 * Throws `DOSSIER_E_CONFIG_INVALID` naming an unknown type.
 */
export function selectCollectors(plans: readonly CollectorPlan[], wanted: 'all' | readonly string[]): CollectorPlan[] {
  if (wanted === 'all') return [...plans];
  const known = plans.map((p) => p.type);
  for (const type of wanted) {
    if (!known.includes(type)) {
      throw new DossierError(
        'DOSSIER_E_CONFIG_INVALID',
        `--collectors: unknown collector (got ${JSON.stringify(type)}; known: ${known.join(', ') || 'none'})`,
      );
    }
  }
  return plans.filter((p) => wanted.includes(p.type));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
