/**
 * The contract between collectors and the single writer. Collectors hand
 * batches to an {@link EventSink}; the promise settles only after the batch's
 * events and checkpoints are committed together in one transaction.
 */
import type { NormalizedEvent } from '../../schema/index.js';

/**
 * A collector's position in one of its inputs (a file offset, a spool
 * position). Committed in the same transaction as the events read before it.
 * `value` is opaque to the store: the collector chooses its format (JSON text).
 */
export interface Checkpoint {
  /** Collector type name, e.g. `transcripts`. */
  collector: string;
  /** The input within the collector, e.g. a file path. */
  key: string;
  /** The position; null forgets the checkpoint (an input the collector no longer tracks). */
  value: string | null;
}

/** One unit of ingest: events plus the checkpoints they advance. */
export interface IngestBatch {
  events: NormalizedEvent[];
  checkpoints?: Checkpoint[];
  /**
   * Each event's attrs in stored form, when the producer already has them
   * (see `eventsFromColumns`): `attrsJson[i]` is the JSON text `events[i]`
   * was built from, and `events[i]` is exactly what a load of its row will
   * return. The writer stores the text as is instead of serializing again.
   */
  attrsJson?: readonly string[];
}

/** Outcome of a committed batch. */
export interface IngestResult {
  received: number;
  inserted: number;
  duplicates: number;
}

/**
 * Where collectors send events. `submit` rejects with a `DossierError` coded
 * `DOSSIER_E_PIPELINE_QUEUE_FULL` (retry later; HTTP 429/503, gRPC
 * UNAVAILABLE) or `DOSSIER_E_PIPELINE_STOPPED`; it never drops a batch it
 * accepted.
 */
export interface EventSink {
  submit(batch: IngestBatch): Promise<IngestResult>;
  /** False while the queue is full or the pipeline is stopping; lets collectors pause reading instead of failing. */
  readonly accepting: boolean;
}

/** Reads back a collector's committed checkpoints at start-up (key → value). */
export interface CheckpointReader {
  load(collector: string): Map<string, string>;
}
