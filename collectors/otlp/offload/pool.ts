/**
 * A small pool of decode workers. Tasks go to the worker with the fewest
 * outstanding; a worker that dies fails its tasks (the receiver then does
 * them itself) and the pool stops offering work, so a broken worker costs
 * speed, never data.
 */
import { Worker } from 'node:worker_threads';
import type { DecodeReply, DecodeTask } from './protocol.js';

interface Slot {
  worker: Worker;
  pending: Map<number, (reply: DecodeReply | Error) => void>;
}

/** Decode workers; `run` settles with the worker's reply or an Error when the worker is gone. */
export class DecodePool {
  readonly #slots: Slot[] = [];
  #nextId = 1;
  #broken: string | null = null;
  readonly #onBroken: (reason: string) => void;

  /** Starts `size` workers; `onBroken` is told once if one dies. */
  constructor(size: number, onBroken: (reason: string) => void) {
    this.#onBroken = onBroken;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawnSlot());
  }

  /** False once a worker has died or the pool is closed: callers decode on their own thread. */
  get usable(): boolean {
    return this.#broken === null && this.#slots.length > 0;
  }

  run(task: Omit<DecodeTask, 'id'>): Promise<DecodeReply | Error> {
    const slot = this.#slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.#nextId++;
    return new Promise((resolve) => {
      slot.pending.set(id, resolve);
      slot.worker.postMessage({ ...task, id } satisfies DecodeTask);
    });
  }

  /** Stops the workers; tasks still outstanding settle with an Error. */
  async close(): Promise<void> {
    this.#broken ??= 'closed';
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #spawnSlot(): Slot {
    const slot: Slot = { worker: spawnWorker(), pending: new Map() };
    slot.worker.unref();
    slot.worker.on('message', (reply: DecodeReply) => {
      const settle = slot.pending.get(reply.id);
      slot.pending.delete(reply.id);
      settle?.(reply);
    });
    const fail = (reason: string): void => {
      for (const settle of slot.pending.values()) settle(new Error(reason));
      slot.pending.clear();
      if (this.#broken === null) {
        this.#broken = reason;
        this.#onBroken(reason);
      }
    };
    slot.worker.on('error', (err) => fail(`decode worker failed: ${err.message}`));
    slot.worker.on('exit', (code) => fail(`decode worker exited with code ${code}`));
    return slot;
  }
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
