/**
 * What `dossier setup claude` changes in a Claude Code settings object, as
 * pure functions over parsed JSON: add dossier's hooks and OTel exporter
 * variables without touching anything the user wrote, and take out exactly
 * what an earlier setup added. The file handling is in `settings-file.ts`.
 */

/** Hook events dossier installs (every event Claude Code 2.1.197 was seen to send that dossier maps). */
export const CLAUDE_HOOK_EVENTS = [
  'Setup',
  'SessionStart',
  'InstructionsLoaded',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PostToolUseFailure',
  'PostToolBatch',
  'Notification',
  'SubagentStart',
  'SubagentStop',
  'TaskCreated',
  'TaskCompleted',
  'PreCompact',
  'PostCompact',
  'CwdChanged',
  'Stop',
  'StopFailure',
  'SessionEnd',
] as const;

/** Events Claude Code runs only `command` (and `mcp_tool`) handlers for: never `http`. */
export const COMMAND_ONLY_EVENTS: ReadonlySet<string> = new Set(['SessionStart', 'Setup']);

/** Seconds Claude Code waits for one of dossier's hooks; the forwarder's own deadline is far shorter. */
export const HOOK_TIMEOUT_SECONDS = 10;

/** What to install. */
export interface ClaudeSetupOptions {
  hooks: 'command' | 'http';
  /** Shell command of the forwarder, e.g. `dossier hook`. */
  hookCommand: string;
  /** URL of `POST /v1/hooks/claude_code` on the loopback door. */
  hookUrl: string;
  /** OTel exporter variables to set; empty to leave OTel alone. */
  env: Readonly<Record<string, string>>;
}

/** One hook handler as settings.json holds it. */
export type HookHandler = Record<string, unknown>;

/** What a setup added, so `--undo` can take out exactly that. */
export interface SetupAdditions {
  env: Record<string, string>;
  hooks: { event: string; handler: HookHandler }[];
}

/** The outcome of planning. */
export interface SetupPlan {
  settings: Record<string, unknown>;
  /** Everything dossier now owns in the settings (kept from before plus added now). */
  owned: SetupAdditions;
  /** Counts of what this run adds. */
  added: { hooks: number; env: number };
  /**
   * Variables the user already set to other values: left alone, reported.
   * `pairedWith`: this one is unset, and left so because the variable it only
   * works with (named) is the user's. `overrides`: `key` is the user's
   * per-signal variable that takes precedence over dossier's (named) for
   * that signal, so that signal does not reach dossier.
   */
  conflicts: { key: string; theirs: string; ours: string; pairedWith?: string; overrides?: string }[];
}

/**
 * Variables that only work together: a protocol sent to another protocol's
 * endpoint fails every export. When the user set either to another value than
 * dossier's, dossier sets neither.
 */
const PAIRED_ENV: readonly string[] = ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_ENDPOINT'];

