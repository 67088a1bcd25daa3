/**
 * API v1 request and response bodies (HTTP/1.1 + JSON over the Unix socket).
 * Every response carries the daemon version in the `Dossier-Version` header.
 * Changes inside v1 are additive; clients ignore fields they do not know.
 */
import type { ErrorCode } from './errors.js';
import type { StoredEvent } from './events.js';
import type { SessionRecord, SessionStatus } from './session.js';

/** Named time ranges every time-ranged query accepts (`range=`). */
export const RANGE_NAMES = ['today', 'yesterday', '7d', '30d', 'thismonth', 'lastmonth', 'all'] as const;
/** One of {@link RANGE_NAMES}. */
export type RangeName = (typeof RANGE_NAMES)[number];

/** The API version prefix of every path. */
export const API_VERSION = 'v1';
/** Response header carrying the daemon's version. */
export const VERSION_HEADER = 'dossier-version';

/** Body of every non-2xx response. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; retryable: boolean };
}

/** Ingest counters of the pipeline, as shown by `dossier status`. */
export interface PipelineCounters {
  received: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  batches: number;
  queue_depth: number;
  queue_capacity: number;
  /** Duration of the last committed batch, in ms. */
  last_commit_ms: number | null;
}

/** State of one running component (collector, API door). */
export interface ComponentStatus {
  name: string;
  state: 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';
  detail?: string;
}

/** `GET /v1/status` */
export interface StatusResponse {
  daemon_version: string;
  api_version: typeof API_VERSION;
  pid: number;
  started_at: number;
  uptime_ms: number;
  home: string;
  socket: string;
  database: {
    path: string;
    bytes: number;
    schema_version: number;
    events: number;
    sessions: number;
    /** The writer's in-memory copy of live sessions' events: sessions and events held, and the most events it may hold. */
    event_cache: { sessions: number; events: number; budget: number };
  };
  /** The daemon's memory, bytes: resident set, V8 heap in use and reserved, and off-heap buffers. */
  memory: { rss: number; heap_used: number; heap_total: number; external: number };
  pipeline: PipelineCounters;
  /** Per-event facts from every component (skipped lines, rejected records, …), by dotted name. */
  counters: Record<string, number>;
  components: ComponentStatus[];
}

/** Query of `GET /v1/sessions`; every field optional, filters combine with AND. */
export interface SessionListQuery {
  status?: SessionStatus[];
  /** Include ended sessions older than the default window, and hidden ones. */
  all?: boolean;
  /** Session id prefix. */
  id?: string;
  limit?: number;
  cursor?: string;
  /** Frameworks (any of). */
  framework?: string[];
  /** Working directory at or under this path; `project` is the same filter. */
  cwd?: string;
  /** GitHub `owner/name`, any case. */
  repo?: string;
  branch?: string;
  /** Last activity at or after / before: epoch ms, `YYYY-MM-DD`, ISO date-time, or a duration ago (`2h`). */
  since?: string;
  until?: string;
  /** A named range instead of since/until: `today`, `yesterday`, `7d`, `30d`, `thismonth`, `lastmonth`, `all`. */
  range?: string;
  /** IANA time zone for dates and named ranges (default: the daemon's). */
  tz?: string;
  /** First start to last activity at least this long: ms or `30m`, `2h`. */
  min_duration?: string;
  /** Text in the title or the first or last prompt (ASCII case-insensitive). */
  q?: string;
  /** true: only sessions not ended; false: only ended ones. */
  alive?: boolean;
  sort?: 'activity' | 'start' | 'duration' | 'tokens' | 'cost';
  order?: 'asc' | 'desc';
}

/** What `GET /v1/stats` can group by. */
export type StatsGroupBy = 'day' | 'model' | 'project' | 'repo' | 'framework';

/** Sums over a set of sessions, and their per-session averages. */
export interface StatsBucket {
  sessions: number;
  /** Not ended. */
  active: number;
  /** Ended. */
  completed: number;
  /** Sum of first start to last activity, ms. */
  duration_ms: number;
  tokens: { input: number; output: number; cache_read: number; cache_write: number; total: number };
  /** Sum of the priced sessions' cost; null when none is priced. */
  cost_usd: number | null;
  requests: number;
  errors: number;
  tool_calls: number;
  per_session: { duration_ms: number; tokens: number; cost_usd: number | null; requests: number; tool_calls: number };
}

