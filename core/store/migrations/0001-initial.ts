/**
 * Migration 0001: the event ledger, the session projection and the tables
 * that keep cross-session request ownership and collector checkpoints.
 *
 * Layout choices:
 * - Events refer to their session through a small integer `session_key`
 *   (table `session_keys`). The per-session index is the widest write cost of
 *   the backfill after the dedupe index; an integer instead of a 36-character
 *   UUID keeps it narrow (about 13 % smaller database in a 300k-event trial).
 * - `sessions` stores the full canonical record JSON plus the columns the list
 *   query filters and sorts on, all derived from that JSON, so a rebuild gives
 *   byte-identical rows. No wall-clock column lives there for the same reason.
 * - `request_claims` and `session_lineage` are derived from the ledger like
 *   the projection and are recomputed by a rebuild.
 */
import type { Migration } from './migration.js';

/** Creates every table of schema version 1. */
export const initialMigration: Migration = {
  version: 1,
  name: '0001-initial',
  sql: `
CREATE TABLE session_keys (
  session_key INTEGER PRIMARY KEY,
  session_id  TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE events (
  seq         INTEGER PRIMARY KEY,
  dedupe_key  TEXT NOT NULL UNIQUE,
  source      TEXT NOT NULL,
  framework   TEXT NOT NULL,
  session_key INTEGER NOT NULL,
  agent_id    TEXT,
  ts          INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  attrs       TEXT NOT NULL
) STRICT;
-- One index serves both loading a session for projection and its timeline
-- (oldest first by ts, then seq: seq is the rowid every index entry carries).
CREATE INDEX events_by_session ON events (session_key, ts);

CREATE TABLE sessions (
  session_id            TEXT PRIMARY KEY,
  activity_key          INTEGER NOT NULL,
  status                TEXT NOT NULL,
  hidden                INTEGER NOT NULL,
  first_started_at      INTEGER,
  last_activity         INTEGER,
  cwd                   TEXT,
  git_branch            TEXT,
  github_repo           TEXT,
  framework             TEXT NOT NULL,
  model                 TEXT,
  tokens_input          INTEGER NOT NULL,
  tokens_output         INTEGER NOT NULL,
  tokens_cache_read     INTEGER NOT NULL,
  tokens_cache_write    INTEGER NOT NULL,
  tokens_cache_write_1h INTEGER NOT NULL,
  cost_usd              REAL,
  reported_cost_usd     REAL,
  record                TEXT NOT NULL
) STRICT;
-- activity_key is last_activity with unknown as -1, so the default order
-- (most recent first, then id) is one index walk and cursors compare integers.
CREATE INDEX sessions_by_activity ON sessions (activity_key DESC, session_id);

CREATE TABLE session_usage (
  session_id            TEXT NOT NULL,
  dimension             TEXT NOT NULL CHECK (dimension IN ('model', 'agent')),
  name                  TEXT NOT NULL,
  requests              INTEGER NOT NULL,
  tokens_input          INTEGER NOT NULL,
  tokens_output         INTEGER NOT NULL,
  tokens_cache_read     INTEGER NOT NULL,
  tokens_cache_write    INTEGER NOT NULL,
  tokens_cache_write_1h INTEGER NOT NULL,
  reported_cost_usd     REAL,
  PRIMARY KEY (session_id, dimension, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE checkpoints (
  collector  TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (collector, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE request_claims (
  request_key TEXT NOT NULL,
  session_key INTEGER NOT NULL,
  first_ts    INTEGER NOT NULL,
  PRIMARY KEY (request_key, session_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX request_claims_by_session ON request_claims (session_key);

CREATE TABLE session_lineage (
  session_key INTEGER PRIMARY KEY,
  forked_from TEXT NOT NULL
) STRICT;
`,
};