/** Per-signal variables the OTel exporters read before the generic ones dossier sets. */
const SIGNAL_OVERRIDES: readonly (readonly [generic: string, perSignal: string])[] = ['LOGS', 'METRICS', 'TRACES'].flatMap((signal) => [
  ['OTEL_EXPORTER_OTLP_ENDPOINT', `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`] as const,
  ['OTEL_EXPORTER_OTLP_PROTOCOL', `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] as const,
]);

/** The env dossier sets so Claude Code exports OTel to the daemon. */
export function otelEnv(endpoint: string, protocol: string): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  };
}

/** The handlers dossier wants, one per event. */
export function wantedHooks(options: ClaudeSetupOptions): { event: string; handler: HookHandler }[] {
  return CLAUDE_HOOK_EVENTS.map((event) => ({
    event,
    handler:
      options.hooks === 'http' && !COMMAND_ONLY_EVENTS.has(event)
        ? { type: 'http', url: options.hookUrl, timeout: HOOK_TIMEOUT_SECONDS }
        : { type: 'command', command: options.hookCommand, timeout: HOOK_TIMEOUT_SECONDS },
  }));
}

/**
 * Plans a setup over `current` (a parsed settings object). `previous` is what
 * an earlier setup recorded: its handlers that are no longer wanted (another
 * hook mode, another command) are taken out, its variables stay dossier's.
 * Throws a `SettingsShapeError` when the user's `hooks` or `env` are not the
 * shape Claude Code reads (they are never overwritten).
 */
export function planSetup(current: Readonly<Record<string, unknown>>, previous: SetupAdditions | undefined, options: ClaudeSetupOptions): SetupPlan {
  const wanted = wantedHooks(options);
  const stale = (previous?.hooks ?? []).filter((p) => !wanted.some((w) => w.event === p.event && sameJson(w.handler, p.handler)));
  const staleEnv = Object.fromEntries(Object.entries(previous?.env ?? {}).filter(([key, value]) => options.env[key] !== value));
  const settings = removeAdditions(current, { env: staleEnv, hooks: stale });
  const owned: SetupAdditions = { env: {}, hooks: [] };
  const added = { hooks: 0, env: 0 };
  const conflicts: SetupPlan['conflicts'] = [];

  const hooks = objectField(settings, 'hooks');
  for (const { event, handler } of wanted) {
    const groups = arrayField(hooks, event, 'hooks');
    if (groups.some((g) => handlersOf(g).some((h) => sameJson(h, handler)))) {
      // Present already: dossier's only if an earlier setup put it there, else the user's own.
      if (previous?.hooks.some((p) => p.event === event && sameJson(p.handler, handler))) owned.hooks.push({ event, handler });
      continue;
    }
    groups.push({ hooks: [handler] });
    owned.hooks.push({ event, handler });
    added.hooks += 1;
  }
  if (Object.keys(options.env).length > 0) {
    const env = objectField(settings, 'env');
    const theirPair = PAIRED_ENV.find((key) => options.env[key] !== undefined && env[key] !== undefined && env[key] !== options.env[key]);
    for (const [key, value] of Object.entries(options.env)) {
      const theirs = env[key];
      const heldBack = theirPair !== undefined && theirPair !== key && PAIRED_ENV.includes(key);
      // A partner an earlier setup added (or the user's pair changed since) is taken back out.
      if (heldBack && theirs === value && previous?.env[key] === value) delete env[key];
      if (heldBack && (env[key] === undefined)) {
        conflicts.push({ key, theirs: '', ours: value, pairedWith: theirPair });
      } else if (theirs === undefined) {
        env[key] = value;
        owned.env[key] = value;
        added.env += 1;
      } else if (theirs === value) {
        if (previous?.env[key] === value) owned.env[key] = value;
      } else {
        conflicts.push({ key, theirs: String(theirs), ours: value });
      }
    }
    for (const [generic, perSignal] of SIGNAL_OVERRIDES) {
      const ours = options.env[generic];
      const theirs = env[perSignal];
      // An endpoint under dossier's own (its /v1/<signal> path) still reaches dossier.
      const reachesUs = ours !== undefined && typeof theirs === 'string' && (theirs === ours || (generic.endsWith('ENDPOINT') && theirs.startsWith(`${ours.replace(/\/$/, '')}/`)));
      if (ours !== undefined && theirs !== undefined && !reachesUs) conflicts.push({ key: perSignal, theirs: String(theirs), ours, overrides: generic });
    }
  }
  return { settings, owned, added, conflicts };
}

/**
 * `current` without `additions`: each added handler (equal JSON) is removed;
 * a matcher group, event list, `hooks` or `env` object left empty by that is
 * removed too; a variable is removed only while it still has dossier's value.
 */
export function removeAdditions(current: Readonly<Record<string, unknown>>, additions: SetupAdditions): Record<string, unknown> {
  const settings = structuredClone(current) as Record<string, unknown>;
  const hooks = settings.hooks;
  if (isObject(hooks)) {
    for (const { event, handler } of additions.hooks) {
      const groups = hooks[event];
      if (!Array.isArray(groups)) continue;
      for (let i = groups.length - 1; i >= 0; i--) {
        const group: unknown = groups[i];
        if (!isObject(group) || !Array.isArray(group.hooks)) continue;
        const kept = group.hooks.filter((h) => !sameJson(h, handler));
        if (kept.length === group.hooks.length) continue;
        if (kept.length === 0) groups.splice(i, 1);
        else group.hooks = kept;
        break;
      }
      if (groups.length === 0) delete hooks[event];
    }
    if (Object.keys(hooks).length === 0) delete settings.hooks;
  }
  const env = settings.env;
  if (isObject(env)) {
    for (const [key, value] of Object.entries(additions.env)) if (env[key] === value) delete env[key];
    if (Object.keys(env).length === 0) delete settings.env;
  }
  return settings;
}

/** A settings value of a shape Claude Code would not read: reported, never overwritten. */
export class SettingsShapeError extends Error {}

function objectField(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = parent[key];
  if (value === undefined) {
    const fresh: Record<string, unknown> = {};
    parent[key] = fresh;
    return fresh;
  }
  if (!isObject(value)) throw new SettingsShapeError(`"${key}" must be an object (got ${describe(value)})`);
  return value;
}

function arrayField(parent: Record<string, unknown>, key: string, parentName: string): unknown[] {
  const value = parent[key];
  if (value === undefined) {
    const fresh: unknown[] = [];
    parent[key] = fresh;
    return fresh;
  }
  if (!Array.isArray(value)) throw new SettingsShapeError(`"${parentName}.${key}" must be an array of matcher groups (got ${describe(value)})`);
  return value;
}

function handlersOf(group: unknown): unknown[] {
  return isObject(group) && Array.isArray(group.hooks) ? group.hooks : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}
