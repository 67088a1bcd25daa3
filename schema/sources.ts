/**
 * Where an event came from, which agent framework produced it, and the fixed
 * order in which sources win when they disagree about a session field.
 */

/** Every source an event can come from. */
export const SOURCES = ['transcript', 'otel', 'hook', 'process', 'git'] as const;
/** One of {@link SOURCES}. */
export type Source = (typeof SOURCES)[number];

/** Agent frameworks dossier understands; only `claude_code` has collectors today. */
export const FRAMEWORKS = ['claude_code', 'codex', 'gemini'] as const;
/** One of {@link FRAMEWORKS}. */
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * Source priority for session fields: a lower index wins. `process` and `git`
 * never compete with the agent's own sources for the same field, so their place
 * only matters for fields they alone provide.
 */
export const SOURCE_PRIORITY: readonly Source[] = ['transcript', 'otel', 'hook', 'process', 'git'];

/** Rank of a source in {@link SOURCE_PRIORITY}; smaller is stronger. */
export function sourceRank(source: Source): number {
  return SOURCE_PRIORITY.indexOf(source);
}
