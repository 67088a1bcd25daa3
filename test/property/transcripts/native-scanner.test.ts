/**
 * The native line scanner must read exactly what the JS scanner reads: for
 * any line, `SpanLineReader.read` and `readTranscriptLine` give deep-equal
 * results (the same fields, the same undefined members, null for the same
 * lines), or the native side hands the line to the JS scanner. Lines are the
 * real captured ones, those lines damaged at random, and generated objects
 * built from the keys dossier reads with values of every JSON type. Each line
 * sits inside a larger buffer whose following bytes would change the result
 * if the scanner read past the line's end.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTranscriptLine } from '../../../collectors/transcripts/line-fields.js';
import { SpanLineReader, USE_JS_SCANNER } from '../../../collectors/transcripts/line-spans.js';
import { loadNativeScanner } from '../../../collectors/transcripts/native-scanner.js';
import { CLAUDE_FIXTURES } from '../../support/shared-fixtures.js';

function nativeReader(): SpanLineReader {
  const { scanner, error } = loadNativeScanner();
  if (scanner === null) throw new Error(`the native scanner must be built for this test (npm ci runs node-gyp): ${error}`);
  return new SpanLineReader(scanner);
}

function jsonlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return jsonlFiles(p);
    return p.endsWith('.jsonl') ? [p] : [];
  });
}

const FIXTURE_LINES: Buffer[] = jsonlFiles(CLAUDE_FIXTURES).flatMap((f) => {
  const text = readFileSync(f);
  const lines: Buffer[] = [];
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf(10, start);
    if (nl < 0) nl = text.length;
    if (nl > start) lines.push(text.subarray(start, nl));
    start = nl + 1;
  }
  return lines;
});

/** Bytes after the line that would change the outcome if read: a closing brace, a quote, a valid tail. */
const TRAILERS = ['}', '"', '\\', 'true', ',"type":"user"}', '\n{"type":"assistant"}', ']}'];

type Outcome = { kind: 'same' } | { kind: 'fallback' } | { kind: 'differ'; js: unknown; native: unknown };

function compare(reader: SpanLineReader, line: Uint8Array, prefix: number, trailer: string): Outcome {
  const tail = Buffer.from(trailer);
  const buf = Buffer.alloc(prefix + line.length + tail.length, 0x7b);
  buf.set(line, prefix);
  tail.copy(buf, prefix + line.length);
  const own = Buffer.from(line);
  const js = readTranscriptLine(own.toString('latin1'), own, 0, own.length);
  const native = reader.read(buf, prefix, prefix + line.length);
  if (native === USE_JS_SCANNER) return { kind: 'fallback' };
  try {
    expect(native).toStrictEqual(js);
    return { kind: 'same' };
  } catch {
    return { kind: 'differ', js, native };
  }
}

const KEYS = [
  'type', 'subtype', 'uuid', 'parentUuid', 'sessionId', 'agentId', 'timestamp', 'isSidechain', 'cwd', 'gitBranch', 'version',
  'entrypoint', 'promptId', 'permissionMode', 'isMeta', 'isCompactSummary', 'isVisibleInTranscriptOnly', 'isApiErrorMessage',
  'apiErrorStatus', 'error', 'requestId', 'aiTitle', 'customTitle', 'summary', 'leafUuid', 'compactMetadata', 'message', 'attachment',
  'toolUseResult', 'other',
];
const TYPES = ['user', 'assistant', 'system', 'summary', 'ai-title', 'attachment', 'progress', 'queue-operation', 'file-history-snapshot', 'mode', 'x'];

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('a"b', 'c\\d', '\\', '\u0000', 'é', 'HEAD', 'assistant', 'tool_use', 'text'),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const loose = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'path'), scalar, { maxKeys: 2 }));
const input = fc.dictionary(fc.constantFrom('file_path', 'notebook_path', 'path', 'command', 'other'), loose, { maxKeys: 4 });
const block = fc.oneof(
  fc.dictionary(fc.constantFrom('type', 'id', 'tool_use_id', 'name', 'is_error', 'text', 'input', 'content'), fc.oneof(loose, input, fc.constantFrom('tool_use', 'tool_result', 'text')), { maxKeys: 6 }),
  loose,
);
const message = fc.dictionary(
  fc.constantFrom('role', 'id', 'model', 'stop_reason', 'usage', 'content', 'type'),
  fc.oneof(loose, fc.array(block, { maxLength: 4 }), fc.constantFrom('user', 'assistant'), fc.record({ input_tokens: fc.nat(), output_tokens: fc.nat() })),
  { maxKeys: 7 },
);
const topValue = (key: string): fc.Arbitrary<unknown> => {
  if (key === 'type') return fc.oneof(fc.constantFrom(...TYPES), loose);
  if (key === 'message') return fc.oneof(message, loose);
  if (key === 'compactMetadata') return fc.oneof(fc.dictionary(fc.constantFrom('trigger', 'preTokens', 'postTokens'), loose, { maxKeys: 3 }), loose);
  return loose;
};
/** Value texts JSON.stringify never writes, where a scanner's reading of the value's extent shows. */
const RAW_VALUES = ['', ' ', 'truex', 'true1', 'falsey', 'tru', 'nul', 'nullx', '-', '--1', '1e999', '01', '-0', '1.5.5', '"open', '{"a":]', '[}', '{]', '"a\\"', '"\\u12"', '"\\q"', '{"role":"assistant","content":[{"type":"text","text":"\\x"}]}'];
const valueText = (key: string): fc.Arbitrary<string> =>
  fc.oneof({ weight: 4, arbitrary: topValue(key).map((v) => JSON.stringify(v) ?? 'null') }, { weight: 1, arbitrary: fc.constantFrom(...RAW_VALUES) });
