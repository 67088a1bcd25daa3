/**
 * Commits a group of coalesced submissions as one writer transaction and
 * works out what each submitter is told.
 */
import { DossierError, type NormalizedEvent } from '../../schema/index.js';
import { attributeResults } from './attribution.js';
import type { PendingSubmission } from './pending-queue.js';
import type { Checkpoint, IngestResult } from './sink.js';

/**
 * Attrs already in stored form, by event position (see `IngestBatch.attrsJson`);
 * undefined where the writer must serialize the event's attrs itself.
 */
export type StoredAttrs = readonly (string | undefined)[];

/** What the pipeline needs from the store: one synchronous, all-or-nothing commit. */
export interface BatchWriter {
  commit(
    events: readonly NormalizedEvent[],
    checkpoints: readonly Checkpoint[],
    storedAttrs?: StoredAttrs,
  ): { inserted_flags: readonly boolean[]; touched_sessions: readonly string[] };
}

/** A committed group: each submission's own counts, in order. */
export interface GroupCommitted {
  ok: true;
  results: IngestResult[];
  events: number;
  inserted: number;
  touched_sessions: readonly string[];
  duration_ms: number;
}

/**
 * A failed group. `DOSSIER_E_STORE_WRITE`: the transaction rolled back, nothing
 * was written. `DOSSIER_E_INTERNAL`: the writer committed but answered with a
 * result that does not fit the batch, so counts cannot be given.
 */
export interface GroupFailed {
  ok: false;
  error: DossierError;
  events: number;
}

/** Sends every event and checkpoint of `group`, in submission order, as one commit. */
export function commitGroup(writer: BatchWriter, group: readonly PendingSubmission[], clock: () => number): GroupCommitted | GroupFailed {
  const events = group.flatMap((s) => s.batch.events);
  const checkpoints = group.flatMap((s) => s.batch.checkpoints ?? []);
  const started = clock();
  let outcome: ReturnType<BatchWriter['commit']>;
  try {
    outcome = writer.commit(events, checkpoints, storedAttrsOf(group));
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: new DossierError('DOSSIER_E_STORE_WRITE', detail, { cause }), events: events.length };
  }
  const durationMs = clock() - started;
  let results: IngestResult[];
  try {
    results = attributeResults(
      group.map((s) => s.batch.events.length),
      outcome.inserted_flags,
    );
  } catch (cause) {
    return { ok: false, error: new DossierError('DOSSIER_E_INTERNAL', 'writer result does not match the batch', { cause }), events: events.length };
  }
  return {
    ok: true,
    results,
    events: events.length,
    inserted: results.reduce((sum, r) => sum + r.inserted, 0),
    touched_sessions: outcome.touched_sessions,
    duration_ms: durationMs,
  };
}

/** The group's stored-form attrs by event position, or undefined when no submission brought any. */
function storedAttrsOf(group: readonly PendingSubmission[]): StoredAttrs | undefined {
  if (!group.some((s) => s.batch.attrsJson !== undefined)) return undefined;
  return group.flatMap((s): StoredAttrs => {
    const { events, attrsJson } = s.batch;
    // A text list that does not match its events is not trusted at all.
    return attrsJson !== undefined && attrsJson.length === events.length ? attrsJson : new Array<undefined>(events.length).fill(undefined);
  });
}
