/**
 * Helpers for the transcripts integration tests: a Claude root assembled
 * from fixture scenarios, and polling the real daemon's API until its
 * sessions say what a test expects.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionListResponse, SessionRecord, SessionResponse } from '../../schema/index.js';
import type { DaemonHandle } from '../support/daemon.js';
import { CLAUDE_FIXTURES } from '../support/shared-fixtures.js';

/** The real Claude Code captures. */
export const FIXTURES = CLAUDE_FIXTURES;

/** A temp Claude root holding the transcripts of the given fixture scenarios (and hand-written ones by path). */
export function rootWith(scenarios: string[], extraRoots: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'dsr-claude-'));
  for (const s of scenarios) cpSync(join(FIXTURES, s, 'transcripts'), root, { recursive: true });
  for (const r of extraRoots) cpSync(r, root, { recursive: true });
  return root;
}

/** One session record, or null while the daemon does not know it. */
export async function session(d: DaemonHandle, id: string): Promise<SessionRecord | null> {
  const reply = await d.request('GET', `/v1/sessions/${id}`);
  return reply.status === 200 ? (reply.json as SessionResponse).session : null;
}

/** Every session record (all pages). */
export async function allSessions(d: DaemonHandle): Promise<SessionRecord[]> {
  const out: SessionRecord[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `/v1/sessions?all=true&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const reply = await d.request('GET', q);
    if (reply.status !== 200) throw new Error(`GET ${q}: ${reply.status} ${reply.text}`);
    const body = reply.json as SessionListResponse;
    out.push(...body.sessions);
    cursor = body.next_cursor;
  } while (cursor);
  return out;
}

/** Polls until `check` returns a value (not undefined); fails with the last value seen after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
