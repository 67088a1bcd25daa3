/**
 * CPU and memory of live session processes, sampled with pidusage after each
 * liveness check, for `dossier show` and `dossier status`. Samples are state
 * of the moment, not history: they stay in memory and never become events.
 */
import pidusage from 'pidusage';

/** The latest sample of one session's process. */
export interface ProcessSample {
  pid: number;
  /** Percent of one core since the previous sample (since process start for the first). */
  cpu_percent: number;
  /** Resident set size, bytes. */
  memory_bytes: number;
  /** When it was taken, ms since epoch. */
  sampled_at: number;
}

/** Reads one process's usage; rejects when it is gone. Injected so tests need no real process. */
export type UsageReader = (pid: number) => Promise<{ cpu: number; memory: number }>;

/** pidusage as a {@link UsageReader}. */
export const pidusageReader: UsageReader = (pid) => pidusage(pid);

/** Keeps the latest sample per session. */
export class UsageSampler {
  readonly #read: UsageReader;
  #samples = new Map<string, ProcessSample>();

  constructor(read: UsageReader = pidusageReader) {
    this.#read = read;
  }

  /**
   * Samples the given live sessions' processes and replaces the whole set:
   * sessions no longer listed (ended) lose their sample. A process that
   * cannot be read is skipped: liveness, not sampling, decides it is gone.
   */
  async sample(live: ReadonlyArray<{ session_id: string; pid: number }>, now: number): Promise<void> {
    const next = new Map<string, ProcessSample>();
    const results = await Promise.allSettled(live.map((s) => this.#read(s.pid)));
    results.forEach((result, i) => {
      const session = live[i]!;
      if (result.status !== 'fulfilled') return;
      next.set(session.session_id, {
        pid: session.pid,
        cpu_percent: Math.round(result.value.cpu * 10) / 10,
        memory_bytes: Math.round(result.value.memory),
        sampled_at: now,
      });
    });
    this.#samples = next;
  }

  /** The latest sample of one session, if its process is live and readable. */
  get(sessionId: string): ProcessSample | undefined {
    return this.#samples.get(sessionId);
  }

  /** Every current sample, by session id (sorted). */
  snapshot(): Record<string, ProcessSample> {
    const out: Record<string, ProcessSample> = {};
    for (const id of [...this.#samples.keys()].sort()) out[id] = this.#samples.get(id)!;
    return out;
  }

  /** Forgets pidusage's per-process history. */
  close(): void {
    this.#samples.clear();
    pidusage.clear();
  }
}
