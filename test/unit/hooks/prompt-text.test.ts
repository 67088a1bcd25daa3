/**
 * The daemon's `--prompt-text` on every hook door: the shared intake, the
 * socket route's handler and the spool reader (through the collector's
 * config) store a prompt's length and id but not its text when asked to drop
 * it, and keep the text by default.
 */
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { hooksFactory, type HooksComponent } from '../../../collectors/hooks/component.js';
import { drainSpool } from '../../../collectors/hooks/spool-reader.js';
import { receiveHookCall } from '../../../collectors/hooks/receive.js';
import { SPOOL_DIR_NAME } from '../../../collectors/hooks/wire.js';
import { Counters } from '../../../core/pipeline/counters.js';
import type { EventSink, IngestBatch } from '../../../core/pipeline/sink.js';
import { postHook } from '../../../daemon/api/handlers/hooks.js';
import type { ApiDeps } from '../../../daemon/api/deps.js';
import { spoolHookCall } from '../../../daemon/hook/spool-writer.js';
import type { NormalizedEvent } from '../../../schema/index.js';
import { loadCapturedHooks } from './fixture-hooks.js';
import { tempDirsPerTest } from '../../support/temp-dirs.js';

const NOW = 1_790_000_000_000;
const PROMPT = loadCapturedHooks('b-tools-http-json', 'command').find((c) => c.eventName === 'UserPromptSubmit')!;
const TEXT = 'TOOLDEMO: run echo hi and read hello.txt';

class CollectingSink implements EventSink {
  accepting = true;
  readonly events: NormalizedEvent[] = [];
  async submit(batch: IngestBatch) {
    this.events.push(...batch.events);
    return { received: batch.events.length, inserted: batch.events.length, duplicates: 0 };
  }
}

/** The attrs of the one prompt event `sink` received. */
function promptAttrs(sink: CollectingSink): Record<string, unknown> {
  const prompts = sink.events.filter((e) => e.kind === 'prompt.submitted');
  expect(prompts).toHaveLength(1);
  return prompts[0]!.attrs as Record<string, unknown>;
}

const newHome = tempDirsPerTest('dossier-prompt-text-');

function spooledHome(): string {
  const home = newHome();
  spoolHookCall(home, { framework: 'claude_code', meta: { fired_at: NOW }, payload: Buffer.from(PROMPT.body) });
  return home;
}

describe('prompt text on the hook doors', () => {
  it('the intake keeps the text by default and drops only the text when told to', async () => {
    const kept = new CollectingSink();
    await receiveHookCall({ sink: kept, counters: new Counters(), now: () => NOW }, 'claude_code', PROMPT.payload, undefined);
    expect(promptAttrs(kept)).toMatchObject({ text: TEXT, length: TEXT.length });

    const dropped = new CollectingSink();
    await receiveHookCall({ sink: dropped, counters: new Counters(), now: () => NOW, options: { includePromptText: false } }, 'claude_code', PROMPT.payload, undefined);
    const attrs = promptAttrs(dropped);
    expect(attrs).not.toHaveProperty('text');
    expect(attrs).toMatchObject({ length: TEXT.length, prompt_id: PROMPT.payload.prompt_id });
    // Everything but the text is the same event.
    const { text: _text, ...rest } = promptAttrs(kept);
    expect(attrs).toEqual(rest);
  });

  it('the socket route passes the API deps\' hook options to the intake', async () => {
    const call = async (hookOptions: ApiDeps['hookOptions']) => {
      const sink = new CollectingSink();
      const deps = { sink, counters: new Counters(), now: () => NOW, hookOptions } as unknown as ApiDeps;
      const req = { headers: {} } as IncomingMessage;
      expect(await postHook(deps, { req, params: { framework: 'claude_code' }, query: new URLSearchParams(), body: PROMPT.payload })).toEqual({ status: 200, body: {} });
      return promptAttrs(sink);
    };
    expect(await call({ includePromptText: false })).not.toHaveProperty('text');
    expect(await call({ includePromptText: true })).toMatchObject({ text: TEXT });
    expect(await call(undefined)).toMatchObject({ text: TEXT });
  });

  it('the spool reader maps with the options it is given', async () => {
    const home = spooledHome();
    const sink = new CollectingSink();
    const deps = { dir: join(home, SPOOL_DIR_NAME), sink, counters: new Counters(), now: () => NOW, batchFiles: 16, options: { includePromptText: false } };
    expect((await drainSpool(deps, new AbortController().signal)).files).toBe(1);
    expect(promptAttrs(sink)).not.toHaveProperty('text');
  });

  it('the hooks collector applies its includePromptText config to spooled calls (default: keep)', async () => {
    expect(hooksFactory.defaultConfig().includePromptText).toBe(true);
    for (const includePromptText of [false, true]) {
      const home = spooledHome();
      const sink = new CollectingSink();
      const settings = { logger: pino({ level: 'silent' }), counters: new Counters(), checkpoints: { load: () => new Map() }, home, now: () => NOW };
      const component = hooksFactory.create(settings, { ...hooksFactory.defaultConfig(), spoolIntervalMs: 60_000, includePromptText }, sink) as HooksComponent;
      await component.drainNow();
      await component.shutdown(1_000);
      expect('text' in promptAttrs(sink)).toBe(includePromptText);
    }
  });
});
