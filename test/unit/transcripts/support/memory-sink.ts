/**
 * An in-memory EventSink for collector tests: keeps events by dedupe key
 * (a known key is a duplicate, as in the store) and checkpoints by key,
 * committed together. Can refuse submits to exercise back-pressure.
 */
import { DossierError, type NormalizedEvent } from '../../../../schema/index.js';
import type { CheckpointReader, EventSink, IngestBatch, IngestResult } from '../../../../core/pipeline/sink.js';
import { applyCheckpoint } from '../../../support/checkpoints.js';

/** See the file comment. */
export class MemorySink implements EventSink, CheckpointReader {
  readonly events = new Map<string, NormalizedEvent>();
  readonly checkpoints = new Map<string, string>();
  submits = 0;
  /** Refuse this many upcoming submits with QUEUE_FULL. */
  refuseNext = 0;
  /** Fail this many upcoming submits with a store write error. */
  failNext = 0;
  accepting = true;
  #waiters: (() => void)[] = [];

  async submit(batch: IngestBatch): Promise<IngestResult> {
    this.submits++;
    if (this.refuseNext > 0) {
      this.refuseNext--;
      throw new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL');
    }
    if (this.failNext > 0) {
      this.failNext--;
      throw new DossierError('DOSSIER_E_STORE_WRITE', 'test failure');
    }
    await new Promise((r) => setImmediate(r));
    let inserted = 0;
    for (const e of batch.events) {
      if (this.events.has(e.dedupe_key)) continue;
      this.events.set(e.dedupe_key, e);
      inserted++;
    }
    for (const c of batch.checkpoints ?? []) applyCheckpoint(this.checkpoints, c.key, c.value);
    for (const w of this.#waiters.splice(0)) w();
    return { received: batch.events.length, inserted, duplicates: batch.events.length - inserted };
  }

  load(collector: string): Map<string, string> {
    return collector === 'transcripts' ? new Map(this.checkpoints) : new Map();
  }

  all(): NormalizedEvent[] {
    return [...this.events.values()];
  }

  /** Resolves when `check()` holds, re-checking after each commit; rejects after `ms`. */
  async until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 25);
      });
    }
  }
}

