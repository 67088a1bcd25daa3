/**
 * Size bounds applied at every boundary. Anything over a bound is rejected to
 * its sender or skipped and counted; nothing over a bound reaches the ledger.
 */
export const LIMITS = {
  /** Longest session, agent, request, tool-use or prompt id. */
  maxIdLength: 256,
  /** Longest name (tool, agent type, metric, command, event name). */
  maxNameLength: 256,
  /** Longest dedupe key. */
  maxDedupeKeyLength: 512,
  /** Longest free-text attribute (prompt, error, title, summary). Collectors truncate to this. */
  maxTextLength: 16_384,
  /** Largest serialized `attrs` object of one event, in bytes. */
  maxAttrsBytes: 64 * 1024,
  /** Most events in one POST /v1/events batch. */
  maxEventsPerRequest: 10_000,
  /** Largest API request body, in bytes. */
  maxRequestBodyBytes: 16 * 1024 * 1024,
} as const;
