/**
 * Reads every transcript under a Claude root the way the collector does
 * (discovery, then the batch reader), collecting events and checkpoints in
 * memory. For mapping tests that need no daemon.
 */
import type { NormalizedEvent } from '../../../../schema/index.js';
import { BatchReader, type ReadBatch } from '../../../../collectors/transcripts/batch-reader.js';
import { defaultTranscriptsConfig } from '../../../../collectors/transcripts/config.js';
import { discoverTranscripts } from '../../../../collectors/transcripts/discover.js';
import type { LineScanner } from '../../../../collectors/transcripts/native-scanner.js';

/** Everything one read of a tree produced. */
export interface TreeRead {
  /** Events as the store keeps them: the first event of each dedupe key. */
  events: NormalizedEvent[];
  /** Every event produced, duplicates included. */
  raw: NormalizedEvent[];
  checkpoints: Map<string, string>;
  batches: ReadBatch[];
  counters: Record<string, number>;
  reader: BatchReader;
}

/**
 * Reads a Claude root from scratch (or from `checkpoints`) to its end, in
 * batches of `maxEvents`; prompt text as the collector's default, and the
 * native line scanner unless `scanner` says `js`.
 */
export function readTree(root: string, opts: { maxEvents?: number; maxBytes?: number; maxLineBytes?: number; includePromptText?: boolean; reader?: BatchReader; checkpoints?: Map<string, string>; scanner?: LineScanner } = {}): TreeRead {
  const reader = opts.reader ?? new BatchReader({ maxLineBytes: opts.maxLineBytes ?? 1 << 20, includePromptText: opts.includePromptText ?? defaultTranscriptsConfig().include_prompt_text, now: () => 1_800_000_000_000, scanner: opts.scanner ?? 'native' });
  const checkpoints = new Map(opts.checkpoints ?? []);
  if (!opts.reader && opts.checkpoints) reader.load(opts.checkpoints);
  reader.enqueue(discoverTranscripts([root]).files.map((f) => f.identity), false);
  const out: TreeRead = { events: [], raw: [], checkpoints, batches: [], counters: {}, reader };
  const seen = new Set<string>();
  for (let b = reader.next(opts.maxEvents ?? 10_000, opts.maxBytes ?? 1 << 24); b; b = reader.next(opts.maxEvents ?? 10_000, opts.maxBytes ?? 1 << 24)) {
    out.batches.push(b);
    out.raw.push(...b.events);
    for (const e of b.events) {
      if (seen.has(e.dedupe_key)) continue;
      seen.add(e.dedupe_key);
      out.events.push(e);
    }
    for (const c of b.checkpoints) checkpoints.set(c.key, c.value);
    for (const [k, v] of Object.entries(b.counters)) out.counters[k] = (out.counters[k] ?? 0) + v;
  }
  return out;
}
