import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestPipeline } from '../../../core/pipeline/ingest-pipeline.js';
import type { Store } from '../../../core/store/index.js';
import { isDossierError } from '../../../schema/index.js';
import { ev, usage } from '../../support/events.js';
import { openTestStore, tempDir, type TempDir, unbindableCheckpoint } from '../store/store-fixture.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

let tmp: TempDir;
let store: Store;
let pipeline: IngestPipeline;
beforeEach(() => {
  tmp = tempDir();
  store = openTestStore(tmp.dir);
  pipeline = new IngestPipeline(store.writer);
});
afterEach(async () => {
  await pipeline.stop(1_000);
  store.close();
  tmp.cleanup();
});

describe('IngestPipeline over the real store', () => {
  it('coalesces submits into one transaction with per-submitter counts, checkpoints and projections', async () => {
    const req = ev.request(2_000, { request_id: 'r1', model: 'claude-sonnet-4-5', usage: usage({ input: 3, output: 4 }) }, { session_id: A });
    const touched: string[][] = [];
    pipeline.onCommitted((b) => touched.push([...b.touched_sessions]));
    const results = await Promise.all([
      pipeline.submit({ events: [ev.started(1_000, 'startup', { session_id: A }), req], checkpoints: [{ collector: 'transcripts', key: 'a', value: '10' }] }),
      pipeline.submit({ events: [req, ev.prompt(3_000, { text: 'hi' }, { session_id: B })], checkpoints: [{ collector: 'transcripts', key: 'a', value: '20' }] }),
    ]);
    expect(results).toEqual([
      { received: 2, inserted: 2, duplicates: 0 },
      { received: 2, inserted: 1, duplicates: 1 },
    ]);
    expect(touched).toEqual([[A, B]]);
    expect(store.writer.loadCheckpoints('transcripts')).toEqual(new Map([['a', '20']]));
    expect(store.reader.findSession(A)).toMatchObject({ session: { api_request_count: 1, tokens_input: 3, tokens_output: 4 } });
    expect(pipeline.counters()).toMatchObject({ received: 4, inserted: 3, duplicates: 1, batches: 1 });
  });

  it('a submission whose transaction fails is rejected with nothing of it stored; the others coalesced with it commit', async () => {
    const broken = unbindableCheckpoint('transcripts', 'b');
    const [good, bad] = await Promise.allSettled([
      pipeline.submit({ events: [ev.prompt(1_000, { text: 'one' }, { session_id: A })], checkpoints: [{ collector: 'transcripts', key: 'a', value: '1' }] }),
      pipeline.submit({ events: [ev.prompt(2_000, { text: 'two' }, { session_id: B })], checkpoints: [broken] }),
    ]);
    expect(good).toEqual({ status: 'fulfilled', value: { received: 1, inserted: 1, duplicates: 0 } });
    expect(bad!.status).toBe('rejected');
    expect(isDossierError((bad as PromiseRejectedResult).reason, 'DOSSIER_E_STORE_WRITE')).toBe(true);
    expect(store.reader.totals()).toMatchObject({ events: 1, sessions: 1 });
    expect(store.reader.findSession(B)).toBeNull();
    expect(store.writer.loadCheckpoints('transcripts')).toEqual(new Map([['a', '1']]));
    // The sender fixes its batch and retries: it goes through.
    const fixed = await pipeline.submit({ events: [ev.prompt(2_000, { text: 'two' }, { session_id: B })], checkpoints: [{ collector: 'transcripts', key: 'b', value: '2' }] });
    expect(fixed).toMatchObject({ inserted: 1 });
    expect(store.reader.totals()).toMatchObject({ events: 2, sessions: 2 });
  });
});
