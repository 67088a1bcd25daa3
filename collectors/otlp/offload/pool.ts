/**
 * A small pool of decode workers that exists only while there is work: the
 * first big request starts the workers (and is decoded on the caller's
 * thread meanwhile), and workers idle for a while are stopped, so an idle
 * daemon carries no extra threads or memory. Tasks go to the ready worker
 * with the fewest outstanding. A worker that dies fails its tasks (the caller
 * then does them itself) and the pool stops offering work, so a broken
 * worker costs speed, never data.
 */
import { Worker } from 'node:worker_threads';
import type { DecodeReply, DecodeTask } from './protocol.js';

interface Slot {
  worker: Worker;
  ready: boolean;
  pending: Map<number, (reply: DecodeReply | Error) => void>;
  idleTimer: NodeJS.Timeout | null;
  /** Runs while tasks are outstanding; restarted by each answer. Firing means the worker hangs. */
  stallTimer: NodeJS.Timeout | null;
  /** Set when the pool itself stops this worker, so its exit is not a failure. */
  retiring: boolean;
}

/** Default {@link DecodePoolOptions.stallMs}: far beyond the decode of the largest body the receiver admits. */
export const DEFAULT_STALL_MS = 30_000;

/** Options of {@link DecodePool}. */
export interface DecodePoolOptions {
  size: number;
  /** A worker with no task for this long is stopped. */
  idleMs: number;
  /** Told once, when a worker dies: the pool offers no more work. */
  onBroken: (reason: string) => void;
  /**
   * A worker with tasks outstanding that answers none for this long is taken
   * for hung: stopped and treated as dead, so requests are decoded inline
   * instead of waiting behind it forever. Default {@link DEFAULT_STALL_MS}.
   */
  stallMs?: number;
}

/** Decode workers started on demand. */
export class DecodePool {
  readonly #slots = new Set<Slot>();
  readonly #options: DecodePoolOptions;
  #nextId = 1;
  #broken: string | null = null;

  constructor(options: DecodePoolOptions) {
    this.#options = options;
  }

  /** False once a worker has died or the pool is closed. */
  get usable(): boolean {
    return this.#broken === null && this.#options.size > 0;
  }

  /** Workers currently running (ready or starting). */
  get running(): number {
    return this.#slots.size;
  }

  /**
   * Hands `task` to a ready worker; settles with its reply, or an Error if
   * the worker died. Returns null when no worker is ready yet (one is being
   * started): the caller decodes this task itself.
   */
  tryRun(task: Omit<DecodeTask, 'id'>): Promise<DecodeReply | Error> | null {
    if (!this.usable) return null;
    let best: Slot | null = null;
    for (const slot of this.#slots) if (slot.ready && (best === null || slot.pending.size < best.pending.size)) best = slot;
    if (this.#slots.size < this.#options.size && (best === null || best.pending.size > 0)) this.#spawnSlot();
    if (best === null) return null;
    const slot = best;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      slot.pending.set(id, resolve);
      if (slot.stallTimer === null) this.#armStall(slot);
      slot.worker.postMessage({ ...task, id } satisfies DecodeTask);
    });
  }

  /** Starts the workers now (not on the first big request) and resolves once one is ready, or the pool is unusable. */
  async warmUp(): Promise<void> {
    if (!this.usable) return;
    while (this.#slots.size < this.#options.size) this.#spawnSlot();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (!this.usable || [...this.#slots].some((slot) => slot.ready)) resolve();
        else setTimeout(check, 5);
      };
      check();
    });
  }

  /** Stops the workers for good; tasks still outstanding settle with an Error. */
  async close(): Promise<void> {
    this.#broken ??= 'closed';
    await Promise.all([...this.#slots].map((slot) => this.#retire(slot)));
  }

  #spawnSlot(): void {
    const slot: Slot = { worker: spawnWorker(), ready: false, pending: new Map(), idleTimer: null, stallTimer: null, retiring: false };
    this.#slots.add(slot);
    slot.worker.unref();
    slot.worker.on('message', (reply: unknown) => {
      // A worker bug, never the sender's input: treated like a death, so its tasks are done inline.
      if (!isWorkerMessage(reply)) return this.#kill(slot, 'decode worker sent a malformed message');
      if (reply.kind === 'ready') {
        slot.ready = true;
        this.#armIdle(slot);
        return;
      }
      const settle = slot.pending.get(reply.id);
      slot.pending.delete(reply.id);
      settle?.(reply);
      this.#disarmStall(slot);
      if (slot.pending.size === 0) this.#armIdle(slot);
      else this.#armStall(slot);
    });
    slot.worker.on('error', (err) => this.#fail(slot, `decode worker failed: ${err.message}`));
    slot.worker.on('exit', (code) => this.#fail(slot, `decode worker exited with code ${code}`));
  }

  /** Ends `slot` as dead: its tasks fail (their callers decode inline) and, unless the pool stopped it, the pool offers no more work. */
  #fail(slot: Slot, reason: string): void {
    this.#slots.delete(slot);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    this.#disarmStall(slot);
    for (const settle of slot.pending.values()) settle(new Error(reason));
    slot.pending.clear();
    if (slot.retiring || this.#broken !== null) return;
    this.#broken = reason;
    this.#options.onBroken(reason);
  }

  /** {@link #fail}s a worker that still runs but cannot be trusted, and stops it. */
  #kill(slot: Slot, reason: string): void {
    this.#fail(slot, reason);
    void slot.worker.terminate();
  }

  #armIdle(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => void this.#retire(slot), this.#options.idleMs);
    slot.idleTimer.unref();
  }

  #armStall(slot: Slot): void {
    const stallMs = this.#options.stallMs ?? DEFAULT_STALL_MS;
    slot.stallTimer = setTimeout(() => this.#kill(slot, `decode worker answered nothing for ${stallMs} ms`), stallMs);
    slot.stallTimer.unref();
  }

  #disarmStall(slot: Slot): void {
    if (slot.stallTimer) clearTimeout(slot.stallTimer);
    slot.stallTimer = null;
  }

  async #retire(slot: Slot): Promise<void> {
    slot.retiring = true;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    this.#disarmStall(slot);
    this.#slots.delete(slot);
    await slot.worker.terminate();
  }
}

/** The shape every worker message has; what a reply of each kind holds is checked where it is used (`fromReply`). */
function isWorkerMessage(message: unknown): message is DecodeReply | { kind: 'ready' } {
  if (typeof message !== 'object' || message === null) return false;
  const { kind, id } = message as { kind?: unknown; id?: unknown };
  return kind === 'ready' || (typeof kind === 'string' && typeof id === 'number');
}

/**
 * The compiled daemon runs `worker.js` directly. From TypeScript sources
 * (tests, benchmarks under tsx) the worker registers tsx first: Node does not
 * pass the parent's `--import` loaders on to worker threads.
 */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here));
  const entry = JSON.stringify(new URL('./worker.ts', here).href);
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); });`, { eval: true });
}
