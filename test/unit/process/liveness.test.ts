/**
 * The liveness verdict (pure) and the `process` component around it, with a
 * fake OS and a fake sink.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { judgeLiveness, startTimesMatch, type ProcessProbe } from '../../../collectors/process/liveness.js';
import { createProcessFactory } from '../../../collectors/process/component.js';
import type { ComponentSettings, LiveSessionFacts } from '../../../core/pipeline/component.js';
import { Counters } from '../../../core/pipeline/counters.js';
import type { EventSink, IngestBatch } from '../../../core/pipeline/sink.js';
import { DossierError, validateEvent, type NormalizedEvent } from '../../../schema/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = 1_800_000_000_000;
const POLICY = { inactivityMs: DAY, startToleranceMs: 2_000 };

function session(id: string, pid: number | null, start: number | null, lastActivity: number | null = NOW - 1_000): LiveSessionFacts {
  return { session_id: id, framework: 'claude_code', pid, process_start_time: start, last_activity: lastActivity };
}

function probeOf(table: Record<number, number | null | undefined>): ProcessProbe {
  return (pid) => (pid in table ? table[pid] : null);
}

describe('judgeLiveness', () => {
  it('keeps a session whose process runs with the recorded start time', () => {
    expect(judgeLiveness([session('a', 10, NOW - HOUR)], probeOf({ 10: NOW - HOUR }), NOW, POLICY)).toEqual([]);
  });

  it('ends a session whose process is gone, with process_exit at the time of the check', () => {
    const [ended, ...rest] = judgeLiveness([session('a', 10, NOW - HOUR)], probeOf({}), NOW, POLICY);
    expect(rest).toEqual([]);
    expect(ended).toMatchObject({
      kind: 'session.ended',
      source: 'process',
      session_id: 'a',
      agent_id: null,
      ts: NOW,
      attrs: { reason: 'process_exit' },
      dedupe_key: `p:exit:a:10:${NOW - HOUR}`,
    });
    expect(validateEvent(ended).ok).toBe(true);
  });

  it('ends a session whose PID now belongs to another process (PID reuse)', () => {
    const ended = judgeLiveness([session('a', 10, NOW - HOUR)], probeOf({ 10: NOW - 60_000 }), NOW, POLICY);
    expect(ended.map((e) => e.attrs.reason)).toEqual(['process_exit']);
  });

  it('tolerates clock drift in start times, growing with the process age', () => {
    expect(startTimesMatch(NOW - 60_000, NOW - 60_000 + 1_500, NOW, 2_000)).toBe(true);
    expect(startTimesMatch(NOW - 60_000, NOW - 60_000 + 2_500, NOW, 2_000)).toBe(false);
    // An hour-old process: 2 s + 500 ppm of an hour = 3.8 s.
    expect(startTimesMatch(NOW - HOUR, NOW - HOUR - 3_700, NOW, 2_000)).toBe(true);
    // A week-old process may drift by up to 2 s + 500 ppm of a week ≈ 304 s.
    expect(startTimesMatch(NOW - 7 * DAY, NOW - 7 * DAY + 200_000, NOW, 2_000)).toBe(true);
    expect(startTimesMatch(NOW - 7 * DAY, NOW - 7 * DAY + 400_000, NOW, 2_000)).toBe(false);
  });

  it('judges nothing when the OS cannot tell', () => {
    expect(judgeLiveness([session('a', 10, NOW - HOUR)], probeOf({ 10: undefined }), NOW, POLICY)).toEqual([]);
  });

  it('ends a PID-less session once its last activity is older than the window, at the end of the window', () => {
    const stale = session('old', null, null, NOW - DAY - 5);
    const fresh = session('new', null, null, NOW - DAY + 5);
    const unknown = session('never', null, null, null);
    const ended = judgeLiveness([stale, fresh, unknown], probeOf({}), NOW, POLICY);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ session_id: 'old', ts: NOW - 5, attrs: { reason: 'inactivity' }, dedupe_key: `p:idle:old:${NOW - DAY - 5}` });
  });

  it('is replayable: the same facts give the same keys later', () => {
    const sessions = [session('a', 10, NOW - HOUR), session('b', null, null, NOW - 2 * DAY)];
    const keys = (at: number) => judgeLiveness(sessions, probeOf({}), at, POLICY).map((e) => e.dedupe_key);
    expect(keys(NOW)).toEqual(keys(NOW + 10 * HOUR));
  });
});

class FakeSink implements EventSink {
  accepting = true;
  readonly keys = new Set<string>();
  readonly batches: IngestBatch[] = [];
  refuse = false;

  async submit(batch: IngestBatch) {
    if (this.refuse) throw new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL');
    this.batches.push(batch);
    let inserted = 0;
    for (const e of batch.events) {
      if (!this.keys.has(e.dedupe_key)) inserted += 1;
      this.keys.add(e.dedupe_key);
    }
    return { received: batch.events.length, inserted, duplicates: batch.events.length - inserted };
  }
}

function settingsWith(live: () => LiveSessionFacts[], counters = new Counters()): ComponentSettings {
  return {
    logger: pino({ level: 'silent' }),
    counters,
    checkpoints: { load: () => new Map() },
    home: '/nonexistent',
    now: () => NOW,
    liveSessions: async () => live(),
  };
}

describe('the process component', () => {
  it('writes each verdict once, samples live processes, and reports them', async () => {
    const sink = new FakeSink();
    const factory = createProcessFactory({
      probe: () => probeOf({ 10: NOW - HOUR, 11: NOW - 5 }),
      usageReader: async (pid) => ({ cpu: pid === 10 ? 12.34 : 0, memory: 1_000_000 }),
    });
    const live = [session('alive', 10, NOW - HOUR), session('reused', 11, NOW - HOUR), session('gone', 12, NOW - HOUR)];
    const component = factory.create(settingsWith(() => live), factory.defaultConfig(), sink) as ReturnType<typeof factory.create> & {
      checkNow(): Promise<number>;
      usageOf(id: string): unknown;
    };
    expect(await component.checkNow()).toBe(2);
    expect(await component.checkNow()).toBe(2);
    const events = sink.batches.flatMap((b) => b.events as NormalizedEvent[]);
    expect(new Set(events.map((e) => e.dedupe_key)).size).toBe(2);
    expect(sink.keys.size).toBe(2);
    expect(component.usageOf('alive')).toEqual({ pid: 10, cpu_percent: 12.3, memory_bytes: 1_000_000, sampled_at: NOW });
    expect(component.usageOf('gone')).toBeUndefined();
    expect(component.status?.()).toMatchObject({ checks: 2, sessions_ended: 2 });
    await component.shutdown(1_000);
    await component.shutdown(1_000);
  });

  it('keeps verdicts for the next check when the pipeline refuses', async () => {
    const sink = new FakeSink();
    sink.refuse = true;
    const counters = new Counters();
    const factory = createProcessFactory({ probe: () => probeOf({}), usageReader: async () => ({ cpu: 0, memory: 0 }) });
    const component = factory.create(settingsWith(() => [session('gone', 12, NOW - HOUR)], counters), factory.defaultConfig(), sink) as ReturnType<
      typeof factory.create
    > & { checkNow(): Promise<number> };
    await component.checkNow();
    expect(counters.get('process.submit_refused')).toBe(1);
    sink.refuse = false;
    await component.checkNow();
    expect(sink.keys.size).toBe(1);
    await component.shutdown(100);
  });

  it('shuts down without having started, and starts idle without a session list', async () => {
    const factory = createProcessFactory();
    const bare = factory.create({ ...settingsWith(() => []), liveSessions: undefined }, factory.defaultConfig(), new FakeSink());
    await bare.shutdown(10);
    const idle = factory.create({ ...settingsWith(() => []), liveSessions: undefined }, factory.defaultConfig(), new FakeSink());
    await idle.start();
    await idle.shutdown(10);
  });

  it('a check that keeps failing is reported to the supervisor after 5 failures in a row, and stops itself', async () => {
    const failures: unknown[] = [];
    let calls = 0;
    const broken = new Error('session list unavailable');
    const factory = createProcessFactory({ probe: () => probeOf({}), usageReader: async () => ({ cpu: 0, memory: 0 }) });
    const settings: ComponentSettings = {
      ...settingsWith(() => []),
      liveSessions: async () => {
        calls += 1;
        throw broken;
      },
      fail: (error) => failures.push(error),
    };
    const component = factory.create(settings, { ...factory.defaultConfig(), intervalMs: 1 }, new FakeSink());
    await component.start();
    const deadline = Date.now() + 20_000;
    while (failures.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(failures).toEqual([broken]);
    expect(calls).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(5);
    await component.shutdown(100);
  });
});