/** `GET /v1/stats` */
export interface StatsResponse {
  /** The interval on last activity that was summed, [since, until); null: unbounded. */
  range: { name: string | null; since: number | null; until: number | null; tz: string };
  group_by: StatsGroupBy | null;
  totals: StatsBucket;
  /** Sorted by key (days ascending); `(unknown)` last. */
  groups: (StatsBucket & { key: string })[];
}

/** `GET /v1/sessions` */
export interface SessionListResponse {
  sessions: SessionRecord[];
  next_cursor: string | null;
}

/** `GET /v1/sessions/{id}` */
export interface SessionResponse {
  session: SessionRecord;
  /** CPU and memory of the session's process, while it is live and the liveness check has sampled it. */
  process_usage?: ProcessUsage;
}

/** One sample of a live session process (state of the moment, never stored in the ledger). */
export interface ProcessUsage {
  pid: number;
  /** Percent of one core since the previous sample. */
  cpu_percent: number;
  /** Resident set size, bytes. */
  memory_bytes: number;
  /** When the sample was taken, ms since epoch. */
  sampled_at: number;
}

/**
 * One event of a session's timeline: the stored event and a one-line
 * summary of what happened. With `attrs=false` in the request, `attrs` is
 * left out of every event (the type keeps it for the default case).
 */
export type TimelineEvent = StoredEvent & { summary: string };

/** `GET /v1/sessions/{id}/events` */
export interface SessionEventsResponse {
  session_id: string;
  events: TimelineEvent[];
  next_cursor: string | null;
}

/** `POST /v1/events` body: a batch accepted or rejected as a whole. */
export interface PostEventsRequest {
  events: unknown[];
}

/** `POST /v1/events` reply, sent only after the batch is committed. */
export interface PostEventsResponse {
  received: number;
  inserted: number;
  duplicates: number;
}

/** `POST /v1/rebuild` reply. */
export interface RebuildResponse {
  sessions: number;
  events: number;
  duration_ms: number;
  /** With `{"rescan": true}`: the collectors now re-reading their inputs from the start. */
  rescanning?: string[];
}

/** Rates of one token class set, USD per million tokens. */
export interface PriceRates {
  input: number;
  output: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
}

/** One model of `GET /v1/prices`. */
export interface PriceModelEntry extends PriceRates {
  id: string;
  aliases: string[];
  /** Legacy long-context rule: past the threshold, every token of a request is billed at these rates. */
  long_context: (PriceRates & { threshold_input_tokens: number }) | null;
  /** Whether the entry comes from the bundled table or the user's override file. */
  origin: 'bundled' | 'override';
}

/** `GET /v1/prices`: the price table in force and where it came from. */
export interface PricesResponse {
  source: string;
  retrieved: string;
  notes: string | null;
  bundled: { source: string; retrieved: string };
  /** The user's override file, when one was applied at start. */
  override: { path: string; source: string; retrieved: string } | null;
  models: PriceModelEntry[];
}

/**
 * One line (NDJSON) or one event (SSE) of `GET /v1/watch`. Every event's
 * `cursor` is a resume position: reconnect with `cursor=<the last one seen>`
 * to get every matching change after it.
 */
export type WatchEvent =
  /** A matching session as it was when the stream (re)started. */
  | { type: 'snapshot'; cursor: string; session: SessionRecord }
  /** The snapshot or replay is complete; live changes follow. */
  | { type: 'ready'; cursor: string; replayed: number; snapshot: boolean; truncated: boolean }
  /** A matching session changed (or appeared). */
  | { type: 'session'; cursor: string; session: SessionRecord }
  /** The cursor could not be replayed; a full snapshot follows. */
  | { type: 'reset'; cursor: string; reason: string }
  | { type: 'heartbeat'; cursor: string }
  /** The stream ends after this; resume with `cursor`. */
  | { type: 'error'; cursor: string; error: { code: ErrorCode; message: string } };

/** `GET /v1/export?format=json&session=…`: the record and what the session did (see core/query/session-report.ts). */
export interface ExportOneResponse {
  session: SessionRecord;
  report: {
    tools: { tool: string; calls: number; failures: number }[];
    files: { path: string; calls: number; tools: string[]; last_at: number }[];
    subagents: { agent_id: string; agent_type: string | null; description: string | null; requests: number; tokens: number }[];
    timeline: { ts: number; source: string; kind: string; agent_id: string | null; summary: string }[];
    events: number;
    truncated: boolean;
  };
}

/** `GET /v1/export?format=json` for a filtered set. */
export interface ExportManyResponse {
  sessions: SessionRecord[];
  /** More sessions matched than `limit`. */
  truncated: boolean;
}
