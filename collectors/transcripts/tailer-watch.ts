/**
 * The tailer's eyes: watches the transcript directories (and waits for
 * roots that do not exist yet), and turns what the watchers report into the
 * transcripts to read. It never reads a file itself; the {@link Tailer}
 * queues what it is handed and decides when to read.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DirWatcher } from './dir-watcher.js';
import { walk, type Discovery } from './discover.js';
import type { FileIdentity } from './map-line.js';
import { isDirectory, PathWaiter } from './path-waiter.js';
import { classifyTranscript, PROJECTS_DIR, SKIPPED_DIRS } from './paths.js';

/** Bound on re-listing a new folder tree while it is still being created (the rescan covers the rest). */
const MAX_ATTACH_PASSES = 8;

/** What {@link TailerWatch} watches: the tailer's roots and watch settings. */
export interface TailerWatchOptions {
  roots: string[];
  debounceMs: number;
  /** Watch directories for changes (off: nothing is watched; only rescans find changes). */
  watch: boolean;
}

/** Where {@link TailerWatch} reports. */
export interface TailerWatchEvents {
  /**
   * Transcripts to read because of a change or a root that appeared (the
   * list may be empty). Never called after {@link TailerWatch.close}.
   */
  found(files: FileIdentity[]): void;
  /** A non-fatal problem worth one log line (the first watch failure only). */
  warn(message: string): void;
}

/** See the file comment. */
export class TailerWatch {
  readonly #opts: TailerWatchOptions;
  readonly #events: TailerWatchEvents;
  readonly #watcher: DirWatcher;
  /** Missing roots (a machine where Claude Code has not run yet), watched for from their nearest existing ancestor. */
  readonly #waiter: PathWaiter;
  #closed = false;
  #failures = 0;

  constructor(opts: TailerWatchOptions, events: TailerWatchEvents) {
    this.#opts = opts;
    this.#events = events;
    this.#watcher = new DirWatcher(
      {
        changed: (paths) => this.#changed(paths),
        failed: (dir, error) => {
          this.#failures++;
          if (this.#failures === 1) this.#events.warn(`cannot watch ${dir} (${String(error)}); relying on periodic rescans`);
        },
      },
      opts.debounceMs,
    );
    this.#waiter = new PathWaiter({
      // Deferred: `wait` may report at once, in the middle of a discovery.
      appeared: (root) => queueMicrotask(() => this.#rootAppeared(root)),
      failed: () => {
        this.#failures++;
      },
    });
  }

  /** Directories watched now. */
  get size(): number {
    return this.#watcher.size;
  }

  /** Directories and roots that could not be watched, since the start. */
  get failures(): number {
    return this.#failures;
  }

  /** Watches discovered directories; a root that does not exist yet is waited for instead. No-op with `watch` off. */
  watchDirs(dirs: readonly string[]): void {
    if (!this.#opts.watch) return;
    for (const dir of dirs) {
      if (this.#opts.roots.includes(dir) && !isDirectory(dir)) {
        // A watch left on a deleted root would never fire again.
        this.#watcher.unwatch(dir);
        this.#waiter.wait(dir);
      } else this.#watcher.watch(dir);
    }
  }

  /** The root `path` lies in (or is), or null when it is under none of them. */
  rootOf(path: string): string | null {
    for (const root of this.#opts.roots) if (path === root || path.startsWith(`${root}/`)) return root;
    return null;
  }

  /** Stops every watch and wait; nothing is reported afterwards. */
  close(): void {
    this.#closed = true;
    this.#watcher.close();
    this.#waiter.close();
  }

  /** A root that was missing exists now: watch it and read what is already in it. */
  #rootAppeared(root: string): void {
    if (this.#closed) return;
    const files: FileIdentity[] = [];
    if (this.#watcher.watch(root)) this.#attach(root, join(root, PROJECTS_DIR), files);
    this.#events.found(files);
  }

  #changed(paths: string[]): void {
    if (this.#closed) return;
    const files: FileIdentity[] = [];
    for (const path of paths) {
      const root = this.rootOf(path);
      if (root === null) continue;
      if (path.endsWith('.jsonl')) {
        const id = classifyTranscript(root, path);
        if (id) files.push(id);
        continue;
      }
      if (path.endsWith('.meta.json')) {
        // A sidecar can land after its transcript: read the transcript again to date the subagent.
        const id = classifyTranscript(root, `${path.slice(0, -'.meta.json'.length)}.jsonl`);
        if (id) files.push(id);
        continue;
      }
      this.#maybeNewDir(root, path, files);
    }
    this.#events.found(files);
  }

  /** A new directory (a project, a session's subagent folder): watch it and everything in it. */
  #maybeNewDir(root: string, path: string, files: FileIdentity[]): void {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (SKIPPED_DIRS.has(name)) return;
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      this.#watcher.unwatch(path);
      // A deleted root is waited for again, so its re-creation is seen at once.
      if (path === root && this.#opts.watch) this.#waiter.wait(root);
      return;
    }
    if (!isDir || !this.#opts.watch) return;
    this.#attach(root, path === root ? join(root, PROJECTS_DIR) : path, files);
  }

  /**
   * Watches `dir` and every folder below it, collecting their transcripts.
   * Lists again after watching until no new folder turns up: an entry
   * created between a folder's listing and its watch (`mkdir -p` followed
   * by the first write) would otherwise wait for the rescan.
   */
  #attach(root: string, dir: string, files: FileIdentity[]): void {
    const seen = new Set<string>();
    for (let pass = 0; pass < MAX_ATTACH_PASSES; pass++) {
      const found: Discovery = { files: [], dirs: [] };
      walk(root, dir, found);
      let added = 0;
      for (const d of found.dirs) if (!this.#watcher.has(d) && this.#watcher.watch(d)) added++;
      for (const f of found.files) {
        if (seen.has(f.identity.path)) continue;
        seen.add(f.identity.path);
        files.push(f.identity);
      }
      if (added === 0) return;
    }
  }
}
