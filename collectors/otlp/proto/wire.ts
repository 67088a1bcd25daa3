/**
 * Protocol-buffers wire format, read side: the few primitives the OTLP
 * decoders need, with every length checked against the enclosing message so
 * that malformed or hostile input ends in a {@link DecodeError}, never in an
 * out-of-range read, a hang or an unbounded allocation.
 */

/** The body could not be decoded as the message it claims to be (answered with 400 / INVALID_ARGUMENT). */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

/** Wire types of the protobuf encoding. */
export const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

const TWO_POW_32 = 4_294_967_296;

/**
 * A cursor over one protobuf-encoded buffer. Decoders pass the end offset of
 * the message they are in, so nested messages need no sub-reader objects.
 */
export class WireReader {
  pos = 0;
  readonly buf: Buffer;
  /** Set when a string longer than `maxStringBytes` was met; decoders reset and read it per record. */
  oversized = false;
  /** Deepest nesting of array / key-value-list values before the body is refused. */
  readonly maxDepth: number;
  /** Log record bodies whose attributes are skipped (see `DecodeLimits.ignoredBodies`). */
  readonly ignoredBodies: ReadonlySet<string> | undefined;
  readonly #maxStringBytes: number;

  constructor(buf: Buffer, limits: { maxStringBytes: number; maxDepth: number; ignoredBodies?: ReadonlySet<string> }) {
    this.buf = buf;
    this.#maxStringBytes = limits.maxStringBytes;
    this.maxDepth = limits.maxDepth;
    this.ignoredBodies = limits.ignoredBodies;
  }

  /** Reads a field tag; returns `field << 3 | wireType`. Field 0 and group wire types are refused. */
  tag(end: number): number {
    const tag = this.uint32(end);
    const wireType = tag & 7;
    if (tag >>> 3 === 0) throw new DecodeError(`invalid field number 0 at byte ${this.pos}`);
    if (wireType === 3 || wireType === 4 || wireType > 5) {
      throw new DecodeError(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
    return tag;
  }

  /** A varint that must fit 32 bits (tags, lengths, enums); higher bits are checked, not silently dropped. */
  uint32(end: number): number {
    const buf = this.buf;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= end) throw new DecodeError('truncated varint');
      const byte = buf[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) {
        if (result > 0xffff_ffff) throw new DecodeError('varint too large for 32 bits');
        return result;
      }
    }
    // Negative int32 enums are sign-extended to ten bytes; accept and wrap them.
    const low = result % TWO_POW_32;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= end) throw new DecodeError('truncated varint');
      if (buf[this.pos++]! < 0x80) return low;
    }
    throw new DecodeError('varint longer than 10 bytes');
  }

  /** A 64-bit varint as a signed number (two's complement); exact up to 2^53. */
  int64(end: number): number {
    const buf = this.buf;
    let low = 0;
    let high = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw new DecodeError('truncated varint');
      const byte = buf[this.pos++]!;
      const bits = byte & 0x7f;
      if (shift < 28) low += bits * 2 ** shift;
      else if (shift === 28) {
        low += (bits & 0x0f) * 2 ** 28;
        high += bits >>> 4;
      } else high += bits * 2 ** (shift - 32);
      shift += 7;
      if (byte < 0x80) return combine(low, high % TWO_POW_32);
    }
    throw new DecodeError('varint longer than 10 bytes');
  }

  /** An unsigned fixed64 (timestamps in ns) as a number; precise to ~256 ns at today's epoch. */
  fixed64(end: number): number {
    this.#need(8, end);
    const value = this.buf.readUInt32LE(this.pos) + this.buf.readUInt32LE(this.pos + 4) * TWO_POW_32;
    this.pos += 8;
    return value;
  }

  /** A signed fixed64 (`as_int` data points). */
  sfixed64(end: number): number {
    this.#need(8, end);
    const value = combine(this.buf.readUInt32LE(this.pos), this.buf.readUInt32LE(this.pos + 4));
    this.pos += 8;
    return value;
  }

  double(end: number): number {
    this.#need(8, end);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix and returns the end offset of the bytes it announces. */
  lengthEnd(end: number): number {
    const length = this.uint32(end);
    this.#need(length, end);
    return this.pos + length;
  }

  /** A length-delimited UTF-8 string; over the bound it is skipped, `oversized` is set and '' returned. */
  string(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    if (stop - start > this.#maxStringBytes) {
      this.oversized = true;
      return '';
    }
    return stop - start === 0 ? '' : this.buf.toString('utf8', start, stop);
  }

  /** Length-delimited bytes, copied; over the string bound they are skipped and `oversized` is set. */
  bytes(end: number): Uint8Array {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    if (stop - start > this.#maxStringBytes) {
      this.oversized = true;
      return new Uint8Array(0);
    }
    return Uint8Array.prototype.slice.call(this.buf, start, stop);
  }

  /**
   * Length-delimited bytes as lowercase hex: a trace id (16 bytes) or span id
   * (8). Any other length is no id (''), as in the JSON decoder, so the span
   * alone is refused (partial success), not the request.
   */
  hex(end: number, bytes: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return stop - start === bytes ? this.buf.toString('hex', start, stop) : '';
  }

  /** Skips one field's value of the given wire type. */
  skip(wireType: number, end: number): void {
    switch (wireType) {
      case WIRE.VARINT:
        this.int64(end);
        return;
      case WIRE.I64:
        this.#need(8, end);
        this.pos += 8;
        return;
      case WIRE.LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WIRE.I32:
        this.#need(4, end);
        this.pos += 4;
        return;
      default:
        throw new DecodeError(`unsupported wire type ${wireType}`);
    }
  }

  /** Fails unless the field's wire type is the one the schema expects. */
  expect(tag: number, wireType: number): void {
    if ((tag & 7) !== wireType) {
      throw new DecodeError(`field ${tag >>> 3} has wire type ${tag & 7}, expected ${wireType}`);
    }
  }

  #need(bytes: number, end: number): void {
    if (end - this.pos < bytes) throw new DecodeError(`truncated message: need ${bytes} bytes at ${this.pos}`);
  }
}

function combine(low: number, high: number): number {
  if (high >= 0x8000_0000) {
    // Two's complement negative: -(~value + 1) computed on the two halves.
    const negLow = TWO_POW_32 - low;
    const negHigh = 0xffff_ffff - high + (negLow === TWO_POW_32 ? 1 : 0);
    return -((negHigh % TWO_POW_32) * TWO_POW_32 + (negLow % TWO_POW_32));
  }
  return high * TWO_POW_32 + low;
}
