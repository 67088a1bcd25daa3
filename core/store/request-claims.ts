/**
 * Cross-session request ownership. A forked or old-style resumed session
 * carries copies of its parent's API requests; each request counts once, for
 * the session the merge's `chooseRequestOwner` gives it to. This table keeps,
 * per request key, every session that claims it with the earliest time it saw
 * the request, and per session the session it was forked from.
 */
import type Database from 'better-sqlite3';
import type { NormalizedEvent } from '../../schema/index.js';
import { chooseRequestOwner, forkedFromOf, isRealRequest, requestKey } from '../merge/index.js';

interface Claimant {
  session_id: string;
  first_ts: number;
  forked_from: string | null;
}

/** A session that claims a request key, by integer key and id. */
export interface ClaimingSession {
  session_key: number;
  session_id: string;
}

/**
 * The only kinds ownership reads: API requests carry request keys
 * (`requestKey`) and starts carry the fork link (`forkedFromOf`). A
 * session's claims and lineage can be synced from just these events.
 */
export const CLAIM_KINDS = ['api.request', 'session.started'] as const;

/** Earliest event time per request key among `events`. */
function claimsOf(events: readonly NormalizedEvent[]): Map<string, number> {
  const firstTs = new Map<string, number>();
  for (const event of events) {
    // Skipping every other kind early is the hot-path saving.
    if (event.kind !== 'api.request') continue;
    if (!isRealRequest(event)) continue;
    const key = requestKey(event);
    const known = firstTs.get(key);
    if (known === undefined || event.ts < known) firstTs.set(key, event.ts);
  }
  return firstTs;
}

/** The session's start events: all `forkedFromOf` reads, without sorting the whole session. */
function startsOf(events: readonly NormalizedEvent[]): NormalizedEvent[] {
  return events.filter((e) => e.kind === 'session.started');
}

/** The `request_claims` and `session_lineage` tables, on the writer connection. */
export class RequestClaims {
  readonly #lineageOf: Database.Statement<[number], string>;
  readonly #setLineage: Database.Statement<[number, string]>;
  readonly #dropLineage: Database.Statement<[number]>;
  readonly #claimsOfSession: Database.Statement<[number], [string, number]>;
  readonly #heldOfKeys: Database.Statement<[string, number], [number, number]>;
  readonly #claimAll: Database.Statement<[number, string]>;
  readonly #claimantsOfKeys: Database.Statement<[string], ClaimingSession>;
  readonly #dropClaim: Database.Statement<[string, number]>;
  readonly #sharedKeysOf: Database.Statement<[number], string>;
  readonly #ownershipOfKey: Database.Statement<[string], Claimant>;
  readonly #clear: () => void;

