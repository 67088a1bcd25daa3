/**
 * The push feed daemon/main gives the git enricher: main wraps the event
 * sink it hands to every collector with {@link tapSink}, so each committed
 * batch's cwds reach the enricher as sightings, without the enricher ever
 * reading the store. A batch collapses to one sighting per (session, cwd).
 */
import type { EventSink, IngestBatch, IngestResult } from '../../core/pipeline/sink.js';
import type { NormalizedEvent } from '../../schema/index.js';
import type { CwdSighting, CwdSubscribe } from './config.js';

/** Fans committed events' cwds out to subscribers (the git enricher's `onCwd`). */
export class CwdHub {
  readonly #listeners = new Set<(sighting: CwdSighting) => void>();

  /** Pass this as the git component's `onCwd`. */
  readonly subscribe: CwdSubscribe = (listener) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /**
   * Reports the cwds of committed events: the newest activity per
   * (session, cwd). The enricher's own `git` events are skipped so its
   * output never feeds its input.
   */
  observe(events: readonly NormalizedEvent[]): void {
    if (this.#listeners.size === 0) return;
    const newest = new Map<string, CwdSighting>();
    for (const event of events) {
      if (event.source === 'git') continue;
      const cwd = event.attrs.cwd;
      if (typeof cwd !== 'string' || cwd === '') continue;
      const key = `${event.session_id}\n${cwd}`;
      const seen = newest.get(key);
      if (!seen || event.ts > seen.at) {
        newest.set(key, { session_id: event.session_id, framework: event.framework, cwd, at: event.ts });
      }
    }
    for (const sighting of newest.values()) {
      for (const listener of this.#listeners) listener(sighting);
    }
  }
}

/**
 * An {@link EventSink} that forwards to `sink` and, once a batch is
 * committed, shows its events to `hub`. Refusals pass through unchanged.
 */
export function tapSink(sink: EventSink, hub: CwdHub): EventSink {
  return {
    get accepting() {
      return sink.accepting;
    },
    async submit(batch: IngestBatch): Promise<IngestResult> {
      const result = await sink.submit(batch);
      hub.observe(batch.events);
      return result;
    },
  };
}