/** Objects as JSON text, keys possibly repeated (JSON.stringify cannot repeat a key, so members are joined by hand). */
const generatedLine = fc
  .array(fc.constantFrom(...KEYS).chain((k) => valueText(k).map((v) => `${JSON.stringify(k)}:${v}`)), { maxLength: 10 })
  .chain((members) => fc.constantFrom('', ' ', '\t').map((ws) => `${ws}{${members.join(`,${ws}`)}}${ws}`));

/** A real line damaged: bytes replaced, inserted or cut, biased to JSON's structural characters. */
const damagedLine = fc
  .record({
    line: fc.nat(FIXTURE_LINES.length - 1),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        op: fc.constantFrom('replace', 'insert', 'delete', 'truncate'),
        byte: fc.oneof(fc.constantFrom(...'"{}[]:,\\ntf0-.e \t'.split('').map((c) => c.charCodeAt(0))), fc.integer({ min: 0, max: 255 })),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ line, edits }) => {
    const bytes = [...FIXTURE_LINES[line]!];
    for (const { at, op, byte } of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      if (op === 'replace' && bytes.length > 0) bytes[i] = byte;
      else if (op === 'insert') bytes.splice(i, 0, byte);
      else if (op === 'delete') bytes.splice(i, 1);
      else bytes.length = i;
    }
    return Uint8Array.from(bytes);
  });

describe('native transcript scanner = JS scanner', () => {
  const reader = nativeReader();

  it('reads every captured line exactly as the JS scanner does, never falling back', () => {
    expect(FIXTURE_LINES.length).toBeGreaterThan(50);
    for (const line of FIXTURE_LINES) {
      for (const trailer of TRAILERS) {
        const outcome = compare(reader, line, 3, trailer);
        expect(outcome).toStrictEqual({ kind: 'same' });
      }
    }
  });

  it('agrees on damaged real lines', () => {
    fc.assert(
      fc.property(damagedLine, fc.nat(8), fc.constantFrom(...TRAILERS), (line, prefix, trailer) => {
        expect(compare(reader, line, prefix, trailer)).not.toMatchObject({ kind: 'differ' });
      }),
      { numRuns: 3_000 },
    );
  });

  it('agrees on generated lines with every key, value type and repetition', () => {
    let fallbacks = 0;
    fc.assert(
      fc.property(generatedLine, fc.constantFrom(...TRAILERS), (text, trailer) => {
        const outcome = compare(reader, Buffer.from(text), 1, trailer);
        if (outcome.kind === 'fallback') fallbacks++;
        expect(outcome).not.toMatchObject({ kind: 'differ' });
      }),
      { numRuns: 3_000 },
    );
    // Only a `type` written with escapes goes to the JS scanner.
    expect(fallbacks).toBeLessThan(300);
  });

  it('hands a line with more members than its output holds to the JS scanner', () => {
    const blocks = Array.from({ length: 9_000 }, (_, i) => ({ type: 'tool_use', id: `t${i}` }));
    const line = Buffer.from(JSON.stringify({ type: 'assistant', message: { role: 'assistant', content: blocks } }));
    expect(compare(reader, line, 0, '}')).toStrictEqual({ kind: 'fallback' });
  });

  it('rejects bad arguments with a TypeError instead of reading out of bounds', () => {
    const { scanner } = loadNativeScanner();
    const out = new Int32Array(30);
    const buf = Buffer.from('{"type":"user"}');
    expect(() => scanner!.scanLine(buf, 0, buf.length + 1, out)).toThrow(TypeError);
    expect(() => scanner!.scanLine(buf, 5, 2, out)).toThrow(TypeError);
    expect(() => scanner!.scanLine(buf, -1, 2, out)).toThrow(TypeError);
    expect(() => scanner!.scanLine(buf, 0, buf.length, new Float64Array(3) as unknown as Int32Array)).toThrow(TypeError);
    expect(() => scanner!.scanLine('text' as unknown as Buffer, 0, 2, out)).toThrow(TypeError);
    expect(scanner!.scanLine(buf, 0, buf.length, out)).toBe(3);
  });
});
