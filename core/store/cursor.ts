/**
 * Opaque page cursors: the sort key of the last row of a page, as base64url
 * JSON. Keyset pagination keeps pages stable while new rows arrive: a new row
 * sorts before the cursor or after it, never shifting the rows in between.
 */
import { DossierError } from '../../schema/index.js';

/** Sort key of a session list row: activity key (desc) then session id (asc). */
export type SessionCursor = readonly [activityKey: number, sessionId: string];
/** Sort key of a timeline row: ts then seq (both asc). */
export type EventCursor = readonly [ts: number, seq: number];

/** Encodes a session list cursor. */
export function encodeSessionCursor(key: SessionCursor): string {
  return encode(key);
}

/** Decodes a session list cursor; throws `DOSSIER_E_API_BAD_QUERY` when it is not one. */
export function decodeSessionCursor(cursor: string): SessionCursor {
  const value = decode(cursor);
  if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
    return [value[0] as number, value[1]];
  }
  throw badCursor();
}

/** Encodes a timeline cursor. */
export function encodeEventCursor(key: EventCursor): string {
  return encode(key);
}

/** Decodes a timeline cursor; throws `DOSSIER_E_API_BAD_QUERY` when it is not one. */
export function decodeEventCursor(cursor: string): EventCursor {
  const value = decode(cursor);
  if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && Number.isSafeInteger(value[1])) {
    return [value[0] as number, value[1] as number];
  }
  throw badCursor();
}

function encode(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw badCursor();
  }
}

function badCursor(): DossierError {
  return new DossierError('DOSSIER_E_API_BAD_QUERY', 'cursor: not a cursor this list returned');
}
