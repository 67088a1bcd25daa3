/**
 * Builds a transcripts collector on temp directories with an in-memory sink,
 * a silent logger and fresh counters, and shuts down and removes the ones a
 * test made once it ends.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach } from 'vitest';
import { Counters } from '../../../../core/pipeline/counters.js';
import { transcriptsFactory, type TranscriptsConfig } from '../../../../collectors/transcripts/index.js';
import type { TranscriptsCollector } from '../../../../collectors/transcripts/collector.js';
import { MemorySink } from './memory-sink.js';
import { CLAUDE_FIXTURES } from '../../../support/shared-fixtures.js';

/** The real Claude Code captures. */
export const FIXTURES = CLAUDE_FIXTURES;

/** A collector under test with its sink, counters and temp root. */
export interface Harness {
  root: string;
  sink: MemorySink;
  counters: Counters;
  collector: TranscriptsCollector;
  cleanup(): void;
}

/** A temp Claude root, optionally seeded with a fixture scenario's transcripts. */
export function tempRoot(scenario?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'dossier-transcripts-'));
  if (scenario) cpSync(join(FIXTURES, scenario, 'transcripts'), root, { recursive: true });
  return root;
}

/** A collector reading only `root` (inline reader, no progress line, no periodic rescan unless overridden). */
export function makeCollector(root: string, overrides: Partial<TranscriptsConfig> = {}, sink = new MemorySink(), counters = new Counters()): Harness {
  const config: TranscriptsConfig = {
    ...transcriptsFactory.defaultConfig(),
    claude_dirs: [root],
    default_roots: false,
    reader: 'inline',
    progress: 'never',
    debounce_ms: 2,
    rescan_interval_ms: 0,
    ...overrides,
  };
  const collector = transcriptsFactory.create(
    { logger: pino({ level: 'silent' }), counters, checkpoints: sink, home: root, now: Date.now },
    config,
    sink,
  ) as TranscriptsCollector;
  return { root, sink, counters, collector, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Call at module or describe level; the result tracks a harness and returns
 * it, and an `afterEach` registered here shuts down (2 s) and cleans up every
 * harness tracked during the test.
 */
export function harnessesPerTest(): <H extends Harness>(h: H) => H {
  const tracked: Harness[] = [];
  afterEach(async () => {
    for (const h of tracked.splice(0)) {
      await h.collector.shutdown(2_000);
      h.cleanup();
    }
  });
  return (h) => {
    tracked.push(h);
    return h;
  };
}