  constructor(db: Database.Database) {
    this.#lineageOf = db.prepare<[number], string>('SELECT forked_from FROM session_lineage WHERE session_key = ?').pluck();
    this.#setLineage = db.prepare<[number, string]>(
      'INSERT INTO session_lineage (session_key, forked_from) VALUES (?, ?) ON CONFLICT (session_key) DO UPDATE SET forked_from = excluded.forked_from',
    );
    this.#dropLineage = db.prepare<[number]>('DELETE FROM session_lineage WHERE session_key = ?');
    this.#claimsOfSession = db
      .prepare<[number], [string, number]>('SELECT request_key, first_ts FROM request_claims WHERE session_key = ?')
      .raw();
    // Claims are read and written with one statement each, whatever their
    // number; keys travel as JSON text. Held claims come back
    // by position, not by key text: SQLite hands back a lone surrogate as
    // U+FFFD, so returned text need not equal the key sent.
    this.#heldOfKeys = db
      .prepare<[string, number], [number, number]>(
        // CROSS JOIN keeps the key list outside: one primary-key probe per key, not a scan of the session's claims per key.
        `SELECT j.key, c.first_ts FROM json_each(?) j CROSS JOIN request_claims c ON c.request_key = j.value AND c.session_key = ?`,
      )
      .raw();
    this.#claimAll = db.prepare<[number, string]>(
      `INSERT INTO request_claims (request_key, session_key, first_ts)
       SELECT value ->> 0, ?, value ->> 1 FROM json_each(?) WHERE true
       ON CONFLICT (request_key, session_key) DO UPDATE SET first_ts = excluded.first_ts`,
    );
    this.#claimantsOfKeys = db.prepare<[string], ClaimingSession>(
      `SELECT DISTINCT c.session_key, k.session_id FROM request_claims c JOIN session_keys k ON k.session_key = c.session_key
       WHERE c.request_key IN (SELECT value FROM json_each(?))`,
    );
    this.#dropClaim = db.prepare<[string, number]>('DELETE FROM request_claims WHERE request_key = ? AND session_key = ?');
    this.#sharedKeysOf = db
      .prepare<[number], string>(
        `SELECT c.request_key FROM request_claims c
         WHERE c.session_key = ?
           AND EXISTS (SELECT 1 FROM request_claims o WHERE o.request_key = c.request_key AND o.session_key <> c.session_key)`,
      )
      .pluck();
    this.#ownershipOfKey = db.prepare<[string], Claimant>(
      `SELECT k.session_id, c.first_ts, l.forked_from
       FROM request_claims c
       JOIN session_keys k ON k.session_key = c.session_key
       LEFT JOIN session_lineage l ON l.session_key = c.session_key
       WHERE c.request_key = ?
       ORDER BY k.session_id`,
    );
    const clearClaims = db.prepare('DELETE FROM request_claims');
    const clearLineage = db.prepare('DELETE FROM session_lineage');
    this.#clear = () => {
      clearClaims.run();
      clearLineage.run();
    };
  }

  /**
   * Brings one session's claims and lineage in line with its full event set
   * (or at least all its events of {@link CLAIM_KINDS}).
   * Returns the request keys whose claim by this session is new or changed
   * (all of the session's keys when its lineage changed): the owner of those
   * keys may have changed for every session claiming them.
   */
  sync(sessionKey: number, events: readonly NormalizedEvent[]): string[] {
    const wanted = claimsOf(events);
    const held = new Map(this.#claimsOfSession.all(sessionKey));
    const differing = [...wanted].filter(([key, firstTs]) => held.get(key) !== firstTs);
    if (differing.length > 0) this.#claimAll.run(sessionKey, JSON.stringify(differing));
    const changed = new Set(differing.map(([key]) => key));
    for (const key of held.keys()) {
      if (wanted.has(key)) continue;
      this.#dropClaim.run(key, sessionKey);
      changed.add(key);
    }
    if (this.#syncLineage(sessionKey, forkedFromOf(startsOf(events)))) {
      for (const key of wanted.keys()) changed.add(key);
    }
    return [...changed];
  }

  /**
   * Like {@link sync}, reading only the events `added` to the session, for a
   * session whose claims and lineage matched its events before they were
   * inserted (one that is not dirty): the ledger only grows, so its claims
   * can only gain keys or move earlier. `all` (every event of the session,
   * `added` included) is read only when an added start may move the fork
   * link. Returns the keys {@link sync} would.
   */
  syncAdded(sessionKey: number, added: readonly NormalizedEvent[], all: readonly NormalizedEvent[]): string[] {
    const changed = this.#claimEarlier(sessionKey, [...claimsOf(added)]);
    if (!added.some((e) => e.kind === 'session.started')) return changed;
    if (!this.#syncLineage(sessionKey, forkedFromOf(startsOf(all)))) return changed;
    return [...claimsOf(all).keys()];
  }

  /** Every session claiming any of `keys`, each once. */
  claimantsOf(keys: Iterable<string>): ClaimingSession[] {
    const list = [...keys];
    return list.length === 0 ? [] : this.#claimantsOfKeys.all(JSON.stringify(list));
  }

  /** Request keys this session claims but another session owns. */
  foreignKeysOf(sessionKey: number, sessionId: string): Set<string> {
    const foreign = new Set<string>();
    for (const key of this.#sharedKeysOf.all(sessionKey)) {
      if (chooseRequestOwner(this.#ownershipOfKey.all(key)) !== sessionId) foreign.add(key);
    }
    return foreign;
  }

  /** Deletes every claim and lineage row (rebuild recomputes them). */
  clear(): void {
    this.#clear();
  }

  /** Adds each claim the session does not hold yet or holds from a later time; returns their keys. */
  #claimEarlier(sessionKey: number, claims: readonly [key: string, firstTs: number][]): string[] {
    if (claims.length === 0) return [];
    const held = new Map(this.#heldOfKeys.all(JSON.stringify(claims.map(([key]) => key)), sessionKey));
    const earlier = claims.filter(([, firstTs], i) => {
      const heldTs = held.get(i);
      return heldTs === undefined || firstTs < heldTs;
    });
    if (earlier.length > 0) this.#claimAll.run(sessionKey, JSON.stringify(earlier));
    return earlier.map(([key]) => key);
  }

  #syncLineage(sessionKey: number, forkedFrom: string | null): boolean {
    const current = this.#lineageOf.get(sessionKey) ?? null;
    if (current === forkedFrom) return false;
    if (forkedFrom === null) this.#dropLineage.run(sessionKey);
    else this.#setLineage.run(sessionKey, forkedFrom);
    return true;
  }
}
