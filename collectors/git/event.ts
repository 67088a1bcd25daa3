/**
 * Turns resolved git facts into a `git.context` event and decides its
 * dedupe key. The key chains on the previous key emitted for the same
 * (session, cwd): the same state seen again inserts nothing, any change
 * inserts a new event, and a return to an earlier state (main → feature →
 * main) is still a new event, so "latest wins" stays right.
 */
import { createHash } from 'node:crypto';
import type { EventOf } from '../../schema/index.js';
import type { CwdSighting } from './config.js';
import type { GitFacts } from './resolve.js';

/** What the enricher remembers per (session, cwd), as its checkpoint value. */
export interface EmittedState {
  /** Dedupe key of the last event emitted. */
  key: string;
  /** Digest of the facts it carried. */
  digest: string;
}

/** Checkpoint key of one (session, cwd). */
export function stateKey(sessionId: string, cwd: string): string {
  return `${sessionId}\n${cwd}`;
}

/** A stable digest of the facts (field order does not matter). */
export function factsDigest(facts: GitFacts): string {
  const sorted = Object.fromEntries(Object.entries(facts).sort(([a], [b]) => (a < b ? -1 : 1)));
  return hash(JSON.stringify(sorted));
}

/** Parses a checkpoint value; null when it is not one of ours. */
export function parseEmittedState(value: string): EmittedState | null {
  try {
    const parsed = JSON.parse(value) as Partial<EmittedState>;
    return typeof parsed.key === 'string' && typeof parsed.digest === 'string' ? { key: parsed.key, digest: parsed.digest } : null;
  } catch {
    return null;
  }
}

/**
 * The event for `facts` seen by `sighting`, keyed after `previous`. `ts` is
 * the sighting's activity time: the facts describe the session as of then,
 * and an enrichment must never look like later activity.
 */
export function gitContextEvent(
  sighting: CwdSighting,
  facts: GitFacts,
  previous: EmittedState | null,
  receivedAt: number,
): { event: EventOf<'git.context'>; state: EmittedState } {
  const digest = factsDigest(facts);
  const key = `g:${hash(`${sighting.session_id}\n${sighting.cwd}\n${digest}\n${previous?.key ?? ''}`)}`;
  // `branch` only, never the `git_branch` context attr: a detached checkout has no branch, and
  // a context attr left out would let an earlier event's branch stand as the latest.
  const attrs: EventOf<'git.context'>['attrs'] = { cwd: sighting.cwd, ...facts };
  const event: EventOf<'git.context'> = {
    dedupe_key: key,
    source: 'git',
    framework: sighting.framework,
    session_id: sighting.session_id,
    agent_id: null,
    ts: Math.max(0, Math.trunc(Math.min(sighting.at, receivedAt))),
    received_at: receivedAt,
    kind: 'git.context',
    attrs,
  };
  return { event, state: { key, digest } };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 27);
}
