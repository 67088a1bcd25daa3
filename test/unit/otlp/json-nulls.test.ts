/**
 * OTLP/JSON is proto3 JSON, where a member set to `null` is an absent member:
 * it must not hide the member that is actually set, in AnyValue or elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { decodeRequest } from '../../../collectors/otlp/decode.js';
import type { LogRecordIn } from '../../../collectors/otlp/model.js';

const LIMITS = { maxAttributeBytes: 1 << 20, maxValueDepth: 8 };

/** The attributes of the one log record of a JSON logs request whose record carries `attributes`. */
function attrsOf(attributes: unknown[], record: Record<string, unknown> = {}): Map<string, unknown> {
  const body = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1795262120536000000', attributes, ...record }] }] }] };
  const decoded = decodeRequest(Buffer.from(JSON.stringify(body)), 'json', 'logs', LIMITS);
  if (decoded === 'empty' || decoded.signal !== 'logs') throw new Error('expected a logs request');
  return (decoded.groups[0]!.items[0] as LogRecordIn).attrs;
}

describe('OTLP/JSON null members', () => {
  it('an AnyValue member set to null yields to the one that is set', () => {
    const attrs = attrsOf([
      { key: 'i', value: { stringValue: null, intValue: '5' } },
      { key: 'd', value: { boolValue: null, doubleValue: 2.5 } },
      { key: 's', value: { intValue: null, stringValue: 'x' } },
      { key: 'b', value: { doubleValue: null, boolValue: true } },
      { key: 'snake', value: { stringValue: null, string_value: 'y' } },
      { key: 'none', value: { stringValue: null } },
    ]);
    expect(Object.fromEntries(attrs)).toEqual({ i: 5, d: 2.5, s: 'x', b: true, snake: 'y', none: null });
  });

  it('a null camelCase field yields to its snake_case twin', () => {
    const attrs = attrsOf([], { attributes: null });
    expect(attrs.size).toBe(0);
    const body = { resourceLogs: null, resource_logs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: null, time_unix_nano: '1795262120536000000' }] }] }] };
    const decoded = decodeRequest(Buffer.from(JSON.stringify(body)), 'json', null, LIMITS);
    if (decoded === 'empty' || decoded.signal !== 'logs') throw new Error('expected a logs request');
    expect((decoded.groups[0]!.items[0] as LogRecordIn).timeNs).toBe(1795262120536000000);
  });
});
