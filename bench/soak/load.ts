/**
 * The soak test's simulated hour: many sessions, each a stream of API
 * requests seen by two sources (transcript and OTel, the same request id, as
 * Claude Code reports it twice), tool calls from hooks, and status changes,
 * cut into one batch per simulated minute. The ground truth is the sum of
 * every distinct request's usage per session.
 */
import type { NormalizedEvent } from '../../schema/index.js';
import { ev, usage } from '../../test/support/events.js';
import { seededRandom } from '../../test/support/seeded-random.js';

/** Shape of the hour. */
export interface LoadShape {
  sessions: number;
  minutes: number;
  /** Requests per session per minute, on average. */
  requestsPerMinute: number;
  seed: number;
}

/** What every session must add up to. */
export interface SessionTruth {
  requests: number;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
}

/** The hour as minute batches, and the truth per session. */
export interface SoakLoad {
  batches: NormalizedEvent[][];
  truth: Map<string, SessionTruth>;
  events: number;
}

/** Builds the hour ending now. */
export function buildLoad(shape: LoadShape, now: number): SoakLoad {
  const rand = seededRandom(shape.seed);
  const start = now - shape.minutes * 60_000;
  const ids = Array.from({ length: shape.sessions }, (_, i) => `50a50000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
  const truth = new Map(ids.map((id) => [id, { requests: 0, input: 0, output: 0, cache_read: 0, cache_write: 0 }]));
  const batches: NormalizedEvent[][] = [];
  let events = 0;
  for (let minute = 0; minute < shape.minutes; minute++) {
    const batch: NormalizedEvent[] = [];
    for (const [s, id] of ids.entries()) {
      const o = { session_id: id };
      const t0 = start + minute * 60_000 + s;
      if (minute === 0) batch.push(ev.started(t0, 'startup', o, { cwd: `/work/repo-${s % 7}` }));
      const n = Math.floor(rand() * shape.requestsPerMinute * 2);
      for (let r = 0; r < n; r++) {
        const t = t0 + 1 + r * 100;
        const requestId = `req_${s}_${minute}_${r}`;
        const u = usage({ input: 1 + Math.floor(rand() * 5_000), output: 1 + Math.floor(rand() * 2_000), cache_read: Math.floor(rand() * 50_000), cache_write: Math.floor(rand() * 5_000) });
        const total = truth.get(id)!;
        total.requests += 1;
        total.input += u.input;
        total.output += u.output;
        total.cache_read += u.cache_read;
        total.cache_write += u.cache_write;
        const attrs = { request_id: requestId, model: 'claude-sonnet-4-5', usage: u };
        batch.push(ev.request(t, attrs, { ...o, source: 'transcript' }));
        batch.push(ev.request(t + 3, attrs, { ...o, source: 'otel' }));
        batch.push(ev.toolCalled(t + 5, { tool_use_id: `tu_${s}_${minute}_${r}`, tool_name: 'Bash', command: `make test ${r}` }, { ...o, source: 'hook' }));
        batch.push(ev.status(t + 6, r % 2 === 0 ? 'busy' : 'idle', 'activity', o));
      }
    }
    events += batch.length;
    batches.push(batch);
  }
  return { batches, truth, events };
}
