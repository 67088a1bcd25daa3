/**
 * Fuzz-style property: random bytes, truncated JSON, huge lines, values of
 * the wrong type and invalid UTF-8 in one transcript never make the reader
 * throw, never produce an event the schema refuses, and never change what is
 * read from another session's file in the same tree.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEvent } from '../../../schema/index.js';
import { readTree } from '../../unit/transcripts/support/read-tree.js';
import { CLAUDE_FIXTURES } from '../../support/shared-fixtures.js';

const FIXTURES = CLAUDE_FIXTURES;
const OTHER = '4ae4f9fe-976f-4e96-8c1f-87976b2e6f45';

function victimPath(root: string): string {
  const dir = join(root, 'projects', '-home-user-runs-b-tools-http-json-proj');
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
}

const FIELDS = ['type', 'uuid', 'sessionId', 'timestamp', 'cwd', 'gitBranch', 'isSidechain', 'promptId', 'requestId', 'message', 'message.usage', 'message.content', 'message.id', 'message.model', 'compactMetadata', 'isApiErrorMessage', 'apiErrorStatus', 'agentId', 'parentUuid'];

type Mutation =
  | { kind: 'bytes'; line: number; bytes: Uint8Array }
  | { kind: 'truncate'; line: number; at: number }
  | { kind: 'huge'; line: number; size: number }
  | { kind: 'type'; line: number; field: string; value: unknown }
  | { kind: 'utf8'; line: number; at: number; bytes: Uint8Array }
  | { kind: 'split'; line: number; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), line: fc.nat(30), bytes: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('truncate' as const), line: fc.nat(30), at: fc.nat(3000) }),
  fc.record({ kind: fc.constant('huge' as const), line: fc.nat(30), size: fc.integer({ min: 60_000, max: 300_000 }) }),
  fc.record({ kind: fc.constant('type' as const), line: fc.nat(30), field: fc.constantFrom(...FIELDS), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('utf8' as const), line: fc.nat(30), at: fc.nat(3000), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => b.map((x) => 0x80 | x)) }),
  fc.record({ kind: fc.constant('split' as const), line: fc.nat(30), at: fc.nat(3000) }),
);

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
}

function apply(lines: Buffer[], m: Mutation): Buffer[] {
  if (lines.length === 0) return lines;
  const i = m.line % lines.length;
  const line = lines[i]!;
  const out = [...lines];
  switch (m.kind) {
    case 'bytes':
      out[i] = Buffer.from(m.bytes.filter((b) => b !== 0x0a));
      break;
    case 'truncate':
      out[i] = line.subarray(0, m.at % Math.max(1, line.length));
      break;
    case 'huge':
      out[i] = Buffer.from(line.toString('utf8').replace('"type":', `"pad":"${'z'.repeat(m.size)}","type":`));
      break;
    case 'type': {
      let obj: unknown;
      try {
        obj = JSON.parse(line.toString('utf8'));
      } catch {
        break; // an earlier mutation already broke this line
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) break;
      setPath(obj as Record<string, unknown>, m.field, m.value);
      out[i] = Buffer.from(JSON.stringify(obj));
      break;
    }
    case 'utf8': {
      const at = m.at % Math.max(1, line.length);
      out[i] = Buffer.concat([line.subarray(0, at), Buffer.from(m.bytes), line.subarray(at)]);
      break;
    }
    case 'split': {
      const at = m.at % Math.max(1, line.length);
      out.splice(i, 1, line.subarray(0, at), line.subarray(at));
      break;
    }
  }
  return out;
}

describe('damaged transcripts', () => {
  const base = mkdtempSync(join(tmpdir(), 'dossier-fuzz-'));
  cpSync(join(FIXTURES, 'b-tools-http-json', 'transcripts'), base, { recursive: true });
  cpSync(join(FIXTURES, 'a-simple-grpc', 'transcripts'), base, { recursive: true });
  const clean = readTree(base, { maxLineBytes: 64 * 1024 });
  const otherClean = JSON.stringify(clean.events.filter((e) => e.session_id === OTHER));
  const original = readFileSync(victimPath(base));
  const originalLines: Buffer[] = [];
  for (let s = 0, e = original.indexOf(10); e >= 0; s = e + 1, e = original.indexOf(10, s)) originalLines.push(original.subarray(s, e));

  it('never throws, never emits an invalid event, never changes another session', () => {
    try {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 50 }), (mutations, batchEvents) => {
          const lines = mutations.reduce(apply, originalLines);
          writeFileSync(victimPath(base), Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
          const read = readTree(base, { maxLineBytes: 64 * 1024, maxEvents: batchEvents });
          for (const e of read.raw) {
            const v = validateEvent(e);
            if (!v.ok) throw new Error(`${e.kind}: ${v.error}`);
          }
          expect(JSON.stringify(read.events.filter((e) => e.session_id === OTHER))).toBe(otherClean);
        }),
        { numRuns: 150, seed: 20261121 },
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
