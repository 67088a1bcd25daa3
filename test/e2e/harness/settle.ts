/**
 * Waits for dossier to finish ingesting what a scenario produced, then hands
 * back the records to assert on. Ingestion is asynchronous (file watching,
 * OTLP exports, hook spool), so the wait polls; but a record that matches
 * once is not enough — an over-count can arrive later — so it also waits
 * until every session's event count has stopped moving.
 */
import type { SessionRecord } from '../../../schema/index.js';
import { compareSession, type ExpectedSession, type Mismatch } from './expected.js';

/** Reads the current record of a session, or null when dossier has none. */
export type RecordReader = (sessionId: string) => Promise<SessionRecord | null>;

/** The outcome of {@link settle}. */
export interface Settled {
  records: Map<string, SessionRecord | null>;
  mismatches: Map<string, Mismatch[]>;
  /** True when every session matched and stayed quiet; false when the deadline passed first. */
  matched: boolean;
  waitedMs: number;
}

/** Options of {@link settle}. */
export interface SettleOptions {
  /** Give up after this long and return what is there (the assertions then show the diff). */
  timeoutMs?: number;
  /** How long event counts must stay unchanged after everything matched. */
  quietMs?: number;
  pollMs?: number;
}

function signature(records: Map<string, SessionRecord | null>): string {
  return [...records.entries()].map(([id, r]) => `${id}:${r?.n_events ?? -1}:${r?.api_request_count ?? -1}`).join('|');
}

/** Polls until every expected session matches and is quiet, or the deadline passes. */
export async function settle(read: RecordReader, expected: readonly ExpectedSession[], options: SettleOptions = {}): Promise<Settled> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const quietMs = options.quietMs ?? 1_500;
  const pollMs = options.pollMs ?? 250;
  const started = Date.now();
  let quietSince: number | null = null;
  let lastSignature = '';
  for (;;) {
    const records = new Map<string, SessionRecord | null>();
    const mismatches = new Map<string, Mismatch[]>();
    for (const e of expected) {
      const record = await read(e.session_id);
      records.set(e.session_id, record);
      mismatches.set(e.session_id, compareSession(record, e));
    }
    const allMatch = [...mismatches.values()].every((m) => m.length === 0);
    const sig = signature(records);
    if (sig !== lastSignature) {
      lastSignature = sig;
      quietSince = Date.now();
    }
    const waitedMs = Date.now() - started;
    if (allMatch && quietSince !== null && Date.now() - quietSince >= quietMs) return { records, mismatches, matched: true, waitedMs };
    if (waitedMs >= timeoutMs) return { records, mismatches, matched: false, waitedMs };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
