/**
 * The benchmark's generated trees are only useful if a correct reader finds
 * in them what the generator says it wrote: this checks the reader against
 * the generator's own tally on a small tree (both sides count independently).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTree } from '../../../bench/transcripts/generate-tree.js';
import { readTree } from './support/read-tree.js';
import { tally } from './support/tally.js';

describe('generated transcript trees', () => {
  const root = mkdtempSync(join(tmpdir(), 'dossier-gen-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('read back to exactly the totals the generator recorded', () => {
    const manifest = generateTree({ root, files: 40, totalBytes: 4_000_000, seed: 11 });
    const { events, counters } = readTree(root, { maxEvents: 500 });
    expect(counters['transcripts.lines_malformed'] ?? 0).toBe(0);
    expect(manifest.sessions.some((s) => Object.keys(s.agents).length > 0)).toBe(true);
    for (const truth of manifest.sessions) {
      const t = tally(events, truth.session_id);
      expect(t, truth.session_id).toMatchObject({
        requests: truth.requests, input: truth.input, output: truth.output, cache_read: truth.cache_read, cache_write: truth.cache_write,
        cache_write_1h: truth.cache_write_1h, tool_calls: truth.tool_calls, prompts: truth.prompts, compactions: truth.compactions, api_errors: truth.api_errors,
      });
      for (const [agent, a] of Object.entries(truth.agents)) expect(t.by_agent[agent]).toMatchObject({ requests: a.requests, output: a.output });
    }
  });
});
