/**
 * What the API needs from the rest of the daemon, as narrow interfaces so the
 * handlers can be tested with plain fakes and the composition root decides
 * what stands behind them.
 */
import type { ClaudeHookOptions } from '../../collectors/hooks/claude-map.js';
import type { PricesResponse, ProcessUsage, StatusResponse } from '../../schema/index.js';
import type { ChangeFeed } from '../../core/query/change-feed.js';
import type { Counters } from '../../core/pipeline/counters.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import type { LedgerReader } from '../../core/store/types.js';

/** The services behind the API routes. */
export interface ApiDeps {
  /** Read side of the store. */
  reader: Pick<LedgerReader, 'listSessions' | 'findSession' | 'listEvents' | 'sessionStats'>;
  /** Where `POST /v1/events` batches go; settles after commit. */
  sink: EventSink;
  /** Recomputes the session projection from the ledger (`POST /v1/rebuild`). */
  rebuild(): Promise<{ sessions: number; events: number }> | { sessions: number; events: number };
  /**
   * Asks the collectors that can re-read their inputs from the start (the
   * transcripts) to do so (`POST /v1/rebuild` with `{"rescan": true}`);
   * returns their types. The re-read runs in the background.
   */
  rescan?(): string[];
  /** A full status snapshot (`GET /v1/status`). */
  status(): StatusResponse;
  /** The effective price table (`GET /v1/prices`); without it the route answers the bundled table. */
  prices?(): PricesResponse;
  /** Wall clock, ms since epoch (the default session window is relative to it). */
  now(): number;
  /** Shared counters; the API counts refused requests here. */
  counters: Counters;
  /** Committed session changes, for `GET /v1/watch`; without it that route answers 404. */
  changes?: ChangeFeed;
  /** The latest CPU/memory sample of a session's process, when the liveness collector runs and has one. */
  processUsage?(sessionId: string): ProcessUsage | undefined;
  /** How `POST /v1/hooks/{framework}` maps calls (prompt text kept or not); without it the mapping's defaults (text kept). */
  hookOptions?: ClaudeHookOptions;
}
