/**
 * Sums one generated transcript tree with dossier (the transcripts collector,
 * the pipeline, the SQLite store priced with the bundled table) and
 * with `ccusage claude session --json --offline`, and checks:
 * - token totals per session are identical (and equal the generator's truth);
 * - costs are identical except where the rules differ, and each difference is
 *   the one the rules predict (hand-computed below):
 *   1. legacy long context (Sonnet 4.5, prompt > 200k): Anthropic bills every
 *      token of the request at the long rates; ccusage tiers each token class
 *      on its own past 200k, so a request whose classes are each under 200k
 *      pays base rates there;
 *   2. an unknown model: ccusage prices it at $0; dossier leaves it out of
 *      `cost_usd` and counts it in `unpriced_requests`.
 *   1-hour cache writes agree: both price them at 2× input.
 * If ccusage cannot be installed from the npm registry, the ccusage test is
 * skipped with the reason printed; the dossier half still runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultTranscriptsConfig, transcriptsFactory } from '../../collectors/transcripts/index.js';
import type { Component } from '../../core/pipeline/component.js';
import { Counters } from '../../core/pipeline/counters.js';
import { IngestPipeline } from '../../core/pipeline/ingest-pipeline.js';
import { BUNDLED_PRICES, Pricer } from '../../core/pricing/index.js';
import { openStore, type Store } from '../../core/store/index.js';
import type { SessionRecord } from '../../schema/index.js';
import { LONG_REQUEST, generateTree, type GeneratedTree, type TrueRequest } from './cost-tree.js';

const CCUSAGE = 'ccusage@20.0.24';
const pricer = new Pricer(BUNDLED_PRICES);

interface CcusageSession {
  sessionId: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  totalCost: number;
  modelBreakdowns: { modelName: string; cost: number }[];
}

let dir: string;
let tree: GeneratedTree;
let store: Store;
let pipeline: IngestPipeline;
let collector: Component;
/** Session records as the store projected them, priced with the bundled table (as the daemon does). */
const dossier = new Map<string, SessionRecord>();
let ccusage: Map<string, CcusageSession> | null = null;
let ccusageSkipReason = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dossier-cost-'));
  tree = generateTree(join(dir, 'claude'));
  const ccusageRun = runCcusage(tree.root);

  store = openStore(join(dir, 'dossier.db'), { machineId: 'cost-test', price: pricer.price });
  pipeline = new IngestPipeline(store.writer);
  const settings = { logger: pino({ level: 'silent' }), counters: new Counters(), checkpoints: store.writer, home: dir, now: Date.now };
  const config = { ...defaultTranscriptsConfig(), claude_dirs: [tree.root], default_roots: false, watch: false, reader: 'inline' as const, progress: 'never' as const, rescan_interval_ms: 0 };
  collector = transcriptsFactory.create(settings, config, pipeline);
  await collector.start();
  await vi.waitFor(() => expect(collector.status?.()).toMatchObject({ phase: 'live' }), { timeout: 60_000, interval: 50 });
  for (const sessionId of tree.sessions.keys()) {
    const found = store.reader.findSession(sessionId);
    if (!found || !('session' in found)) throw new Error(`dossier has no session ${sessionId}`);
    dossier.set(sessionId, found.session);
  }

  const result = await ccusageRun;
  if ('sessions' in result) ccusage = result.sessions;
  else ccusageSkipReason = result.reason;
}, 300_000);

afterAll(async () => {
  await collector?.shutdown(5_000);
  await pipeline?.stop(5_000);
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dossier sums a generated transcript tree', () => {
  it('token totals per session equal the generated truth (placeholder lines and subagent files included once)', () => {
    for (const [sessionId, truth] of tree.sessions) {
      const stored = dossier.get(sessionId)!;
      expect({ id: sessionId, requests: stored.api_request_count, ...tokensOf(stored) }).toEqual({ id: sessionId, requests: truth.length, ...sum(truth) });
    }
  });

  it('costs each request with the bundled table; an unknown model is counted, never priced as zero', () => {
    for (const [sessionId, truth] of tree.sessions) {
      const stored = dossier.get(sessionId)!;
      const known = truth.filter((r) => r.model !== tree.unknownModel.model);
      expect(stored.unpriced_requests).toBe(truth.length - known.length);
      expect(stored.cost_usd).toBeCloseTo(known.reduce((usd, r) => usd + costOf(r), 0), 9);
    }
    expect(dossier.get(tree.unknownModel.session)!.unpriced_requests).toBe(tree.unknownModel.count);
  });

  it('the long-context request is billed entirely at the long rates (hand-computed)', () => {
    // 3×$6 + 2,000×$22.50 + 180,000×$0.60 + 20,000×$7.50 + 10,000×$12 = 423,018 µ$
    expect(costOf(LONG_REQUEST)).toBe(0.423018);
  });
});

