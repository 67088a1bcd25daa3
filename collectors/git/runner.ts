/**
 * Runs one read-only git command in a directory through simple-git, under a
 * hard deadline. A git that hangs (a stuck lock, a dead network mount, a
 * fake `git` that sleeps) is interrupted, and if it does not die its promise
 * is abandoned: the caller gets `timeout` on time either way and never waits.
 */
import { simpleGit } from 'simple-git';

/** How one git command ended. */
export type GitOutcome =
  | { ok: true; stdout: string }
  | { ok: false; reason: GitFailure; detail: string };

/**
 * Why a command produced no output: `failed` (git ran and said no, e.g. not
 * a repository), `timeout`, `missing` (no git binary or no such directory),
 * `aborted` (shutdown).
 */
export type GitFailure = 'failed' | 'timeout' | 'missing' | 'aborted';

/** Settings of a {@link GitRunner}. */
export interface GitRunnerOptions {
  /** The git executable: a name looked up on PATH, or a path. */
  binary: string;
}

/** Spawns git commands with a deadline each; counts the ones still running after they were given up on. */
export class GitRunner {
  readonly #binary: string;
  #abandoned = 0;

  constructor(options: GitRunnerOptions) {
    this.#binary = options.binary;
  }

  /** Commands that timed out and whose process has not exited yet. */
  get abandoned(): number {
    return this.#abandoned;
  }

  /**
   * Runs `git <args>` in `cwd`. Settles within `timeoutMs` (or as soon as
   * `signal` aborts), whatever the process does. Never rejects.
   */
  run(cwd: string, args: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<GitOutcome> {
    if (signal.aborted) return Promise.resolve({ ok: false, reason: 'aborted', detail: 'shutting down' });
    const kill = new AbortController();
    let task: Promise<string>;
    try {
      const git = simpleGit({
        baseDir: cwd,
        binary: this.#binary,
        maxConcurrentProcesses: 1,
        abort: kill.signal,
        // Never let a repository's fsmonitor hook run a program on our behalf.
        config: ['core.fsmonitor=false'],
        unsafe: { allowUnsafeFsMonitor: true, allowUnsafeCustomBinary: this.#binary !== 'git' },
        // Also stop a git that keeps printing: the block timer restarts on output.
        timeout: { block: timeoutMs },
      });
      // --no-optional-locks: reading must never take index.lock from under the user's own git.
      task = git.raw(['--no-optional-locks', ...args]);
    } catch (error) {
      return Promise.resolve(classify(error));
    }
    return new Promise<GitOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: GitOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const giveUp = (outcome: GitOutcome): void => {
        if (settled) return;
        kill.abort();
        this.#abandoned++;
        task.then(
          () => this.#abandoned--,
          () => this.#abandoned--,
        );
        finish(outcome);
      };
      const onAbort = (): void => giveUp({ ok: false, reason: 'aborted', detail: 'shutting down' });
      const timer = setTimeout(() => giveUp({ ok: false, reason: 'timeout', detail: `git ${args[0]} took over ${timeoutMs} ms` }), timeoutMs);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
      task.then(
        (stdout) => finish({ ok: true, stdout }),
        (error: unknown) => finish(classify(error)),
      );
    });
  }
}

function classify(error: unknown): GitOutcome {
  const detail = error instanceof Error ? error.message : String(error);
  if (/ENOENT/.test(detail)) return { ok: false, reason: 'missing', detail: firstLine(detail) };
  if (/block timeout reached/.test(detail)) return { ok: false, reason: 'timeout', detail: firstLine(detail) };
  if (/abort/i.test(detail)) return { ok: false, reason: 'aborted', detail: firstLine(detail) };
  return { ok: false, reason: 'failed', detail: firstLine(detail) };
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
