/**
 * Turns a queue of transcript files into ingest batches: reads each queued
 * file from its checkpoint, maps its lines, and cuts a batch when it holds
 * enough events or bytes, with the checkpoint of every file it advanced.
 * Small files share a batch (one transaction for many files); a large file
 * spans several. Owns the read state of every file it has seen and the
 * chain-root index used to recognise forks. Runs inside the reader worker,
 * or inline when no worker is used.
 */
import { readFileSync } from 'node:fs';
import type { NormalizedEvent } from '../../schema/index.js';
import { decodeCheckpoint, encodeCheckpoint, type FileCheckpoint } from './checkpoint.js';
import { FileReader, type ReadOutcome } from './file-reader.js';
import type { FileIdentity, MapEnv, SubagentMeta } from './map-line.js';
import { metaPathOf } from './paths.js';
import type { LineScanner } from './native-scanner.js';

/** One unit handed to the sink: events plus the checkpoints they advance. */
export interface ReadBatch {
  events: NormalizedEvent[];
  /** Checkpoint values by file path. */
  checkpoints: { key: string; value: string }[];
  bytes: number;
  lines: number;
  /** Files read to their end in this batch. */
  finished: string[];
  /** Session ids of the main files finished in this batch (for progress). */
  sessions: string[];
  /** Paths found missing while reading. */
  gone: string[];
  /** Counter increments made while reading. */
  counters: Record<string, number>;
}

/** Options of a {@link BatchReader}. */
export interface BatchReaderOptions {
  /** Lines longer than this many bytes are skipped and counted. */
  maxLineBytes: number;
  includePromptText: boolean;
  now: () => number;
  /** Line scanner, resolved by the collector (see native-scanner.ts); default `js`. */
  scanner?: LineScanner;
}

const META_MAX_BYTES = 64 * 1024;

/** See the file comment. Not thread-safe; one owner calls it. */
export class BatchReader {
  readonly #opts: BatchReaderOptions;
  readonly #reader: FileReader;
  readonly #checkpoints = new Map<string, FileCheckpoint>();
  readonly #urgent = new Map<string, FileIdentity>();
  readonly #queue = new Map<string, FileIdentity>();
  readonly #rootOwner = new Map<string, string>();
  #counters: Record<string, number> = {};
  #metaCache = new Map<string, SubagentMeta | null>();

  constructor(opts: BatchReaderOptions) {
    this.#opts = opts;
    this.#reader = new FileReader(opts.scanner);
  }

