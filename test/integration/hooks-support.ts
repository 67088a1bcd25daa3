/**
 * Helpers for the hook integration tests: run the real `dossier hook` with a
 * payload on stdin (optionally beneath another process), and read a session
 * back from a running daemon.
 */
import { spawn } from 'node:child_process';
import type { SessionRecord, StoredEvent } from '../../schema/index.js';
import { DOSSIER_BIN, type DaemonHandle } from '../support/daemon.js';

/** Output of one `dossier hook` run. */
export interface HookRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/dossier.js hook` with `body` on stdin and the given environment. */
export function runHook(body: string, env: Record<string, string>, args: string[] = []): Promise<HookRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DOSSIER_BIN, 'hook', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(body);
  });
}

/** The environment that points `dossier hook` at a daemon's state dir and socket. */
export function hookEnv(daemon: Pick<DaemonHandle, 'home' | 'socket'>): Record<string, string> {
  return { DOSSIER_HOME: daemon.home, DOSSIER_SOCKET: daemon.socket };
}

/** `GET /v1/sessions/{id}`; undefined when the daemon does not know it yet. */
export async function sessionOf(daemon: DaemonHandle, id: string): Promise<SessionRecord | undefined> {
  const reply = await daemon.request('GET', `/v1/sessions/${encodeURIComponent(id)}`);
  if (reply.status === 404) return undefined;
  if (reply.status !== 200) throw new Error(`GET session ${id}: ${reply.status} ${reply.text}`);
  return (reply.json as { session: SessionRecord }).session;
}

/** Every event of a session, all pages. */
export async function eventsOf(daemon: DaemonHandle, id: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=1000&cursor=${encodeURIComponent(cursor)}` : '?limit=1000';
    const reply = await daemon.request('GET', `/v1/sessions/${encodeURIComponent(id)}/events${query}`);
    if (reply.status !== 200) throw new Error(`GET events ${id}: ${reply.status} ${reply.text}`);
    const page = reply.json as { events: StoredEvent[]; next_cursor: string | null };
    out.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return out;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