describe('dossier and ccusage on the same tree', () => {
  it('agree on tokens exactly, and on cost up to the differences the rules explain', (ctx) => {
    if (!ccusage) {
      console.warn(`ccusage comparison skipped: ${ccusageSkipReason}`);
      ctx.skip(ccusageSkipReason);
      return;
    }
    expect([...ccusage.keys()].sort()).toEqual([...tree.sessions.keys()].sort());
    for (const [sessionId, stored] of dossier) {
      const theirs = ccusage.get(sessionId)!;
      expect({ id: sessionId, ...tokensOf(stored) }).toEqual({
        id: sessionId,
        tokens_input: theirs.inputTokens,
        tokens_output: theirs.outputTokens,
        tokens_cache_read: theirs.cacheReadTokens,
        tokens_cache_write: theirs.cacheCreationTokens,
      });
      const explained = sessionId === tree.longContext.session ? LONG_CONTEXT_DIFFERENCE : 0;
      expect(theirs.totalCost).toBeCloseTo(stored.cost_usd! - explained, 9);
    }
    const unknown = ccusage.get(tree.unknownModel.session)!.modelBreakdowns.find((m) => m.modelName === tree.unknownModel.model);
    expect(unknown?.cost).toBe(0);
  });
});

/**
 * ccusage on LONG_REQUEST, every class under 200k so all at base rates (1-hour writes at 2× input):
 * 3×$3 + 2,000×$15 + 180,000×$0.30 + 20,000×$3.75 + 10,000×$6 = 219,009 µ$.
 * dossier: 423,018 µ$ (above). Difference: 204,009 µ$.
 */
const LONG_CONTEXT_DIFFERENCE = 0.204009;

function costOf(r: TrueRequest): number {
  const usd = pricer.price(r.model, { input: r.input, output: r.output, cache_read: r.cache_read, cache_write: r.cache_write_5m + r.cache_write_1h, cache_write_1h: r.cache_write_1h });
  if (usd === null) throw new Error(`no price for ${r.model}`);
  return usd;
}

function sum(requests: readonly TrueRequest[]) {
  return {
    tokens_input: requests.reduce((n, r) => n + r.input, 0),
    tokens_output: requests.reduce((n, r) => n + r.output, 0),
    tokens_cache_read: requests.reduce((n, r) => n + r.cache_read, 0),
    tokens_cache_write: requests.reduce((n, r) => n + r.cache_write_5m + r.cache_write_1h, 0),
  };
}

function tokensOf(s: SessionRecord) {
  return { tokens_input: s.tokens_input, tokens_output: s.tokens_output, tokens_cache_read: s.tokens_cache_read, tokens_cache_write: s.tokens_cache_write };
}

/** Runs the pinned ccusage through npx; resolves its sessions, or why it could not run. */
function runCcusage(root: string): Promise<{ sessions: Map<string, CcusageSession> } | { reason: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['--yes', CCUSAGE, 'claude', 'session', '--json', '--offline'], {
      env: { ...process.env, CLAUDE_CONFIG_DIR: root, npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ reason: `npx could not start: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      if (code !== 0) return resolve({ reason: `npx --yes ${CCUSAGE} exited with ${code ?? signal}: ${tail}` });
      try {
        const parsed = JSON.parse(stdout) as { sessions: CcusageSession[] };
        resolve({ sessions: new Map(parsed.sessions.map((s) => [s.sessionId, s])) });
      } catch (error) {
        resolve({ reason: `${CCUSAGE} printed no JSON (${(error as Error).message}): ${tail}` });
      }
    });
  });
}
