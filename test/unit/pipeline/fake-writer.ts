/**
 * An in-memory {@link BatchWriter} for pipeline tests: dedupes by key like
 * the store, records every commit call, and can be told to fail.
 */
import { afterEach } from 'vitest';
import { IngestPipeline, type BatchWriter } from '../../../core/pipeline/ingest-pipeline.js';
import type { StoredAttrs } from '../../../core/pipeline/commit-group.js';
import type { Checkpoint } from '../../../core/pipeline/sink.js';
import type { NormalizedEvent } from '../../../schema/index.js';
import { applyCheckpoint } from '../../support/checkpoints.js';

/** One call to `commit`, as seen by the fake. */
export interface CommitCall {
  events: NormalizedEvent[];
  checkpoints: Checkpoint[];
  storedAttrs: StoredAttrs | undefined;
}

/** In-memory writer with the store's dedupe semantics. */
export class FakeWriter implements BatchWriter {
  readonly calls: CommitCall[] = [];
  readonly keys = new Set<string>();
  readonly checkpoints = new Map<string, string>();
  /** While set, every commit throws it before keeping anything (a broken disk). */
  broken: Error | null = null;
  /** A commit holding an event with one of these dedupe keys throws before keeping anything (bad input). */
  readonly poison = new Set<string>();

  commit(events: readonly NormalizedEvent[], checkpoints: readonly Checkpoint[], storedAttrs?: StoredAttrs) {
    this.calls.push({ events: [...events], checkpoints: [...checkpoints], storedAttrs });
    if (this.broken) throw this.broken;
    const bad = events.find((e) => this.poison.has(e.dedupe_key));
    if (bad) throw new Error(`cannot store ${bad.dedupe_key}`);
    const flags = events.map((e) => {
      if (this.keys.has(e.dedupe_key)) return false;
      this.keys.add(e.dedupe_key);
      return true;
    });
    for (const cp of checkpoints) applyCheckpoint(this.checkpoints, `${cp.collector}/${cp.key}`, cp.value);
    const touched = [...new Set(events.filter((_, i) => flags[i]).map((e) => e.session_id))].sort();
    return { inserted_flags: flags, touched_sessions: touched };
  }
}

/**
 * Registers an `afterEach` that stops every pipeline made by the returned
 * function during the test, so no writer loop outlives it.
 */
export function pipelinesStoppedAfterEach(): (writer: BatchWriter, options?: ConstructorParameters<typeof IngestPipeline>[1]) => IngestPipeline {
  const open: IngestPipeline[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.stop(1_000)));
  });
  return (writer, options = {}) => {
    const p = new IngestPipeline(writer, options);
    open.push(p);
    return p;
  };
}