  /** Installs committed checkpoints (path → stored value) before the first read. Unreadable values are ignored (those files are re-read). */
  load(checkpoints: Iterable<[string, string]>): void {
    for (const [path, value] of checkpoints) {
      const cp = decodeCheckpoint(value);
      if (cp === null) continue;
      this.#checkpoints.set(path, cp);
      for (const root of cp.roots) if (!this.#rootOwner.has(root)) this.#rootOwner.set(root, sessionOfRoot(path));
    }
  }

  /**
   * Queues files that may have unread bytes. `urgent` ones (live changes)
   * are read before the others (the backfill); a file already queued keeps
   * its place unless it becomes urgent.
   */
  enqueue(files: Iterable<FileIdentity>, urgent: boolean): void {
    for (const f of files) {
      if (this.#urgent.has(f.path)) continue;
      if (urgent) {
        this.#queue.delete(f.path);
        this.#urgent.set(f.path, f);
      } else if (!this.#queue.has(f.path)) {
        this.#queue.set(f.path, f);
      }
    }
  }

  /** Byte offset read so far in a file, or null when it was never read. */
  offsetOf(path: string): number | null {
    return this.#checkpoints.get(path)?.off ?? null;
  }

  /** Forgets every file's state (the next reads start from byte 0); the fork index is kept. */
  clear(): void {
    this.#checkpoints.clear();
  }

  /** Replaces a file's state with a committed value (after a batch could not be committed). */
  reset(path: string, value: string | null): void {
    const cp = value === null ? null : decodeCheckpoint(value);
    if (cp === null) this.#checkpoints.delete(path);
    else this.#checkpoints.set(path, cp);
  }

  /** Files waiting to be read. */
  get queued(): number {
    return this.#urgent.size + this.#queue.size;
  }

  /** Reads queued files until the batch is full or the queue is empty; null when nothing was queued. */
  next(maxEvents: number, maxBytes: number): ReadBatch | null {
    if (this.queued === 0) return null;
    const batch: ReadBatch = { events: [], checkpoints: [], bytes: 0, lines: 0, finished: [], sessions: [], gone: [], counters: {} };
    this.#counters = batch.counters;
    this.#metaCache = new Map();
    const env = this.#env();
    for (const [path, file, queue] of this.#entries()) {
      const budget = { maxEvents: maxEvents - batch.events.length, maxBytes: maxBytes - batch.bytes, maxLineBytes: this.#opts.maxLineBytes };
      const previous = this.#checkpoints.get(path) ?? null;
      let r: ReadOutcome;
      try {
        r = this.#reader.read(file, previous, env, budget, batch.events);
      } catch {
        // Unreadable for now (permissions, I/O error): the periodic rescan tries it again.
        env.count('transcripts.files_unreadable');
        queue.delete(path);
        continue;
      }
      if (r.gone) {
        queue.delete(path);
        this.#checkpoints.delete(path);
        batch.gone.push(path);
        continue;
      }
      this.#checkpoints.set(path, r.checkpoint);
      if (previous === null || encodeCheckpoint(previous) !== encodeCheckpoint(r.checkpoint)) {
        batch.checkpoints.push({ key: path, value: encodeCheckpoint(r.checkpoint) });
      }
      batch.bytes += r.bytes;
      batch.lines += r.lines;
      if (r.atEnd) {
        queue.delete(path);
        batch.finished.push(path);
        if (file.kind === 'main') batch.sessions.push(file.sessionId);
      }
      if (batch.events.length >= maxEvents || batch.bytes >= maxBytes) break;
    }
    batch.counters['transcripts.events_mapped'] = (batch.counters['transcripts.events_mapped'] ?? 0) + batch.events.length;
    return batch;
  }

  /** Queued files, urgent ones first, each with the queue holding it. */
  *#entries(): Generator<[string, FileIdentity, Map<string, FileIdentity>]> {
    for (const [path, file] of this.#urgent) yield [path, file, this.#urgent];
    for (const [path, file] of this.#queue) yield [path, file, this.#queue];
  }

  #env(): MapEnv {
    return {
      receivedAt: this.#opts.now(),
      includePromptText: this.#opts.includePromptText,
      count: (name, n = 1) => {
        this.#counters[name] = (this.#counters[name] ?? 0) + n;
      },
      fileBornMs: 0,
      subagentMeta: (file) => this.#meta(file),
      claimRoot: (uuid, sessionId) => this.#claimRoot(uuid, sessionId),
    };
  }

  #claimRoot(uuid: string, sessionId: string): string | null {
    const owner = this.#rootOwner.get(uuid);
    if (owner === undefined) {
      this.#rootOwner.set(uuid, sessionId);
      return null;
    }
    return owner === sessionId ? null : owner;
  }

  #meta(file: FileIdentity): SubagentMeta | null {
    const cached = this.#metaCache.get(file.path);
    if (cached !== undefined) return cached;
    let meta: SubagentMeta | null = null;
    try {
      const text = readFileSync(metaPathOf(file.path));
      if (text.length <= META_MAX_BYTES) {
        const raw = JSON.parse(text.toString('utf8')) as unknown;
        if (raw !== null && typeof raw === 'object') {
          const o = raw as Record<string, unknown>;
          meta = { agentType: str(o.agentType), description: str(o.description), toolUseId: str(o.toolUseId) };
        }
      }
    } catch {
      meta = null;
    }
    this.#metaCache.set(file.path, meta);
    return meta;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Main transcripts are named after their session; the root index only holds main files' roots. */
function sessionOfRoot(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : name;
}
