/**
 * The hook spool's reader: ingests the records `dossier hook` wrote while the
 * daemon was down or slow (one file each, see the forwarder's spool-writer),
 * in batches, and deletes each file only after its events are committed. A
 * crash between commit and delete re-reads the file; its events carry the
 * same dedupe keys (they derive from the record, not from when it is read),
 * so nothing counts twice. A record that cannot be decoded or mapped is
 * counted and deleted: reading it again would only fail again.
 */
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isDossierError } from '../../schema/errors.js';
import type { NormalizedEvent } from '../../schema/events.js';
import type { Counters } from '../../core/pipeline/counters.js';
import type { EventSink } from '../../core/pipeline/sink.js';
import type { ClaudeHookOptions } from './claude-map.js';
import { hookCallEvents } from './receive.js';
import { decodeSpoolRecord, SPOOL_RECORD_SUFFIX } from './wire.js';

/** A temp file older than this was left by a forwarder that died mid-write. */
const DEBRIS_AGE_MS = 60 * 60 * 1000;

/** What one drain did. */
export interface DrainResult {
  files: number;
  events: number;
  inserted: number;
  rejected: number;
  /** True when it stopped early: the pipeline refused, or it was asked to stop. */
  interrupted: boolean;
}

/** What the reader needs. */
export interface SpoolReaderDeps {
  dir: string;
  sink: EventSink;
  counters: Counters;
  now: () => number;
  /** Most records per committed batch. */
  batchFiles: number;
  /** How the calls are mapped (prompt text kept or not); without it the mapping's defaults. */
  options?: ClaudeHookOptions;
}

/**
 * Ingests every finished record in the spool, oldest name first, until the
 * spool is empty, the pipeline refuses, or `signal` aborts. Never throws for
 * a bad record; a missing spool dir is an empty spool.
 */
export async function drainSpool(deps: SpoolReaderDeps, signal: AbortSignal): Promise<DrainResult> {
  const result: DrainResult = { files: 0, events: 0, inserted: 0, rejected: 0, interrupted: false };
  const names = listRecords(deps);
  for (let start = 0; start < names.length; start += deps.batchFiles) {
    if (signal.aborted || !deps.sink.accepting) {
      result.interrupted = true;
      break;
    }
    const batch = names.slice(start, start + deps.batchFiles).map((name) => join(deps.dir, name));
    const events: NormalizedEvent[] = [];
    const done: string[] = [];
    for (const path of batch) {
      const read = readRecord(path, deps);
      if (read === 'gone') continue;
      done.push(path);
      if (read === 'rejected') result.rejected += 1;
      else events.push(...read);
    }
    if (events.length > 0) {
      try {
        const committed = await deps.sink.submit({ events });
        result.inserted += committed.inserted;
      } catch (error) {
        if (!isDossierError(error)) throw error;
        deps.counters.inc('hooks.spool_submit_refused');
        result.interrupted = true;
        break;
      }
    }
    for (const path of done) removeQuietly(path);
    result.files += done.length;
    result.events += events.length;
    deps.counters.inc('hooks.spool_records', done.length);
  }
  return result;
}

/** Deletes temp files older than an hour (a forwarder died between write and rename); returns how many. */
export function sweepSpoolDebris(dir: string, now: number): number {
  let removed = 0;
  for (const name of safeList(dir)) {
    if (!name.startsWith('.') || !name.endsWith('.tmp')) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > DEBRIS_AGE_MS) {
        unlinkSync(path);
        removed += 1;
      }
    } catch {
      // Renamed or removed meanwhile: nothing to sweep.
    }
  }
  return removed;
}

/** Deletes files in `dir` last modified more than `maxAgeMs` ago; returns how many. */
export function sweepOldFiles(dir: string, now: number, maxAgeMs: number): number {
  let removed = 0;
  for (const name of safeList(dir)) {
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > maxAgeMs) {
        unlinkSync(path);
        removed += 1;
      }
    } catch {
      // Gone already.
    }
  }
  return removed;
}

function listRecords(deps: SpoolReaderDeps): string[] {
  return safeList(deps.dir)
    .filter((name) => name.endsWith(SPOOL_RECORD_SUFFIX) && !name.startsWith('.'))
    .sort();
}

function readRecord(path: string, deps: SpoolReaderDeps): NormalizedEvent[] | 'rejected' | 'gone' {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return 'gone';
  }
  const record = decodeSpoolRecord(bytes);
  if (typeof record === 'string') {
    deps.counters.inc('hooks.spool_records_malformed');
    return 'rejected';
  }
  try {
    const payload: unknown = JSON.parse(record.payload.toString('utf8'));
    return hookCallEvents(deps, record.framework, payload, record.meta, deps.now());
  } catch {
    deps.counters.inc('hooks.spool_records_malformed');
    return 'rejected';
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (another pass, or the user): nothing was lost, it was committed.
  }
}
