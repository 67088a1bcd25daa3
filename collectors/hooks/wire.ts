/**
 * The wire contract between `dossier hook` (the forwarder an agent runs for
 * every hook event) and the daemon. The payload travels untouched, exactly as
 * the agent wrote it; what the forwarder learned besides it (when the hook
 * fired, which process runs the agent) travels beside it: as request headers
 * on `POST /v1/hooks/{framework}`, or as the first line of a spool record.
 *
 * This file imports nothing, so the forwarder can load it without pulling the
 * daemon's dependencies into an agent's hot path.
 */

/** The spool directory's name inside the state dir: one file per hook call the daemon could not take. */
export const SPOOL_DIR_NAME = 'hooks-spool';

/** Suffix of finished spool records; anything else in the spool dir is a write in progress or debris. */
export const SPOOL_RECORD_SUFFIX = '.hook';

/** Directory (inside the state dir) where the forwarder remembers forks; see `fork-memo` in the forwarder. */
export const FORK_MEMO_DIR_NAME = 'hooks-forks';

/** Request headers carrying {@link ForwardedMeta} on `POST /v1/hooks/{framework}`. */
export const HOOK_HEADERS = {
  firedAt: 'dossier-hook-fired-at',
  pid: 'dossier-hook-pid',
  processStart: 'dossier-hook-process-start',
  executable: 'dossier-hook-executable',
  fork: 'dossier-hook-fork',
  entrypoint: 'dossier-hook-entrypoint',
} as const;

/**
 * What a fork-session agent's hook call means for lineage (Claude Code before
 * 2.1.214 reports a fork's SessionStart under the parent's id):
 * `parent` — the payload names the session being forked, not the running one;
 * `child` — the payload's session is the fork, made from `parent_id`.
 */
export type ForkRole = { role: 'parent' } | { role: 'child'; parent_id: string };

/** Facts the forwarder adds to a payload. Everything but `fired_at` may be unknown. */
export interface ForwardedMeta {
  /** When the hook fired, ms since epoch (stamped once; a retry or spool keeps it). */
  fired_at: number;
  /** The agent's own process: walked up from the hook past shells. */
  pid?: number;
  /** That process's start time, ms since epoch; with `pid` it survives PID reuse. */
  process_start?: number;
  /** Base name of the agent's executable. */
  executable?: string;
  fork?: ForkRole;
  /** `CLAUDE_CODE_ENTRYPOINT` of the hook's environment (`cli`, `sdk-cli`, …). */
  entrypoint?: string;
}

/** Serializes meta into request headers (only the known fields). */
export function metaToHeaders(meta: ForwardedMeta): Record<string, string> {
  const headers: Record<string, string> = { [HOOK_HEADERS.firedAt]: String(meta.fired_at) };
  if (meta.pid !== undefined) headers[HOOK_HEADERS.pid] = String(meta.pid);
  if (meta.process_start !== undefined) headers[HOOK_HEADERS.processStart] = String(meta.process_start);
  if (meta.executable !== undefined) headers[HOOK_HEADERS.executable] = encodeURIComponent(meta.executable);
  if (meta.entrypoint !== undefined) headers[HOOK_HEADERS.entrypoint] = encodeURIComponent(meta.entrypoint);
  if (meta.fork !== undefined) {
    headers[HOOK_HEADERS.fork] = meta.fork.role === 'parent' ? 'parent' : `child ${encodeURIComponent(meta.fork.parent_id)}`;
  }
  return headers;
}

/**
 * Reads meta back from request headers. Returns undefined when the request
 * carries no `fired-at` header (an agent's own HTTP hook); a malformed field is
 * dropped rather than failing the request, since the payload is still good.
 */
