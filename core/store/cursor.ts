/**
 * Opaque page cursors: the sort key of the last row of a page, as base64url
 * JSON. Keyset pagination keeps pages stable while new rows arrive: a new row
 * sorts before the cursor or after it, never shifting the rows in between.
 */
import { DossierError } from '../../schema/index.js';

/** Why a cursor was refused when it does not decode. */
export const NOT_A_CURSOR = 'not a cursor this list returned';

/** Sort key of a timeline row: ts then seq (both asc). */
export type EventCursor = readonly [ts: number, seq: number];

/** Encodes a timeline cursor. */
export function encodeEventCursor(key: EventCursor): string {
  return encodeCursor(key);
}

/** Decodes a timeline cursor; throws `DOSSIER_E_API_BAD_QUERY` when it is not one. */
export function decodeEventCursor(cursor: string): EventCursor {
  const value = decodeCursor(cursor);
  if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && Number.isSafeInteger(value[1])) {
    return [value[0] as number, value[1] as number];
  }
  throw badCursor();
}

/** Base64url JSON of any cursor value; the one codec of every list cursor. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The value inside a cursor; throws `DOSSIER_E_API_BAD_QUERY` when it is not base64url JSON. */
export function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw badCursor();
  }
}

function badCursor(): DossierError {
  return new DossierError('DOSSIER_E_API_BAD_QUERY', `cursor: ${NOT_A_CURSOR}`);
}
