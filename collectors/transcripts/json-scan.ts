/**
 * Primitives to read a few fields of one JSON text without parsing the rest.
 * Transcript lines are mostly long strings (tool output, file contents,
 * listings) that dossier never needs; skipping a string costs one inlined
 * `indexOf` per quote instead of decoding and allocating it, which is what
 * lets backfill beat a full `JSON.parse` of every line.
 *
 * Structure is scanned on a latin1 view of the bytes (`s`, where character
 * i is byte i: JSON's structural characters are ASCII and never occur inside
 * a multi-byte UTF-8 sequence), and the few values dossier keeps are decoded
 * from the bytes themselves (`b`) as fresh UTF-8 strings. So no line is ever
 * decoded as UTF-8 as a whole, and no kept value is a slice that would pin
 * a whole chunk in memory.
 *
 * Malformed text where a value had to be read throws {@link JsonScanError},
 * so a damaged line is detected, never half-read into wrong values.
 */

interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/** Fresh UTF-8 decoding of bytes `[start, end)` (Buffer's native decoder, without `toString`'s argument checks). */
export function utf8(b: Buffer, start: number, end: number): string {
  return (b as unknown as NativeSlices).utf8Slice(start, end);
}

/** Bytes `[start, end)` as a fresh latin1 string (character i is byte start + i), without `toString`'s argument checks. */
export function latin1(b: Buffer, start: number, end: number): string {
  return (b as unknown as NativeSlices).latin1Slice(start, end);
}

/** Char codes of JSON's structural characters, shared with json-cursor. */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const COLON = 0x3a;
export const COMMA = 0x2c;

/** Thrown by the cursors when the text is not well-formed where it had to be read. */
export class JsonScanError extends Error {
  constructor(what: string, at: number) {
    super(`malformed JSON: ${what} at ${at}`);
    this.name = 'JsonScanError';
  }
}

/** Index of the first non-whitespace character at or after `i` (bounded by `end`). */
export function skipWs(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else break;
  }
  return i;
}

/** `i` at an opening quote: index just past the closing quote, or -1 when unterminated before `end`. */
export function skipString(s: string, i: number, end: number): number {
  let from = i + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0 || q >= end) return -1;
    // A quote preceded by an odd run of backslashes is escaped.
    let k = q - 1;
    let slashes = 0;
    while (k > i && s.charCodeAt(k) === BACKSLASH) {
      slashes++;
      k--;
    }
    if ((slashes & 1) === 0) return q + 1;
    from = q + 1;
  }
}

/** `i` at the first character of any JSON value: index just past it, or -1 when it does not end before `end`. */
export function skipValue(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i, end);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    let j = i;
    while (j < end) {
      const d = s.charCodeAt(j);
      if (d === QUOTE) {
        j = skipString(s, j, end);
        if (j < 0) return -1;
        continue;
      }
      if (d === LBRACE || d === LBRACKET) depth++;
      else if (d === RBRACE || d === RBRACKET) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return -1;
  }
  // number, true, false, null: runs until a delimiter
  let j = i;
  while (j < end) {
    const d = s.charCodeAt(j);
    if (d === COMMA || d === RBRACE || d === RBRACKET || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    j++;
  }
  return j > i ? j : -1;
}

/**
 * Decodes the JSON string whose opening quote is at `i` and which ends just
 * before `stop`. Strings without escapes are decoded from the bytes; escaped
 * ones go through `JSON.parse`, which also rejects invalid escapes.
 */
export function decodeString(s: string, b: Buffer, i: number, stop: number): string {
  for (let k = i + 1; k < stop - 1; k++) {
    if (s.charCodeAt(k) === BACKSLASH) return decodeEscapedString(b, i, stop);
  }
  return utf8(b, i + 1, stop - 1);
}

/**
 * Decodes the JSON string at bytes `[i, stop)` (quotes included) that holds
 * a backslash, through `JSON.parse`; an invalid escape throws {@link JsonScanError}.
 */
export function decodeEscapedString(b: Buffer, i: number, stop: number): string {
  try {
    return JSON.parse(utf8(b, i, stop)) as string;
  } catch {
    throw new JsonScanError('bad string escape', i);
  }
}