export function metaFromHeaders(header: (name: string) => string | undefined): ForwardedMeta | undefined {
  const firedAt = epochMs(header(HOOK_HEADERS.firedAt));
  if (firedAt === undefined) return undefined;
  const meta: ForwardedMeta = { fired_at: firedAt };
  const pid = positiveInt(header(HOOK_HEADERS.pid));
  const start = epochMs(header(HOOK_HEADERS.processStart));
  if (pid !== undefined && start !== undefined) {
    meta.pid = pid;
    meta.process_start = start;
  }
  const executable = decoded(header(HOOK_HEADERS.executable));
  if (executable !== undefined) meta.executable = executable;
  const entrypoint = decoded(header(HOOK_HEADERS.entrypoint));
  if (entrypoint !== undefined) meta.entrypoint = entrypoint;
  const fork = parseFork(header(HOOK_HEADERS.fork));
  if (fork !== undefined) meta.fork = fork;
  return meta;
}

/** One spooled hook call: framework, meta, and the payload bytes as the agent wrote them. */
export interface SpoolRecord {
  framework: string;
  meta: ForwardedMeta;
  payload: Buffer;
}

/**
 * Encodes a spool record: one JSON header line, then the raw payload. The
 * payload is not re-encoded, so the daemon maps exactly what it would have
 * received over the socket.
 */
export function encodeSpoolRecord(record: SpoolRecord): Buffer {
  const head = JSON.stringify({ v: 1, framework: record.framework, meta: record.meta });
  return Buffer.concat([Buffer.from(`${head}\n`), record.payload]);
}

/** Decodes a spool record; a string names what is wrong with it. */
export function decodeSpoolRecord(bytes: Buffer): SpoolRecord | string {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return 'no header line';
  let head: unknown;
  try {
    head = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    return 'header line is not JSON';
  }
  if (head === null || typeof head !== 'object') return 'header line is not an object';
  const { v, framework, meta } = head as { v?: unknown; framework?: unknown; meta?: unknown };
  if (v !== 1) return `unknown record version ${JSON.stringify(v)}`;
  if (typeof framework !== 'string' || framework === '') return 'header has no framework';
  const checked = checkMeta(meta);
  if (checked === undefined) return 'header meta is malformed';
  return { framework, meta: checked, payload: bytes.subarray(newline + 1) };
}

function checkMeta(value: unknown): ForwardedMeta | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const raw = value as Record<string, unknown>;
  const firedAt = typeof raw.fired_at === 'number' ? epochMs(String(raw.fired_at)) : undefined;
  if (firedAt === undefined) return undefined;
  const meta: ForwardedMeta = { fired_at: firedAt };
  if (typeof raw.pid === 'number' && typeof raw.process_start === 'number') {
    const pid = positiveInt(String(raw.pid));
    const start = epochMs(String(raw.process_start));
    if (pid !== undefined && start !== undefined) {
      meta.pid = pid;
      meta.process_start = start;
    }
  }
  if (typeof raw.executable === 'string' && raw.executable !== '') meta.executable = raw.executable;
  if (typeof raw.entrypoint === 'string' && raw.entrypoint !== '') meta.entrypoint = raw.entrypoint;
  const fork = raw.fork as { role?: unknown; parent_id?: unknown } | undefined;
  if (fork?.role === 'parent') meta.fork = { role: 'parent' };
  else if (fork?.role === 'child' && typeof fork.parent_id === 'string' && fork.parent_id !== '') {
    meta.fork = { role: 'child', parent_id: fork.parent_id };
  }
  return meta;
}

function parseFork(value: string | undefined): ForkRole | undefined {
  if (value === 'parent') return { role: 'parent' };
  if (value?.startsWith('child ')) {
    const parent = decoded(value.slice('child '.length));
    if (parent !== undefined) return { role: 'child', parent_id: parent };
  }
  return undefined;
}

function epochMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,16}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function positiveInt(value: string | undefined): number | undefined {
  const n = epochMs(value);
  return n !== undefined && n >= 1 && n <= 4_194_304 ? n : undefined;
}

function decoded(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return decodeURIComponent(value).slice(0, 256);
  } catch {
    return undefined;
  }
}
