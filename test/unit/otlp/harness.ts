/**
 * Shared pieces of the OTLP tests: the captured fixture requests, a sink that
 * records what it commits (and can be told to refuse), component settings,
 * and a receiver on free loopback ports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { ComponentSettings } from '../../../core/pipeline/component.js';
import { Counters } from '../../../core/pipeline/counters.js';
import type { Checkpoint, EventSink, IngestBatch, IngestResult } from '../../../core/pipeline/sink.js';
import { DossierError, type NormalizedEvent } from '../../../schema/index.js';
import { OtlpReceiver, defaultOtlpConfig, type OtlpConfig } from '../../../collectors/otlp/index.js';
import type { Signal } from '../../../collectors/otlp/model.js';
import { applyCheckpoint } from '../../support/checkpoints.js';

/** The captured Claude Code 2.1.197 runs. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** One captured OTLP request: its exact body, its decoded JSON twin, and how it was sent. */
export interface FixtureRequest {
  scenario: string;
  file: string;
  signal: Signal;
  protocol: 'http/protobuf' | 'http/json' | 'grpc';
  body: Buffer;
  json: Buffer;
}

/** Every captured request of a scenario (or of all scenarios), in capture order. */
export function fixtureRequests(scenario?: string): FixtureRequest[] {
  const scenarios = scenario ? [scenario] : readdirSync(FIXTURES).filter((d) => !d.includes('.')).sort();
  return scenarios.flatMap((sc) => {
    const dir = join(FIXTURES, sc, 'otlp');
    return readdirSync(dir)
      .filter((f) => f.endsWith('.bin'))
      .sort()
      .map((f) => {
        const [, signal, ...rest] = f.replace('.bin', '').split('-');
        const protocol = rest.join('-') === 'grpc' ? 'grpc' : rest.join('-') === 'http-json' ? 'http/json' : 'http/protobuf';
        return {
          scenario: sc,
          file: f,
          signal: signal as Signal,
          protocol,
          body: readFileSync(join(dir, f)),
          json: readFileSync(join(dir, f.replace('.bin', '.json'))),
        } satisfies FixtureRequest;
      });
  });
}

/** A sink that commits in memory with unique dedupe keys, like the real store. */
export class MemorySink implements EventSink {
  readonly batches: IngestBatch[] = [];
  readonly byKey = new Map<string, NormalizedEvent>();
  readonly checkpoints = new Map<string, string>();
  accepting = true;
  /** When set, `submit` rejects with this error code. */
  failWith: 'DOSSIER_E_PIPELINE_QUEUE_FULL' | 'DOSSIER_E_PIPELINE_STOPPED' | 'DOSSIER_E_INTERNAL' | null = null;
  /** When set, `submit` waits for this promise before committing. */
  gate: Promise<void> | null = null;

  /** Holds every commit from now on until the returned function is called (sets {@link gate}). */
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise((resolve) => (open = resolve));
    return open;
  }

  /** Called before each commit; throwing refuses that batch. */
  beforeCommit: ((batch: IngestBatch) => void) | null = null;

  async submit(batch: IngestBatch): Promise<IngestResult> {
    if (this.failWith) throw new DossierError(this.failWith);
    if (this.gate) await this.gate;
    this.beforeCommit?.(batch);
    this.batches.push(batch);
    let inserted = 0;
    for (const e of batch.events) {
      if (this.byKey.has(e.dedupe_key)) continue;
      this.byKey.set(e.dedupe_key, e);
      inserted++;
    }
    for (const cp of batch.checkpoints ?? []) applyCheckpoint(this.checkpoints, `${cp.collector}\u0000${cp.key}`, cp.value);
    return { received: batch.events.length, inserted, duplicates: batch.events.length - inserted };
  }

  /** Committed events in insertion order. */
  get events(): NormalizedEvent[] {
    return [...this.byKey.values()];
  }

  /** Checkpoints of one collector as `CheckpointReader.load` would return them. */
  load(collector: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of this.checkpoints) {
      const [c, key] = k.split('\u0000') as [string, string];
      if (c === collector) out.set(key, v);
    }
    return out;
  }
}

/** Settings for a component under test; checkpoints come from `sink` (a restart reads what was committed). */
export function testSettings(sink?: MemorySink, now: () => number = () => 1_800_000_000_000): ComponentSettings & { counters: Counters } {
  return {
    logger: pino({ level: 'silent' }),
    counters: new Counters(),
    checkpoints: { load: (collector: string) => sink?.load(collector) ?? new Map() },
    home: '/nonexistent',
    now,
  };
}

/** A started receiver on free loopback ports. */
export interface RunningReceiver {
  receiver: OtlpReceiver;
  sink: MemorySink;
  settings: ComponentSettings & { counters: Counters };
  httpUrl: string;
  grpcAddress: string;
  stop(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 port 0 (both doors) with a memory sink. */
export async function startReceiver(overrides: Partial<OtlpConfig> = {}, sink = new MemorySink()): Promise<RunningReceiver> {
  const settings = testSettings(sink);
  const receiver = new OtlpReceiver(settings, { ...defaultOtlpConfig(), http: '127.0.0.1:0', grpc: '127.0.0.1:0', ...overrides }, sink);
  await receiver.start();
  const { http, grpc } = receiver.addresses();
  return {
    receiver,
    sink,
    settings,
    httpUrl: http ? `http://127.0.0.1:${http.port}` : '',
    grpcAddress: grpc ? `127.0.0.1:${grpc.port}` : '',
    stop: () => receiver.shutdown(2000),
  };
}

/** Events without the receive time, for comparing runs that received at different moments. */
export function comparable(events: readonly NormalizedEvent[]): Omit<NormalizedEvent, 'received_at'>[] {
  return events.map(({ received_at: _ignored, ...rest }) => rest as Omit<NormalizedEvent, 'received_at'>).sort((a, b) =>
    a.dedupe_key < b.dedupe_key ? -1 : a.dedupe_key > b.dedupe_key ? 1 : 0,
  );
}

/** Checkpoints of a batch list, flattened. */
export function allCheckpoints(batches: readonly IngestBatch[]): Checkpoint[] {
  return batches.flatMap((b) => b.checkpoints ?? []);
}
