/**
 * The liveness verdict, as a pure function of the sessions the daemon thinks
 * are running, what the OS says about their processes, and the time. It
 * writes `session.ended` events (ARCHITECTURE §6 rule 6):
 * - a session with a PID whose process is gone, a zombie, or a different
 *   process (start time no longer matches: the PID was reused) ends with
 *   `process_exit`;
 * - a session without a PID ends with `inactivity` once its last activity is
 *   older than the window.
 * Keys are deterministic (session + process, or session + last activity), so
 * a check that runs twice, or again after a restart, writes nothing new.
 */
import type { EventOf } from '../../schema/events.js';
import type { LiveSessionFacts } from '../../core/pipeline/component.js';

/** What the OS says about a PID: its start time (ms), null when gone, undefined when it cannot tell. */
export type ProcessProbe = (pid: number) => number | null | undefined;

/** The knobs of the verdict. */
export interface LivenessPolicy {
  /** A session without a PID ends this long after its last activity, ms. */
  inactivityMs: number;
  /** Start times closer than this always match, ms (covers whole-second `ps` times and rounding). */
  startToleranceMs: number;
}

/**
 * Wall-clock drift allowed per ms of process age. Start times are boot time
 * plus ticks, and the boot time the kernel reports moves when NTP slews the
 * clock (at most 500 ppm); a reused PID's process started after the old one
 * died, so it still differs by far more than this.
 */
const DRIFT_PER_MS = 0.0005;

/** True when `observed` is the start time of the process recorded as `recorded`. */
export function startTimesMatch(recorded: number, observed: number, now: number, toleranceMs: number): boolean {
  const age = Math.max(0, now - recorded);
  return Math.abs(observed - recorded) <= toleranceMs + age * DRIFT_PER_MS;
}

/** The `session.ended` events the check must write now; the rest are alive or cannot be judged. */
export function judgeLiveness(
  sessions: readonly LiveSessionFacts[],
  probe: ProcessProbe,
  now: number,
  policy: LivenessPolicy,
): EventOf<'session.ended'>[] {
  const ended: EventOf<'session.ended'>[] = [];
  for (const s of sessions) {
    if (s.pid !== null) {
      const observed = probe(s.pid);
      if (observed === undefined) continue;
      const gone = observed === null;
      const reused = !gone && s.process_start_time !== null && !startTimesMatch(s.process_start_time, observed, now, policy.startToleranceMs);
      if (gone || reused) ended.push(endEvent(s, 'process_exit', now, now, `p:exit:${s.session_id}:${s.pid}:${s.process_start_time ?? 0}`));
    } else if (s.last_activity !== null && now - s.last_activity >= policy.inactivityMs) {
      // The end is put where the window ran out, not at whenever the check noticed: replays agree.
      const at = s.last_activity + policy.inactivityMs;
      ended.push(endEvent(s, 'inactivity', at, now, `p:idle:${s.session_id}:${s.last_activity}`));
    }
  }
  return ended;
}

function endEvent(s: LiveSessionFacts, reason: string, ts: number, now: number, key: string): EventOf<'session.ended'> {
  return {
    dedupe_key: key,
    source: 'process',
    framework: s.framework,
    session_id: s.session_id,
    agent_id: null,
    ts,
    received_at: now,
    kind: 'session.ended',
    attrs: { reason },
  };
}
