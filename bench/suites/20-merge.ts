/**
 * Merge engine speed: `projectSession` over one generated session of realistic
 * shape (turns with a prompt seen by three sources, streamed responses written
 * as several transcript lines plus an OTel copy, tool calls seen by all three
 * sources, subagent requests, status hooks, metric points, enrichment), at 10k
 * and 100k events. The events are shuffled so the sort does real work, as it
 * does when the store hands a session's events back from the ledger.
 */
import { performance } from 'node:perf_hooks';
import { projectSession, sortEvents } from '../../core/merge/index.js';
import type { NormalizedEvent, Source } from '../../schema/index.js';
import type { BenchRow } from '../row.js';
import { seededRandom } from '../../test/support/seeded-random.js';

const SESSION = 'bench-session';
const T0 = 1_800_000_000_000;

/** About `count` events of one busy session, in shuffled order. */
export function generateSession(count: number, seed = 7): NormalizedEvent[] {
  const rand = seededRandom(seed);
  const out: NormalizedEvent[] = [];
  let ts = T0;
  let n = 0;
  const base = (source: Source, agent: string | null) => ({
    dedupe_key: `${source}:${n++}`,
    source,
    framework: 'claude_code' as const,
    session_id: SESSION,
    agent_id: agent,
    ts: (ts += 1 + Math.floor(rand() * 40)),
    received_at: ts,
  });
  const ctx = { cwd: '/home/u/proj', git_branch: 'main', app_version: '2.1.197', entrypoint: 'cli' };
  out.push({ ...base('hook', null), kind: 'session.started', attrs: { ...ctx, start_source: 'startup' } });
  for (let turn = 0; out.length < count; turn += 1) {
    const promptId = `prompt-${turn}`;
    for (const source of ['transcript', 'otel', 'hook'] as const) {
      out.push({ ...base(source, null), kind: 'prompt.submitted', attrs: { ...ctx, prompt_id: promptId, text: `turn ${turn}` } });
    }
    const steps = 1 + Math.floor(rand() * 6);
    for (let step = 0; step < steps; step += 1) {
      const agent = rand() < 0.2 ? `agent-${turn % 7}` : null;
      const req = `req_${turn}_${step}`;
      const usage = { input: 3 + Math.floor(rand() * 10), output: 20 + Math.floor(rand() * 400), cache_read: 20_000 + turn * 50, cache_write: Math.floor(rand() * 800), cache_write_1h: 0 };
      const last = step === steps - 1;
      const stop = last ? 'end_turn' : 'tool_use';
      const lines = 1 + Math.floor(rand() * 3);
      for (let line = 0; line < lines; line += 1) {
        const u = line === 0 && lines > 1 ? { ...usage, output: 1 } : usage;
        out.push({ ...base('transcript', agent), kind: 'api.request', attrs: { ...ctx, request_id: req, message_id: `msg_${turn}_${step}`, model: 'claude-opus-4-8', usage: u, stop_reason: stop } });
      }
      out.push({ ...base('otel', null), kind: 'api.request', attrs: { request_id: req, model: 'claude-opus-4-8[1m]', usage, reported_cost_usd: usage.output * 0.000025, duration_ms: 900 } });
      if (last) break;
      const tool = `toolu_${turn}_${step}`;
      for (const source of ['transcript', 'otel', 'hook'] as const) {
        out.push({ ...base(source, agent), kind: 'tool.called', attrs: { ...ctx, tool_use_id: tool, tool_name: 'Bash', command: 'ls' } });
        out.push({ ...base(source, agent), kind: 'tool.finished', attrs: { ...ctx, tool_use_id: tool, success: rand() > 0.05 } });
      }
      if (rand() < 0.05) out.push({ ...base('hook', null), kind: 'status.changed', attrs: { status: 'waiting', reason: 'permission_request' } });
    }
    out.push({ ...base('hook', null), kind: 'status.changed', attrs: { status: 'idle', reason: 'stop' } });
    out.push({ ...base('otel', null), kind: 'metric.point', attrs: { name: 'claude_code.token.usage', value: 100, type: 'output', model: 'claude-opus-4-8' } });
    if (turn % 25 === 0) out.push({ ...base('git', null), kind: 'git.context', attrs: { cwd: ctx.cwd, git_dir: `${ctx.cwd}/.git`, branch: 'main', additions: turn, deletions: 1 } });
    if (turn % 50 === 0) out.push({ ...base('process', null), kind: 'process.seen', attrs: { pid: 4242, process_start_time: T0 } });
  }
  out.length = count;
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Times `projectSession` on 10k and 100k shuffled events, and on 100k events
 * already in (ts, dedupe_key) order as the store reads them back, with and
 * without the store's distinct-keys promise (median of several runs after a
 * warm-up).
 */
export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cases = [
    { size: 10_000, runs: 15, order: 'shuffled' },
    { size: 100_000, runs: 5, order: 'shuffled' },
    { size: 100_000, runs: 5, order: 'store order' },
    // What the store's writer calls: its lists come in order with distinct keys, and it says so.
    { size: 100_000, runs: 5, order: 'store order, distinct keys vouched' },
  ] as const;
  for (const { size, runs, order } of cases) {
    const shuffled = generateSession(size);
    const events = order === 'shuffled' ? shuffled : sortEvents(shuffled);
    const ctx = { machine_id: 'bench', distinct_keys: order === 'store order, distinct keys vouched' };
    projectSession(events, ctx);
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      projectSession(events, ctx);
      times.push(performance.now() - started);
    }
    const ms = median(times);
    const label = `${size / 1000}k events, ${order}`;
    rows.push({ suite: 'merge', case: `projectSession ${label}`, value: Number(ms.toFixed(2)), unit: 'ms', note: `median of ${runs}` });
    rows.push({ suite: 'merge', case: `projectSession ${label} rate`, value: Math.round(size / (ms / 1000)), unit: 'events/s' });
  }
  return rows;
}
