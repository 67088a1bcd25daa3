/**
 * The daemon's log file with size-based rotation: `dossier.log` is renamed to
 * `dossier.log.1` (older ones shift up, the oldest is dropped) once it passes
 * a size. Writes are synchronous, like the rest of the daemon's logging, so
 * the last lines before an exit are on disk.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Rotation limits. */
export interface RotationOptions {
  /** Rotate once the file reaches this many bytes (default 10 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the live one (default 5). */
  keep?: number;
}

/** An append-only log file that rotates itself. */
export class RotatingLogFile {
  readonly path: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #fd: number;
  #size: number;

  /** Opens (creating with mode 0600, and its directory with 0700) the file at `path`. */
  constructor(path: string, options: RotationOptions = {}) {
    this.path = path;
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.#keep = options.keep ?? 5;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.#fd = openSync(path, 'a', 0o600);
    this.#size = fstatSync(this.#fd).size;
  }

  /** Appends one chunk (a log line), rotating first when it would pass the limit. */
  write(chunk: string): void {
    const bytes = Buffer.byteLength(chunk);
    if (this.#size > 0 && this.#size + bytes > this.#maxBytes) this.#rotate();
    writeSync(this.#fd, chunk);
    this.#size += bytes;
  }

  /** Closes the file; later writes are dropped. */
  close(): void {
    if (this.#fd < 0) return;
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #rotate(): void {
    closeSync(this.#fd);
    rmSync(`${this.path}.${this.#keep}`, { force: true });
    for (let i = this.#keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (this.#keep > 0) renameSync(this.path, `${this.path}.1`);
    else rmSync(this.path, { force: true });
    this.#fd = openSync(this.path, 'a', 0o600);
    this.#size = 0;
  }
}
