/**
 * The hook spool's writer: one file per hook call the daemon could not take.
 *
 * Why files and not appends to one `hooks.spool.jsonl`: an O_APPEND write is
 * only all-or-nothing for small writes on local file systems, payloads reach
 * megabytes, and a crash mid-write would leave a torn line that every later
 * line depends on being skipped correctly. Here each record is written to a
 * temp name and renamed into place: rename is atomic, so the daemon sees a
 * record whole or not at all, any number of hooks write at once without a
 * lock, and "ingested" is simply "deleted after commit".
 */
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSpoolRecord, SPOOL_DIR_NAME, SPOOL_RECORD_SUFFIX, type SpoolRecord } from '../../collectors/hooks/wire.js';

/**
 * Writes one record into `<home>/hooks-spool` and returns its path. Names
 * start with the zero-padded fire time so a directory listing is roughly
 * chronological; the pid and random suffix keep concurrent writers apart.
 * Temp files start with a dot and are ignored by the reader.
 */
export function spoolHookCall(home: string, record: SpoolRecord): string {
  const dir = join(home, SPOOL_DIR_NAME);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Not crypto: the name only has to differ from concurrent writers' (pid does that), and 'wx' refuses a clash.
  const name = `${String(record.meta.fired_at).padStart(15, '0')}-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  const temp = join(dir, `.${name}.tmp`);
  const final = join(dir, `${name}${SPOOL_RECORD_SUFFIX}`);
  writeFileSync(temp, encodeSpoolRecord(record), { mode: 0o600, flag: 'wx' });
  try {
    renameSync(temp, final);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
  return final;
}
