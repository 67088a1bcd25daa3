/**
 * How the transcripts collector hands read batches to the pipeline: which
 * queued batches go together in one submission, and submitting one such
 * group until it is committed (a full queue is waited out with a growing
 * back-off) or cannot be committed as read.
 */
import { isDossierError } from '../../schema/index.js';
import type { ComponentSettings } from '../../core/pipeline/component.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import type { TailBatch } from './tailer.js';
import { sleep } from '../wait.js';

/** Longest back-off between submission attempts, and the pause after a failed commit, ms. */
export const MAX_BACKOFF_MS = 1_000;
/**
 * Most events in one submission. Batches that queued up while the previous
 * submission committed go together: a transaction of a few thousand events
 * costs little more than one of a few hundred (index pages are written once
 * per commit), so a backfill commits in large transactions.
 */
export const SUBMIT_MAX_EVENTS = 10_000;

/** What {@link submitGroup} submits through and reports to. */
export interface SubmitContext {
  sink: EventSink;
  /** Collector type the checkpoints are stored under. */
  collector: string;
  /** Where the transcripts counters and the failure log line go. */
  settings: Pick<ComponentSettings, 'counters' | 'logger'>;
  /** Aborted on shutdown: submitting gives up (false) and back-off waits end early. */
  signal: AbortSignal;
}

/**
 * Submits the group's events with the checkpoints they advance until
 * committed (true, counting inserted and duplicate events), or until it
 * cannot be committed as read (false: aborted, pipeline stopped, or the
 * commit failed, which is counted and logged).
 */
export async function submitGroup(group: readonly TailBatch[], ctx: SubmitContext): Promise<boolean> {
  const events = group.length === 1 ? group[0]!.events : group.flatMap((b) => b.events);
  const checkpoints = group.flatMap((b) => b.checkpoints.map((c) => ({ collector: ctx.collector, key: c.key, value: c.value })));
  let backoff = 10;
  const waitAndBackOff = async (): Promise<void> => {
    await sleep(backoff, ctx.signal);
    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
  };
  for (;;) {
    if (ctx.signal.aborted) return false;
    if (!ctx.sink.accepting) {
      await waitAndBackOff();
      continue;
    }
    try {
      const result = await ctx.sink.submit({ events, checkpoints });
      const counters = ctx.settings.counters;
      counters.inc('transcripts.events_inserted', result.inserted);
      counters.inc('transcripts.events_duplicate', result.duplicates);
      return true;
    } catch (error) {
      if (isDossierError(error, 'DOSSIER_E_PIPELINE_QUEUE_FULL')) {
        await waitAndBackOff();
        continue;
      }
      if (isDossierError(error, 'DOSSIER_E_PIPELINE_STOPPED')) return false;
      ctx.settings.counters.inc('transcripts.batches_failed');
      ctx.settings.logger.error({ err: error, events: events.length }, 'transcripts batch not committed; its files will be read again');
      return false;
    }
  }
}

/**
 * The leading batches of `pending` that go in one submission: at least one,
 * then more while the total stays within `maxEvents`. Order is kept, so a
 * file's checkpoints still advance in the order they were read.
 */
export function takeSubmitGroup(pending: readonly TailBatch[], maxEvents: number): TailBatch[] {
  const group: TailBatch[] = [];
  let events = 0;
  for (const batch of pending) {
    if (group.length > 0 && events + batch.events.length > maxEvents) break;
    group.push(batch);
    events += batch.events.length;
  }
  return group;
}
