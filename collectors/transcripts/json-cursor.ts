/**
 * Cursors over a JSON object's members and an array's elements, built on
 * the primitives of json-scan: read the values you need, and whatever you
 * leave is skipped without being decoded. See json-scan for the latin1/bytes
 * convention (`s` is the latin1 view of `b`, same indices).
 */
import {
  BACKSLASH,
  COLON,
  COMMA,
  decodeString,
  JsonScanError,
  LBRACE,
  LBRACKET,
  QUOTE,
  RBRACE,
  RBRACKET,
  skipString,
  skipValue,
  skipWs,
  latin1,
  utf8,
} from './json-scan.js';

/**
 * The last value read for one field, kept to skip decoding when the next
 * line repeats it (cwd, session id, version, request id… repeat on most
 * lines). `raw` holds the string's bytes between its quotes as latin1
 * (escapes undecoded), `value` the decoded string.
 */
export class StickyString {
  raw = '';
  value = '';

  /** Keeps `value` as the decoding of the bytes `[from, to)` of `b` (between the quotes); returns it. */
  remember(b: Buffer, from: number, to: number, value: string): string {
    // A fresh copy of the bytes, not a slice that would keep the read buffer alive.
    this.raw = latin1(b, from, to);
    this.value = value;
    return value;
  }
}

/**
 * What both cursors share: stepping over the comma-separated items of one
 * object or array up to its closing character, skipping the value of the
 * current item unless it was read (or marked {@link consumed}).
 */
abstract class ContainerCursor {
  protected readonly s: string;
  protected readonly b: Buffer;
  protected readonly end: number;
  /** Start of the current item's value; -1 before the first item and after the close. */
  protected valueStart = -1;
  /** End of the current item's value once read or skipped; -1 until then. */
  protected valueEnd = -1;
  #pos: number;
  #first = true;

  /** `start` must point at the opening character `open`. */
  constructor(s: string, b: Buffer, start: number, end: number, open: number, expected: string) {
    if (s.charCodeAt(start) !== open) throw new JsonScanError(expected, start);
    this.s = s;
    this.b = b;
    this.end = end;
    this.#pos = start + 1;
  }

  /** Index just past the closing character, once the cursor reached it. */
  get endIndex(): number {
    return this.#pos;
  }

  /** Marks the current value as consumed up to `stop` (after walking it with a nested cursor). */
  consumed(stop: number): void {
    this.valueEnd = stop;
  }

  /** A cursor over the current value when it is an object, else undefined. */
  readObject(): ObjectCursor | undefined {
    if (this.s.charCodeAt(this.valueStart) !== LBRACE) return undefined;
    return new ObjectCursor(this.s, this.b, this.valueStart, this.end);
  }

  /**
   * Moves past the current value and the comma after it: the index where the
   * next item starts, or -1 at `close` (then {@link endIndex} is past it).
   */
  protected step(close: number, expected: string): number {
    const s = this.s;
    const end = this.end;
    if (this.valueStart >= 0 && this.valueEnd < 0) this.valueEnd = this.mustSkip(this.valueStart);
    let i = skipWs(s, this.valueStart >= 0 ? this.valueEnd : this.#pos, end);
    if (s.charCodeAt(i) === close) {
      this.#pos = i + 1;
      this.valueStart = -1;
      return -1;
    }
    if (!this.#first) {
      if (s.charCodeAt(i) !== COMMA) throw new JsonScanError(expected, i);
      i = skipWs(s, i + 1, end);
    }
    this.#first = false;
    return i;
  }

  /** End of the value starting at `i`; throws when it does not end before `end`. */
  protected mustSkip(i: number): number {
    const stop = skipValue(this.s, i, this.end);
    if (stop < 0) throw new JsonScanError('unterminated value', i);
    return stop;
  }
}

/**
 * Walks the members of one JSON object. Call {@link next} to move to the
 * next key, then read the value with one of the `read*` methods or leave it
 * (the next `next()` skips whatever was not read). After walking a nested
 * cursor to its end, hand its `endIndex` to {@link consumed} so the value is
 * not skipped a second time.
 */
export class ObjectCursor extends ContainerCursor {
  /** The current member's key (raw, escapes not decoded: keys dossier looks for have none). */
  key = '';

  /** `s` is the latin1 view of `b` (same indices); `start` must point at the object's `{`. */
  constructor(s: string, b: Buffer, start: number, end: number) {
    super(s, b, start, end, LBRACE, 'expected object');
  }

