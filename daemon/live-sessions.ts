/**
 * The sessions liveness watches, read from the store for components that
 * need them (`ComponentSettings.liveSessions`): every session not ended,
 * hidden ones included (a hidden session can still hold a process).
 */
import type { LiveSessionFacts } from '../core/pipeline/component.js';
import type { LedgerReader } from '../core/store/types.js';

/** Sessions per page read from the store. */
const PAGE = 1000;

/** A `liveSessions` function over the store's read side: pages through every session whose status is not `ended`. */
export function liveSessionsFrom(reader: Pick<LedgerReader, 'listSessions'>): () => Promise<LiveSessionFacts[]> {
  return async () => {
    const out: LiveSessionFacts[] = [];
    let cursor: string | undefined;
    do {
      const page = reader.listSessions({ status: ['busy', 'waiting', 'idle'], include_hidden: true, limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) });
      for (const s of page.sessions) {
        out.push({ session_id: s.session_id, framework: s.framework, pid: s.pid, process_start_time: s.process_start_time, last_activity: s.last_activity });
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    return out;
  };
}
