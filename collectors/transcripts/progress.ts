/**
 * Backfill progress: what the start-up scan found to read, what has been
 * committed since, the rate and the time left. Shown by `dossier status`
 * and, when the daemon runs in a terminal, as one self-overwriting line.
 */

/** A snapshot for status and the progress line. */
export interface ProgressSnapshot {
  phase: 'starting' | 'backfill' | 'live';
  files_done: number;
  files_total: number;
  mb_done: number;
  mb_total: number;
  sessions_done: number;
  sessions_total: number;
  /** MB committed per second since the backfill started. */
  rate_mb_s: number;
  /** Seconds left at the current rate; null before the rate is known. */
  eta_s: number | null;
  elapsed_s: number;
}

const MB = 1_000_000;

/** Counts committed backfill work against the plan. */
export class BackfillProgress {
  #phase: ProgressSnapshot['phase'] = 'starting';
  #startedAt = 0;
  #finishedAt: number | null = null;
  #files = { done: 0, total: 0 };
  #bytes = { done: 0, total: 0 };
  #sessions = { done: 0, total: 0 };

  /** The scan finished: this much is to be read (a rescan starts a new backfill). */
  planned(plan: { files: number; bytes: number; sessions: number }, now: number): void {
    this.#phase = 'backfill';
    this.#startedAt = now;
    this.#finishedAt = null;
    this.#files.done = 0;
    this.#bytes.done = 0;
    this.#sessions.done = 0;
    this.#files.total = plan.files;
    this.#bytes.total = plan.bytes;
    this.#sessions.total = plan.sessions;
  }

  /** A backfill batch was committed. */
  committed(batch: { bytes: number; finished: readonly string[]; sessions: readonly string[] }): void {
    this.#bytes.done += batch.bytes;
    this.#files.done += batch.finished.length;
    this.#sessions.done += batch.sessions.length;
  }

  /** Everything found at start has been read and committed. */
  done(now: number): void {
    if (this.#phase === 'live') return;
    this.#phase = 'live';
    this.#finishedAt = now;
    // Files can grow while they are read; the total is what was actually read.
    this.#bytes.total = Math.max(this.#bytes.total, this.#bytes.done);
    this.#files.done = Math.max(this.#files.done, this.#files.total);
    this.#sessions.done = Math.max(this.#sessions.done, this.#sessions.total);
  }

  /** True once the backfill is over. */
  get live(): boolean {
    return this.#phase === 'live';
  }

  /** Current figures. */
  snapshot(now: number): ProgressSnapshot {
    const end = this.#finishedAt ?? now;
    const elapsed = this.#phase === 'starting' ? 0 : Math.max(0, end - this.#startedAt) / 1000;
    const rate = elapsed > 0 ? this.#bytes.done / MB / elapsed : 0;
    const left = Math.max(0, this.#bytes.total - this.#bytes.done) / MB;
    return {
      phase: this.#phase,
      files_done: this.#files.done,
      files_total: this.#files.total,
      mb_done: round(this.#bytes.done / MB),
      mb_total: round(this.#bytes.total / MB),
      sessions_done: this.#sessions.done,
      sessions_total: this.#sessions.total,
      rate_mb_s: round(rate),
      eta_s: this.#phase === 'live' ? 0 : rate > 0 ? round(left / rate) : null,
      elapsed_s: round(elapsed),
    };
  }
}

/** The one-line rendering, e.g. `transcripts: backfill 1,200/3,000 files · 410/1,024 MB · 500/1,100 sessions · 205.1 MB/s · ETA 3s`. */
export function progressLine(s: ProgressSnapshot): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const head = s.phase === 'live' ? `backfill done in ${s.elapsed_s.toFixed(1)}s` : 'backfill';
  const eta = s.phase === 'live' ? '' : ` · ETA ${s.eta_s === null ? '?' : `${Math.ceil(s.eta_s)}s`}`;
  return `transcripts: ${head} ${n(s.files_done)}/${n(s.files_total)} files · ${n(Math.round(s.mb_done))}/${n(Math.round(s.mb_total))} MB · ${n(s.sessions_done)}/${n(s.sessions_total)} sessions · ${s.rate_mb_s.toFixed(1)} MB/s${eta}`;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Writes the progress line to a terminal, overwriting itself, at most every `everyMs`. */
export class TtyProgress {
  readonly #out: NodeJS.WriteStream;
  readonly #everyMs: number;
  #lastAt = 0;
  #drawn = false;

  constructor(out: NodeJS.WriteStream, everyMs = 250) {
    this.#out = out;
    this.#everyMs = everyMs;
  }

  /** Redraws unless the last draw was too recent (`force` draws anyway). */
  draw(s: ProgressSnapshot, now: number, force = false): void {
    if (!force && now - this.#lastAt < this.#everyMs) return;
    this.#lastAt = now;
    const width = this.#out.columns !== undefined && this.#out.columns > 20 ? this.#out.columns : 120;
    this.#out.write(`\r${progressLine(s).slice(0, width - 1).padEnd(width - 1)}`);
    this.#drawn = true;
  }

  /** Ends the line (after the final draw). */
  finish(): void {
    if (this.#drawn) this.#out.write('\n');
    this.#drawn = false;
  }
}
