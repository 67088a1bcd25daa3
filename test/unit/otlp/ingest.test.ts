/**
 * The protocol-independent ingest: a request bigger than one pipeline batch
 * is committed in several, with checkpoints only on the last; a failure
 * part-way is answered as retryable, and the sender's retry completes the
 * request without counting anything twice.
 */
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { Counters } from '../../../core/pipeline/counters.js';
import { CumulativeSeries } from '../../../collectors/otlp/claude/cumulative.js';
import { OtlpIngest, SUBMIT_CHUNK_EVENTS } from '../../../collectors/otlp/ingest.js';
import { DossierError } from '../../../schema/index.js';
import { claudeTurn, readableLogs } from './claude-sdk.js';
import { MemorySink } from './harness.js';

const SESSION = '6b1f7a52-0c4d-4e8f-9a1b-2c3d4e5f6a7b';

/** A logs request of `turns` turns of one session (7 events per turn). */
function bigRequest(turns: number): Buffer {
  const specs = Array.from({ length: turns }, (_, t) => claudeTurn(SESSION, t, t * 9, 1_795_262_000_000 + t * 1000)).flat();
  return Buffer.from(ProtobufLogsSerializer.serializeRequest(readableLogs(specs))!);
}

async function exportOnce(ingest: OtlpIngest, body: Buffer) {
  expect(ingest.tryAcquire()).toBeNull();
  try {
    return await ingest.export(body, 'protobuf', 'logs');
  } finally {
    ingest.release();
  }
}

function ingestFor(sink: MemorySink): OtlpIngest {
  return new OtlpIngest(sink, new Counters(), () => 1_800_000_000_000, new CumulativeSeries(new Map(), 10), {
    limits: { maxAttributeBytes: 1 << 20, maxValueDepth: 16 },
    maxInFlight: 2,
    maxInFlightBytes: 64 << 20,
    mapping: { includePromptText: true },
  });
}

describe('requests bigger than one batch', () => {
  const body = bigRequest(800); // 5,600 events

  it('are committed in batches the pipeline always accepts', async () => {
    const sink = new MemorySink();
    expect(await exportOnce(ingestFor(sink), body)).toMatchObject({ kind: 'ok', rejected: 0 });
    expect(sink.batches.map((b) => b.events.length)).toEqual([SUBMIT_CHUNK_EVENTS, 5600 - SUBMIT_CHUNK_EVENTS]);
    expect(sink.events).toHaveLength(5600);
  });

  it('a refusal part-way is retryable, and the retry completes without double counting', async () => {
    const sink = new MemorySink();
    const ingest = ingestFor(sink);
    let calls = 0;
    sink.beforeCommit = () => {
      if (++calls === 2) throw new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL');
    };
    expect(await exportOnce(ingest, body)).toMatchObject({ kind: 'unavailable' });
    expect(sink.events).toHaveLength(SUBMIT_CHUNK_EVENTS);
    expect(await exportOnce(ingest, body)).toMatchObject({ kind: 'ok' });
    expect(sink.events).toHaveLength(5600);
  });
});

describe('admission', () => {
  it('refuses beyond max in flight, while the sink is not accepting, and after stop; idle() waits for the last', async () => {
    const sink = new MemorySink();
    const ingest = ingestFor(sink);
    expect(ingest.tryAcquire()).toBeNull();
    expect(ingest.tryAcquire()).toBeNull();
    expect(ingest.tryAcquire()).toMatchObject({ kind: 'throttled' });
    ingest.release();
    sink.accepting = false;
    expect(ingest.tryAcquire()).toMatchObject({ kind: 'unavailable', message: 'ingest queue is full' });
    sink.accepting = true;
    ingest.stop();
    expect(ingest.tryAcquire()).toMatchObject({ kind: 'unavailable', message: 'dossier is shutting down' });
    let idle = false;
    const waiting = ingest.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    ingest.release();
    await waiting;
    expect(ingest.inFlight).toBe(0);
  });
});
