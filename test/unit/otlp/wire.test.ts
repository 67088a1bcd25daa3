/**
 * The protobuf wire reader: exact varints (including negative int64 and
 * sign-extended enums), fixed64, bounds checks, and that no byte sequence at
 * all makes a decoder fail with anything but a DecodeError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequest, DecodeError } from '../../../collectors/otlp/decode.js';
import { WireReader } from '../../../collectors/otlp/proto/wire.js';

const limits = { maxStringBytes: 1024, maxDepth: 4 };
const reader = (bytes: number[]) => new WireReader(Buffer.from(bytes), limits);

describe('WireReader', () => {
  it('reads varints of one to ten bytes, signed as int64', () => {
    expect(reader([0x00]).int64(1)).toBe(0);
    expect(reader([0x96, 0x01]).int64(2)).toBe(150);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x0f]).int64(5)).toBe(0xffff_ffff);
    // 2^53 - 1
    expect(reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]).int64(8)).toBe(Number.MAX_SAFE_INTEGER);
    // -1 and -2 as ten-byte two's complement
    expect(reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).int64(10)).toBe(-1);
    expect(reader([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).int64(10)).toBe(-2);
  });

  it('refuses a varint that runs past its message or past ten bytes', () => {
    expect(() => reader([0x96]).int64(1)).toThrow(DecodeError);
    expect(() => reader(new Array(11).fill(0xff)).int64(11)).toThrow(DecodeError);
  });

  it('reads 32-bit varints and refuses larger ones, but wraps sign-extended enums', () => {
    expect(reader([0xac, 0x02]).uint32(2)).toBe(300);
    expect(() => reader([0xff, 0xff, 0xff, 0xff, 0x1f]).uint32(5)).toThrow(/32 bits/);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).uint32(10)).toBe(0xffff_ffff);
  });

  it('reads fixed64 timestamps and signed fixed64', () => {
    const buf = Buffer.alloc(16);
    buf.writeBigUInt64LE(1795262077530000000n, 0);
    buf.writeBigInt64LE(-5n, 8);
    const r = new WireReader(buf, limits);
    expect(r.fixed64(16)).toBe(Number(1795262077530000000n));
    expect(r.sfixed64(16)).toBe(-5);
  });

  it('checks lengths against the enclosing message, not the buffer', () => {
    // A string field claiming 5 bytes inside a 3-byte message.
    const r = reader([0x0a, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65]);
    r.tag(3);
    expect(() => r.string(3)).toThrow(/truncated/);
  });

  it('refuses field number 0 and group wire types', () => {
    expect(() => reader([0x00]).tag(1)).toThrow(/field number 0/);
    expect(() => reader([0x0b]).tag(1)).toThrow(/wire type 3/);
    expect(() => reader([0x0e]).tag(1)).toThrow(/wire type 6/);
  });

  it('skips an over-long string and flags it instead of decoding it', () => {
    const r = new WireReader(Buffer.from([0x0a, 0x04, 0x61, 0x62, 0x63, 0x64]), { maxStringBytes: 3, maxDepth: 4 });
    r.tag(6);
    expect(r.string(6)).toBe('');
    expect(r.oversized).toBe(true);
    expect(r.pos).toBe(6);
  });
});

describe('decoders on arbitrary bytes', () => {
  it('either decode or throw DecodeError, for every signal and for POST / sniffing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const body = Buffer.from(bytes);
        for (const signal of ['logs', 'metrics', 'traces', null] as const) {
          try {
            decodeRequest(body, 'protobuf', signal);
          } catch (err) {
            if (!(err instanceof DecodeError)) throw err;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses attribute values nested deeper than the bound', () => {
    // LogsRequest → ResourceLogs → ScopeLogs → LogRecord → body AnyValue nested in arrays 40 deep.
    let value: Buffer = Buffer.from([0x0a, 0x01, 0x78]); // AnyValue{string "x"}
    for (let i = 0; i < 40; i++) value = wrap(5, wrap(1, value)); // AnyValue{array{values[value]}}
    const body = wrap(1, wrap(2, wrap(2, wrap(5, value))));
    expect(() => decodeRequest(body, 'protobuf', 'logs')).toThrow(/nested deeper/);
  });
});

function wrap(field: number, inner: Buffer): Buffer {
  const len: number[] = [];
  let n = inner.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), inner]);
}
