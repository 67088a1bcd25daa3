/**
 * Doctor checks about files: Claude Code's settings carry dossier's hooks and
 * OTel variables, the transcripts root is readable, the hook spool is empty,
 * the database passes `PRAGMA quick_check`, and the disk has room.
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SPOOL_DIR_NAME, SPOOL_RECORD_SUFFIX } from '../../../collectors/hooks/wire.js';
import { CLAUDE_HOOK_EVENTS } from '../../setup/claude-plan.js';
import { claudeSettingsPaths } from '../../setup/locations.js';
import { ok, problem, type SyncCheck } from './check.js';

/** Below either of these the disk check warns. */
const DISK_MIN_FREE_BYTES = 1024 ** 3;
const DISK_MIN_FREE_SHARE = 0.05;
/** Below either of these it fails: SQLite needs room for its WAL and a vacuum's copy. */
const DISK_CRITICAL_FREE_BYTES = 100 * 1024 ** 2;
const DISK_CRITICAL_FREE_SHARE = 0.01;

/** Every Claude settings file has a dossier handler for each hook event and the OTel exporter variables. */
export const claudeSettings: SyncCheck = (ctx) => {
  const missing: string[] = [];
  for (const path of claudeSettingsPaths({ env: ctx.env, userHome: ctx.userHome })) {
    let settings: Record<string, unknown>;
    try {
      settings = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      missing.push(`${path}: ${code === 'ENOENT' ? 'does not exist' : `unreadable (${code ?? (error instanceof Error ? error.message : String(error))})`}`);
      continue;
    }
    const hooks = (settings.hooks ?? {}) as Record<string, unknown>;
    const without = CLAUDE_HOOK_EVENTS.filter((event) => !hasDossierHandler(hooks[event]));
    if (without.length > 0) missing.push(`${path}: no dossier hook for ${without.join(', ')}`);
    const env = (settings.env ?? {}) as Record<string, unknown>;
    const vars = ['CLAUDE_CODE_ENABLE_TELEMETRY', 'OTEL_LOGS_EXPORTER', 'OTEL_METRICS_EXPORTER', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter((k) => typeof env[k] !== 'string' || env[k] === '');
    if (vars.length > 0) missing.push(`${path}: OTel variables not set: ${vars.join(', ')}`);
  }
  if (missing.length === 0) return ok('claude.settings', 'Claude Code settings carry the dossier hooks and OTel variables');
  return problem('claude.settings', 'warn', missing.join('; '), 'dossier setup claude (adds the hooks and OTel variables; --undo removes them)');
};

/** Each Claude root's `projects/` directory can be listed. */
export const transcriptsReadable: SyncCheck = (ctx) => {
  const roots = claudeSettingsPaths({ env: ctx.env, userHome: ctx.userHome }).map((p) => join(dirname(p), 'projects'));
  const bad: string[] = [];
  for (const root of roots) {
    if (!existsSync(root)) {
      bad.push(`${root} does not exist yet`);
      continue;
    }
    try {
      accessSync(root, constants.R_OK | constants.X_OK);
    } catch (error) {
      bad.push(`${root} is not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (bad.length === 0) return ok('transcripts.readable', `transcripts readable in ${roots.join(', ')}`);
  const unreadable = bad.some((b) => b.includes('not readable'));
  return problem('transcripts.readable', unreadable ? 'fail' : 'warn', bad.join('; '), unreadable ? 'give your user read access: chmod u+rx on that directory' : 'nothing to do until Claude Code has run once; if it keeps its files elsewhere, set CLAUDE_CONFIG_DIR or claude-dir in the config file');
};

/** No hook calls wait in the spool (they mean the daemon was down or is failing to ingest). */
export const spoolEmpty: SyncCheck = (ctx) => {
  const dir = join(ctx.paths.home, SPOOL_DIR_NAME);
  let waiting = 0;
  try {
    waiting = readdirSync(dir).filter((n) => n.endsWith(SPOOL_RECORD_SUFFIX)).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (waiting === 0) return ok('hooks.spool', 'the hook spool is empty');
  const running = 'status' in ctx.daemon;
  return problem('hooks.spool', 'warn', `${waiting} hook call(s) wait in ${dir}`, running ? 'the daemon ingests them within seconds; if they stay, see dossier status (hooks component) and dossier service logs' : 'start the daemon; it ingests them on start: dossier service install');
};

/** `PRAGMA quick_check` on a read-only connection (safe while the daemon writes). */
export const databaseIntegrity: SyncCheck = (ctx) => {
  if (!existsSync(ctx.paths.db)) return ok('database.integrity', `no database yet at ${ctx.paths.db}`);
  const db = new Database(ctx.paths.db, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const messages = rows.map((r) => r.quick_check);
    if (messages.length === 1 && messages[0] === 'ok') return ok('database.integrity', `${ctx.paths.db} passes quick_check`);
    return problem('database.integrity', 'fail', `${ctx.paths.db} fails quick_check: ${messages.slice(0, 3).join('; ')}`, 'stop the daemon, restore the latest `dossier backup` copy in its place (or move the file aside to start fresh), then start the daemon');
  } catch (error) {
    return problem('database.integrity', 'fail', `${ctx.paths.db} cannot be checked: ${error instanceof Error ? error.message : String(error)}`, 'stop the daemon and restore the latest `dossier backup` copy in its place');
  } finally {
    db.close();
  }
};

/** The state dir's file system has room to grow. */
export const diskSpace: SyncCheck = (ctx) => {
  const probe = existsSync(ctx.paths.home) ? ctx.paths.home : dirname(ctx.paths.home);
  const { free, total } = ctx.diskSpace(probe);
  const gib = (n: number): string => `${(n / 1024 ** 3).toFixed(1)} GiB`;
  const detail = `${gib(free)} free of ${gib(total)} on the file system of ${probe}`;
  const low = free < DISK_MIN_FREE_BYTES || free < total * DISK_MIN_FREE_SHARE;
  if (!low) return ok('disk.space', detail);
  const critical = free < DISK_CRITICAL_FREE_BYTES || free < total * DISK_CRITICAL_FREE_SHARE;
  return problem('disk.space', critical ? 'fail' : 'warn', detail, 'free some space; dossier gc --older-than 30 shrinks the database');
};

function hasDossierHandler(groups: unknown): boolean {
  if (!Array.isArray(groups)) return false;
  return groups.some((group) => {
    const handlers = (group as { hooks?: unknown }).hooks;
    if (!Array.isArray(handlers)) return false;
    return handlers.some((h: Record<string, unknown>) =>
      (h.type === 'command' && typeof h.command === 'string' && /\bdossier(\.js)?\b.*\bhook\b/.test(h.command)) ||
      (h.type === 'http' && typeof h.url === 'string' && h.url.includes('/v1/hooks/')),
    );
  });
}
