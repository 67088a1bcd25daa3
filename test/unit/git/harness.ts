/**
 * A recording sink and component settings for the git enricher's tests: the
 * sink keeps every batch and its checkpoints, and can refuse the first
 * submits as a full queue would.
 */
import { pino } from 'pino';
import type { ComponentSettings } from '../../../core/pipeline/component.js';
import { Counters } from '../../../core/pipeline/counters.js';
import type { EventSink, IngestBatch, IngestResult } from '../../../core/pipeline/sink.js';
import { DossierError, type EventOf } from '../../../schema/index.js';
import { applyCheckpoint } from '../../support/checkpoints.js';

/** Keeps what was submitted; dedupes by key like the store would. */
export class RecordingSink implements EventSink {
  readonly batches: IngestBatch[] = [];
  readonly keys = new Set<string>();
  readonly checkpoints = new Map<string, string>();
  accepting = true;
  /** Submits to refuse with `DOSSIER_E_PIPELINE_QUEUE_FULL` before accepting. */
  refuseNext = 0;

  async submit(batch: IngestBatch): Promise<IngestResult> {
    if (this.refuseNext > 0) {
      this.refuseNext--;
      throw new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL');
    }
    this.batches.push(batch);
    let inserted = 0;
    for (const event of batch.events) {
      if (!this.keys.has(event.dedupe_key)) inserted++;
      this.keys.add(event.dedupe_key);
    }
    for (const c of batch.checkpoints ?? []) applyCheckpoint(this.checkpoints, `${c.collector}\0${c.key}`, c.value);
    return { received: batch.events.length, inserted, duplicates: batch.events.length - inserted };
  }

  /** Every git.context event submitted, in order. */
  get events(): EventOf<'git.context'>[] {
    return this.batches.flatMap((b) => b.events).filter((e): e is EventOf<'git.context'> => e.kind === 'git.context');
  }

  /** The checkpoints of one collector, as a CheckpointReader would return them. */
  load(collector: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of this.checkpoints) {
      const [c, key] = k.split('\0');
      if (c === collector && key !== undefined) out.set(key, v);
    }
    return out;
  }
}

/** Settings with a silent logger, fresh counters, the real clock, and checkpoints read from `from`. */
export function settingsFor(from?: RecordingSink): ComponentSettings {
  return {
    logger: pino({ level: 'silent' }),
    counters: new Counters(),
    checkpoints: { load: (collector) => from?.load(collector) ?? new Map() },
    home: '/nonexistent-dossier-home',
    now: Date.now,
  };
}
