/**
 * The file reader at byte level: partial last lines, lines over the bound
 * (also across reads), CRLF, invalid UTF-8, identity changes, and the
 * checkpoint format.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NormalizedEvent } from '../../../schema/index.js';
import { decodeCheckpoint, encodeCheckpoint, freshCheckpoint, type FileCheckpoint } from '../../../collectors/transcripts/checkpoint.js';
import { FileReader } from '../../../collectors/transcripts/file-reader.js';
import type { FileIdentity, MapEnv } from '../../../collectors/transcripts/map-line.js';

const dir = mkdtempSync(join(tmpdir(), 'dossier-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SID = '11111111-2222-4333-8444-555555555555';
function prompt(n: number): string {
  return JSON.stringify({ parentUuid: null, isSidechain: false, promptId: `p-${n}`, type: 'user', message: { role: 'user', content: `prompt number ${n}` }, uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, timestamp: `2026-11-21T10:00:${String(n % 60).padStart(2, '0')}.000Z`, cwd: '/p', sessionId: SID, version: '2.1.197', gitBranch: 'HEAD' });
}

function harness(name: string) {
  const path = join(dir, name);
  const file: FileIdentity = { path, kind: 'main', sessionId: SID, agentId: null };
  const counters: Record<string, number> = {};
  const env: MapEnv = {
    receivedAt: 1,
    includePromptText: true,
    fileBornMs: 0,
    count: (k, n = 1) => {
      counters[k] = (counters[k] ?? 0) + n;
    },
    claimRoot: () => null,
    subagentMeta: () => null,
  };
  const reader = new FileReader();
  let cp: FileCheckpoint | null = null;
  const read = (maxLineBytes = 1 << 20) => {
    const out: NormalizedEvent[] = [];
    const r = reader.read(file, cp, env, { maxEvents: 1e6, maxBytes: 1e9, maxLineBytes }, out);
    cp = r.checkpoint;
    return { r, prompts: out.filter((e) => e.kind === 'prompt.submitted').map((e) => (e.attrs as { prompt_id?: string }).prompt_id) };
  };
  return { path, read, counters, cp: () => cp };
}

describe('file reader', () => {
  it('leaves a partial last line for later and reads it once its newline arrives', () => {
    const h = harness('partial.jsonl');
    const l3 = prompt(3);
    writeFileSync(h.path, `${prompt(1)}\n${prompt(2)}\n${l3.slice(0, 40)}`);
    const first = h.read();
    expect(first.prompts).toEqual(['p-1', 'p-2']);
    expect(first.r.checkpoint.off).toBe(Buffer.byteLength(`${prompt(1)}\n${prompt(2)}\n`));
    expect(first.r.atEnd).toBe(true);
    expect(h.read().prompts).toEqual([]);
    appendFileSync(h.path, `${l3.slice(40)}\n`);
    expect(h.read().prompts).toEqual(['p-3']);
    expect(h.counters['transcripts.lines_malformed']).toBeUndefined();
  });

  it('skips and counts a line over the bound, also when it arrives in pieces', () => {
    const h = harness('long.jsonl');
    const long = JSON.stringify({ type: 'user', message: { role: 'user', content: 'x'.repeat(5000) } });
    writeFileSync(h.path, `${prompt(1)}\n${long}\n${prompt(2)}\n${long.slice(0, 3000)}`);
    expect(h.read(1024).prompts).toEqual(['p-1', 'p-2']);
    expect(h.cp()!.skip).toBe(true);
    appendFileSync(h.path, `${long.slice(3000)}\n${prompt(3)}\n`);
    expect(h.read(1024).prompts).toEqual(['p-3']);
    expect(h.counters['transcripts.lines_oversized']).toBe(2);
    expect(h.cp()!.skip).toBe(false);
  });

  it('accepts CRLF line ends and invalid UTF-8 inside strings', () => {
    const h = harness('crlf.jsonl');
    const bad = Buffer.from(prompt(2).replace('prompt number 2', 'prompt \u00ff number 2'), 'latin1');
    writeFileSync(h.path, Buffer.concat([Buffer.from(`${prompt(1)}\r\n`), bad, Buffer.from('\n')]));
    expect(h.read().prompts).toEqual(['p-1', 'p-2']);
  });

  it('reads again from the start when the first bytes change under the same inode', () => {
    const h = harness('rewrite.jsonl');
    writeFileSync(h.path, `${prompt(1)}\n${prompt(2)}\n`);
    expect(h.read().prompts).toEqual(['p-1', 'p-2']);
    writeFileSync(h.path, `${prompt(7)}\n${prompt(8)}\n${prompt(9)}\n`);
    expect(h.read().prompts).toEqual(['p-7', 'p-8', 'p-9']);
    expect(h.counters['transcripts.files_replaced']).toBe(1);
  });

  it('reports a missing file as gone without throwing', () => {
    const h = harness('missing.jsonl');
    expect(h.read().r.gone).toBe(true);
  });
});

describe('checkpoint format', () => {
  it('round-trips and rejects what it did not write', () => {
    const cp: FileCheckpoint = { ...freshCheckpoint(2049, 123456789), fp: 'a.b', fpLen: 1024, off: 99, skip: true, roots: ['u1'], state: { lastTs: 5, reqSig: 'm\u0000r\u0000{}', started: true } };
    expect(decodeCheckpoint(encodeCheckpoint(cp))).toEqual(cp);
    for (const junk of ['', '{', 'null', '{"v":2}', '{"v":1,"d":-1}', JSON.stringify({ v: 1, d: 1, i: 1, f: 'x', fl: 1, o: 1.5, s: [0, '', 0] })]) {
      expect(decodeCheckpoint(junk)).toBeNull();
    }
  });
});
