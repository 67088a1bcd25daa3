/**
 * Waits for directories that do not exist yet (a Claude root on a machine
 * where Claude Code never ran). For each missing path it keeps one
 * non-recursive `fs.watch` on the nearest existing ancestor and reacts only
 * to the one entry that leads towards the path, so it moves down a level as
 * each folder is created and reports the path the moment it exists. An
 * ancestor that disappears makes it climb back up. At rest it costs one
 * inotify watch per missing path and no timers; events about unrelated
 * entries of the ancestor (a busy home directory) are dropped by name.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';

/** What the waiter reports. */
export interface PathWaiterEvents {
  /** `target` exists now; the waiter has stopped watching for it. */
  appeared(target: string): void;
  /** An ancestor watch failed or its directory vanished (counted; the owner's rescan re-arms). */
  failed(dir: string, error: unknown): void;
}

interface Wait {
  /** The ancestor being watched. */
  dir: string;
  /** Inode of `dir` when watched: a folder deleted and created again under the same name needs a new watch. */
  ino: number;
  watcher: FSWatcher;
}

/** Re-arming moves down at most this many levels per event (a deep `mkdir -p` settles in one go). */
const MAX_STEPS = 64;

/** See the file comment. */
export class PathWaiter {
  readonly #waits = new Map<string, Wait>();
  readonly #events: PathWaiterEvents;
  #closed = false;

  constructor(events: PathWaiterEvents) {
    this.#events = events;
  }

  /** Paths currently waited for. */
  get size(): number {
    return this.#waits.size;
  }

  /** True when `target` is waited for. */
  has(target: string): boolean {
    return this.#waits.has(target);
  }

  /** The ancestor directory watched for `target` now; undefined when `target` is not waited for. */
  watchedAncestor(target: string): string | undefined {
    return this.#waits.get(target)?.dir;
  }

  /**
   * Waits for the absolute path `target` (idempotent). When it already
   * exists, `appeared` is called before this returns.
   */
  wait(target: string): void {
    this.#arm(target);
  }

  /** Stops every watch. */
  close(): void {
    this.#closed = true;
    for (const target of [...this.#waits.keys()]) this.#drop(target);
  }

  /** Puts the watch on the nearest existing ancestor of `target`, or reports `target` when it exists. */
  #arm(target: string): void {
    for (let step = 0; step < MAX_STEPS && !this.#closed; step++) {
      if (exists(target)) {
        this.#drop(target);
        this.#events.appeared(target);
        return;
      }
      const dir = nearestDirectory(target);
      if (dir === null) {
        this.#drop(target);
        this.#events.failed(target, new Error('no existing ancestor'));
        return;
      }
      if (this.#waits.get(target)?.dir === dir) return;
      this.#drop(target);
      const next = nextComponent(dir, target);
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          const entry = name === null ? null : name.toString();
          // The ancestor itself going away is reported under its own name on some platforms.
          if (entry === null || entry === next || entry === basename(dir)) this.#rearm(target, dir);
        });
        watcher.on('error', (error) => {
          if (this.#waits.get(target)?.watcher !== watcher) return;
          this.#events.failed(dir, error);
          this.#drop(target);
          this.#arm(target);
        });
        this.#waits.set(target, { dir, ino: inodeOf(dir), watcher });
      } catch (error) {
        // Usually the ancestor vanished between the look-up and the watch: look again (bounded by MAX_STEPS).
        this.#events.failed(dir, error);
      }
      // Loop: the next level may have been created before the watch began.
    }
  }

  /** An event on the watched ancestor: move down (or up, when the ancestor vanished). */
  #rearm(target: string, dir: string): void {
    const w = this.#waits.get(target);
    if (this.#closed || w?.dir !== dir) return;
    if (!isDirectory(dir) || inodeOf(dir) !== w.ino) {
      this.#events.failed(dir, new Error('watched ancestor disappeared'));
      this.#drop(target);
    }
    this.#arm(target);
  }

  #drop(target: string): void {
    const w = this.#waits.get(target);
    if (!w) return;
    this.#waits.delete(target);
    try {
      w.watcher.close();
    } catch {
      // already closed by the platform
    }
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The inode of `path`; -1 when it is gone. */
function inodeOf(path: string): number {
  try {
    return statSync(path).ino;
  } catch {
    return -1;
  }
}

/** True when `path` is an existing directory. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The closest ancestor of `target` that is a directory; null when not even the filesystem root is. */
function nearestDirectory(target: string): string | null {
  let dir = dirname(target);
  for (;;) {
    if (isDirectory(dir)) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The name of the entry of `dir` that leads towards `target`. */
function nextComponent(dir: string, target: string): string {
  return relative(dir, target).split(sep)[0]!;
}
