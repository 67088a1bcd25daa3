/**
 * API v1 types of the maintenance routes: `POST /v1/backup` and `POST /v1/gc`.
 * Kept beside api.ts so the CLI and the daemon share them.
 */

/** `POST /v1/backup` body. */
export interface BackupRequest {
  /** Absolute path of the new backup file. */
  path: string;
  /** Replace an existing file (default false: refuse). */
  overwrite?: boolean;
}

/** `POST /v1/backup` reply: the checked copy. */
export interface BackupResponse {
  /** The backup file, absolute. */
  path: string;
  bytes: number;
  /** Events and sessions in the copy. */
  events: number;
  sessions: number;
  schema_version: number;
  duration_ms: number;
}

/** `POST /v1/gc` body; every field optional. */
export interface GcRequest {
  /** Prune events older than this many days (default: the daemon's retention setting). */
  older_than_days?: number;
  /** Count what would be pruned, change nothing. */
  dry_run?: boolean;
}

/** `POST /v1/gc` reply: what the run did. */
export interface GcResponse {
  /** Events older than this time (ms since epoch) were considered. */
  before: number;
  dry_run: boolean;
  /** Events that had at least one prunable attribute and were (or would be) pruned. */
  events_pruned: number;
  bytes_before: number;
  bytes_after: number;
  vacuumed: boolean;
  /** Why no vacuum ran, or why it failed; null when it ran. */
  vacuum_note: string | null;
  duration_ms: number;
}