  /** Advances to the next member; false at the closing brace. Throws on malformed text. */
  next(): boolean {
    const s = this.s;
    const end = this.end;
    let i = this.step(RBRACE, 'expected , or }');
    if (i < 0) return false;
    if (s.charCodeAt(i) !== QUOTE) throw new JsonScanError('expected key', i);
    const keyEnd = skipString(s, i, end);
    if (keyEnd < 0) throw new JsonScanError('unterminated key', i);
    this.key = s.slice(i + 1, keyEnd - 1);
    i = skipWs(s, keyEnd, end);
    if (s.charCodeAt(i) !== COLON) throw new JsonScanError('expected :', i);
    this.valueStart = skipWs(s, i + 1, end);
    if (this.valueStart >= end) throw new JsonScanError('missing value', i);
    this.valueEnd = -1;
    return true;
  }

  /** The current value as a string, or undefined when it is not a string. */
  readString(): string | undefined {
    const i = this.valueStart;
    if (this.s.charCodeAt(i) !== QUOTE) return undefined;
    const stop = this.mustSkip(i);
    this.valueEnd = stop;
    return decodeString(this.s, this.b, i, stop);
  }

  /**
   * Like {@link readString}, but returns `cache.value` without decoding when
   * the bytes equal the last ones read through the same cache.
   */
  readSticky(cache: StickyString): string | undefined {
    const s = this.s;
    const i = this.valueStart;
    if (s.charCodeAt(i) !== QUOTE) return undefined;
    const raw = cache.raw;
    const after = i + 1 + raw.length;
    if (raw.length > 0 && after < this.end && s.charCodeAt(after) === QUOTE && s.startsWith(raw, i + 1) && s.charCodeAt(after - 1) !== BACKSLASH) {
      this.valueEnd = after + 1;
      return cache.value;
    }
    const stop = this.mustSkip(i);
    this.valueEnd = stop;
    return cache.remember(this.b, i + 1, stop - 1, decodeString(s, this.b, i, stop));
  }

  /** The current value as a finite number, or undefined when it is not a number. */
  readNumber(): number | undefined {
    const i = this.valueStart;
    const c = this.s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2d)) return undefined;
    const stop = this.mustSkip(i);
    this.valueEnd = stop;
    const n = Number(this.s.slice(i, stop));
    return Number.isFinite(n) ? n : undefined;
  }

  /** The current value as a boolean, or undefined when it is not `true`/`false`. */
  readBoolean(): boolean | undefined {
    const i = this.valueStart;
    if (this.s.startsWith('true', i)) {
      this.valueEnd = i + 4;
      return true;
    }
    if (this.s.startsWith('false', i)) {
      this.valueEnd = i + 5;
      return false;
    }
    return undefined;
  }

  /** The current value fully parsed with `JSON.parse` (for small objects such as `usage`). */
  readJson(): unknown {
    const i = this.valueStart;
    const stop = this.mustSkip(i);
    this.valueEnd = stop;
    try {
      return JSON.parse(utf8(this.b, i, stop)) as unknown;
    } catch {
      throw new JsonScanError('bad value', i);
    }
  }

  /** The current value's exact text when it is an object, else undefined. */
  readRawObject(): string | undefined {
    const i = this.valueStart;
    if (this.s.charCodeAt(i) !== LBRACE) return undefined;
    const stop = this.mustSkip(i);
    this.valueEnd = stop;
    return utf8(this.b, i, stop);
  }

  /** True when the current value is `null`. */
  isNull(): boolean {
    return this.s.startsWith('null', this.valueStart);
  }

  /** True when the current value is a string. */
  isString(): boolean {
    return this.s.charCodeAt(this.valueStart) === QUOTE;
  }

  /** A cursor over the current value when it is an array, else undefined. */
  readArray(): ArrayCursor | undefined {
    if (this.s.charCodeAt(this.valueStart) !== LBRACKET) return undefined;
    return new ArrayCursor(this.s, this.b, this.valueStart, this.end);
  }
}

/** Walks the elements of one JSON array: `next()` returns the start of each element, or -1 at `]`. */
export class ArrayCursor extends ContainerCursor {
  /** `s` is the latin1 view of `b` (same indices); `start` must point at the array's `[`. */
  constructor(s: string, b: Buffer, start: number, end: number) {
    super(s, b, start, end, LBRACKET, 'expected array');
  }

  /** Start of the next element, or -1 after the closing bracket. */
  next(): number {
    const i = this.step(RBRACKET, 'expected , or ]');
    if (i < 0) return -1;
    if (i >= this.end) throw new JsonScanError('unterminated array', i);
    this.valueStart = i;
    this.valueEnd = -1;
    return i;
  }
}
