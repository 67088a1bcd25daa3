/**
 * Dedupe keys for transcript events. A key derives only from what the line
 * itself says (its `uuid`, or the session and content for lines without
 * one), never from where or when it was read, so re-reading a file after a
 * restart, a truncation or a replacement inserts nothing new. A line copied
 * into another file (fork, old-style resume) keeps its uuid and therefore
 * its key: it is stored once, for the session that was read first.
 */

/** Prefix of every transcript key. */
const PREFIX = 't:';

/** A uuid without dashes (32 hex characters); other ids are kept as they are. */
export function compactId(id: string): string {
  if (id.length !== 36 || id.charCodeAt(8) !== 0x2d || id.charCodeAt(13) !== 0x2d || id.charCodeAt(18) !== 0x2d || id.charCodeAt(23) !== 0x2d) return id;
  return id.slice(0, 8) + id.slice(9, 13) + id.slice(14, 18) + id.slice(19, 23) + id.slice(24);
}

/** Key of the event `suffix` (e.g. `r`, `c0`) produced by the line with this uuid. */
export function lineKey(uuid: string, suffix: string): string {
  return `${PREFIX}${compactId(uuid)}:${suffix}`;
}

/** Key of a per-session fact (`ss` started, `sf` forked, `sa:<agent>` subagent). */
export function sessionKey(kind: string, sessionId: string, extra?: string): string {
  return extra === undefined ? `${PREFIX}${kind}:${compactId(sessionId)}` : `${PREFIX}${kind}:${compactId(sessionId)}:${extra}`;
}

/**
 * 53-bit FNV-1a style hash of a string, in base 36. Used for lines that have
 * no uuid (titles, summaries): equal content gives an equal key.
 */
export function contentHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  const hi = (h2 >>> 0) & 0x1fffff;
  return (hi * 0x100000000 + (h1 >>> 0)).toString(36);
}

/** Key of an event from a line without a uuid, identified by session, kind and content. */
export function contentKey(kind: string, sessionId: string, content: string): string {
  return `${PREFIX}${kind}:${compactId(sessionId)}:${contentHash(content)}`;
}
