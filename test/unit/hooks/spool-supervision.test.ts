/**
 * The hook spool reader under a supervisor: passes that keep failing are
 * handed to `settings.fail` once, at the fifth failure in a row, after which
 * the reader stops scheduling; a pass that works in between starts the count
 * over. Failures are injected through the sink (a non-pipeline error fails
 * the pass; a pipeline refusal is a pass that worked and keeps the record).
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hooksFactory } from '../../../collectors/hooks/component.js';
import type { Component, ComponentSettings } from '../../../core/pipeline/component.js';
import { Counters } from '../../../core/pipeline/counters.js';
import type { EventSink, IngestBatch, IngestResult } from '../../../core/pipeline/sink.js';
import { spoolHookCall } from '../../../daemon/hook/spool-writer.js';
import { DossierError } from '../../../schema/index.js';
import { loadCapturedHooks } from './fixture-hooks.js';
import { tempDirsPerTest } from '../../support/temp-dirs.js';
import { pollUntil } from '../../support/poll.js';

type Outcome = 'throw' | 'refuse';

/** Plays one scripted outcome per submit; past the script it keeps throwing. */
class ScriptedSink implements EventSink {
  accepting = true;
  submits = 0;
  readonly broken = new Error('disk on fire');
  constructor(private readonly script: Outcome[]) {}

  async submit(_batch: IngestBatch): Promise<IngestResult> {
    const outcome = this.script[this.submits] ?? 'throw';
    this.submits += 1;
    if (outcome === 'refuse') throw new DossierError('DOSSIER_E_PIPELINE_QUEUE_FULL');
    throw this.broken;
  }
}

const NOW = 1_790_000_000_000;
const call = loadCapturedHooks('b-tools-http-json', 'command')[1]!;
const newHome = tempDirsPerTest('dossier-spool-fail-');

describe('hook spool reader supervision', () => {
  let home: string;
  let component: Component | null = null;
  beforeEach(() => {
    home = newHome();
    // One record that stays in the spool: every pass submits it again.
    spoolHookCall(home, { framework: 'claude_code', meta: { fired_at: NOW }, payload: Buffer.from(call.body) });
  });
  afterEach(async () => {
    await component?.shutdown(1_000);
    component = null;
  });

  async function runUntilFailed(sink: ScriptedSink): Promise<unknown[]> {
    const failures: unknown[] = [];
    const settings: ComponentSettings = {
      logger: pino({ level: 'silent' }),
      counters: new Counters(),
      checkpoints: { load: () => new Map() },
      home,
      now: () => NOW,
      fail: (error) => failures.push(error),
    };
    component = hooksFactory.create(settings, { ...hooksFactory.defaultConfig(), spoolIntervalMs: 1 }, sink);
    await component.start();
    await pollUntil('a failure reported to the supervisor', () => failures.length > 0, { timeoutMs: 20_000, intervalMs: 5 });
    return failures;
  }

  it('reports a pass that keeps failing once, after 5 in a row, and stops scheduling', async () => {
    const sink = new ScriptedSink([]);
    const failures = await runUntilFailed(sink);
    expect(failures).toEqual([sink.broken]);
    expect(sink.submits).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sink.submits).toBe(5);
    expect(failures).toHaveLength(1);
  });

  it('a pass that works in between starts the count over', async () => {
    const sink = new ScriptedSink(['throw', 'throw', 'throw', 'throw', 'refuse']);
    const failures = await runUntilFailed(sink);
    expect(failures).toEqual([sink.broken]);
    // 4 failures, 1 pass that worked, then 5 more failures.
    expect(sink.submits).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sink.submits).toBe(10);
  });
});
