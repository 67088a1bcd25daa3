/**
 * The collector supervisor: a failing collector is shut down and restarted
 * with doubling delays, reset after a stable run; its state shows the
 * failure and the restart count; a failure of the first start is thrown;
 * shutdown cancels a pending restart; stale reports from old instances are
 * ignored.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CollectorSupervisor, type Backoff, type Component } from '../../../daemon/service/supervisor.js';
import { ComponentStates } from '../../../daemon/component-states.js';

const BACKOFF: Backoff = { initialMs: 1_000, maxMs: 8_000, stableMs: 60_000 };

/** A collector whose instances record their lifecycle and expose their `fail`. */
function harness(options: { startFails?: (n: number) => boolean } = {}) {
  const instances: { fail: (e: unknown) => void; started: boolean; stopped: boolean }[] = [];
  const timers: { run: () => void; delay: number; cancelled: boolean }[] = [];
  let clock = 0;
  const states = new ComponentStates();
  const supervisor = new CollectorSupervisor({
    type: 'flaky',
    states,
    logger: pino({ level: 'silent' }),
    backoff: BACKOFF,
    now: () => clock,
    schedule: (run, delay) => {
      const t = { run, delay, cancelled: false };
      timers.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
    create(fail) {
      const n = instances.length;
      const record = { fail, started: false, stopped: false };
      instances.push(record);
      const component: Component = {
        async start() {
          if (options.startFails?.(n) === true) throw new Error(`start ${n} failed`);
          record.started = true;
        },
        async shutdown() {
          record.stopped = true;
        },
        status: () => ({ instance: n }),
      };
      return component;
    },
  });
  const fire = async (): Promise<void> => {
    const t = timers.shift()!;
    if (!t.cancelled) t.run();
    await new Promise((r) => setImmediate(r));
  };
  return { supervisor, instances, timers, states, fire, advance: (ms: number) => void (clock += ms) };
}

describe('collector supervisor', () => {
  it('restarts a failed collector with doubling delays, showing the failure meanwhile', async () => {
    const h = harness();
    await h.supervisor.start();
    expect(h.states.snapshot()).toEqual([{ name: 'flaky', state: 'running', detail: 'instance=0' }]);

    h.instances[0]!.fail(new Error('worker died'));
    expect(h.instances[0]!.stopped).toBe(true);
    expect(h.states.snapshot()[0]).toEqual({ name: 'flaky', state: 'failed', detail: 'worker died; restart 1 in 1 s' });
    expect(h.timers.map((t) => t.delay)).toEqual([1_000]);
    await h.fire();
    expect(h.instances[1]!.started).toBe(true);
    expect(h.states.snapshot()[0]).toEqual({ name: 'flaky', state: 'running', detail: 'instance=1, restarts=1, last_failure=worker died' });

    for (const expected of [2_000, 4_000, 8_000, 8_000]) {
      h.instances.at(-1)!.fail(new Error('again'));
      expect(h.timers.at(-1)!.delay).toBe(expected);
      await h.fire();
    }
    expect(h.supervisor.restarts).toBe(5);
  });

  it('resets the delay after an instance ran long enough', async () => {
    const h = harness();
    await h.supervisor.start();
    h.instances[0]!.fail('x');
    await h.fire();
    h.instances[1]!.fail('x');
    expect(h.timers.at(-1)!.delay).toBe(2_000);
    await h.fire();
    h.advance(BACKOFF.stableMs);
    h.instances[2]!.fail('x');
    expect(h.timers.at(-1)!.delay).toBe(1_000);
  });

  it('a restart whose start fails is retried with the next delay', async () => {
    const h = harness({ startFails: (n) => n === 1 || n === 2 });
    await h.supervisor.start();
    h.instances[0]!.fail('boom');
    await h.fire();
    expect(h.states.snapshot()[0]).toMatchObject({ state: 'failed', detail: 'start 1 failed; restart 2 in 2 s' });
    await h.fire();
    expect(h.timers.at(-1)!.delay).toBe(4_000);
    await h.fire();
    expect(h.instances[3]!.started).toBe(true);
    expect(h.states.snapshot()[0]!.state).toBe('running');
  });

  it('throws when the first start fails (a start-up error, not a loop)', async () => {
    const h = harness({ startFails: (n) => n === 0 });
    await expect(h.supervisor.start()).rejects.toThrow('start 0 failed');
    expect(h.states.snapshot()[0]).toEqual({ name: 'flaky', state: 'failed', detail: 'start 0 failed' });
    expect(h.timers).toEqual([]);
  });

  it('ignores reports from replaced instances and stops restarting once shut down', async () => {
    const h = harness();
    await h.supervisor.start();
    h.instances[0]!.fail('x');
    await h.fire();
    h.instances[0]!.fail('late report from the old one');
    expect(h.timers).toEqual([]);
    h.instances[1]!.fail('x');
    await h.supervisor.shutdown(1_000);
    await h.fire();
    expect(h.instances).toHaveLength(2);
    h.instances[1]!.fail('after shutdown');
    expect(h.timers).toEqual([]);
  });
});
