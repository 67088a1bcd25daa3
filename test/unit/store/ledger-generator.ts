/**
 * Generates non-trivial ledgers for store tests: many sessions with mixed
 * sources, subagents, forks and old-style resumes that copy their parent's
 * requests, delivered as duplicated, shuffled, randomly split batches.
 */
import type { NormalizedEvent } from '../../../schema/index.js';
import { ev, usage } from '../../support/events.js';

/** Shape of a generated ledger. */
export interface LedgerShape {
  sessions: number;
  turnsPerSession: number;
}

const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5'];

function sessionId(i: number): string {
  return `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${'0'.repeat(12)}`;
}

/** Every distinct event of a generated ledger (no duplicates yet), in creation order. */
export function generateLedger(random: () => number, shape: LedgerShape): NormalizedEvent[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const out: NormalizedEvent[] = [];
  const requestsBySession = new Map<string, NormalizedEvent[]>();
  for (let s = 0; s < shape.sessions; s++) {
    const id = sessionId(s + 1);
    const o = { session_id: id };
    const start = 1_700_000_000_000 + Math.floor(random() * 10_000_000);
    const parents = [...requestsBySession.keys()];
    const relation = parents.length > 0 ? random() : 1;
    const parent = relation < 0.4 ? pick(parents) : null;
    const cwd = `/work/repo-${s % 5}`;
    out.push(ev.started(start, relation < 0.2 ? 'fork' : 'startup', o, relation < 0.2 && parent ? { forked_from: parent, cwd } : { cwd }));
    const mine: NormalizedEvent[] = [];
    if (parent) {
      // Fork (with a link) or old-style resume (no link): the parent's requests copied with their own times.
      for (const copy of requestsBySession.get(parent)!.slice(0, 1 + Math.floor(random() * 4))) {
        out.push({ ...copy, session_id: id, dedupe_key: `copy:${id}:${copy.dedupe_key}` } as NormalizedEvent);
      }
    }
    let t = start + 1_000;
    for (let turn = 0; turn < shape.turnsPerSession; turn++) {
      t += 1 + Math.floor(random() * 5_000);
      out.push(ev.prompt(t, { text: `turn ${turn} of ${s}`, cwd }, o));
      out.push(ev.status(t, 'busy', 'prompt', o));
      const agent = random() < 0.2 ? `agent-${s}-${turn}` : null;
      const requestId = `req_${s}_${turn}`;
      const model = pick(MODELS);
      const used = usage({ input: Math.floor(random() * 50), output: Math.floor(random() * 900), cache_read: Math.floor(random() * 40_000) });
      const request = ev.request(t + 5, { request_id: requestId, message_id: `msg_${s}_${turn}`, model, usage: used }, { ...o, agent_id: agent });
      out.push(request);
      mine.push(request);
      if (random() < 0.5) {
        out.push(ev.request(t + 6, { request_id: requestId, model, usage: used, reported_cost_usd: 0.01, duration_ms: 900 }, { ...o, source: 'otel', agent_id: agent }));
      }
      if (random() < 0.5) {
        const tool = `toolu_${s}_${turn}`;
        out.push(ev.toolCalled(t + 7, { tool_use_id: tool, tool_name: 'Bash', command: 'ls' }, o));
        out.push(ev.toolFinished(t + 9, { tool_use_id: tool, tool_name: 'Bash', success: random() < 0.8 }, { ...o, source: 'hook' }));
      }
      out.push(ev.status(t + 10, 'idle', 'stop', o));
    }
    if (random() < 0.3) out.push(ev.ended(t + 100, 'prompt_input_exit', o));
    requestsBySession.set(id, mine);
  }
  return out;
}

/** Shuffles (Fisher–Yates) a copy of `items`. */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** How {@link deliveries} cuts a ledger into commits. */
export interface DeliveryPlan {
  /** Share of events delivered a second time. */
  duplicateShare: number;
  /** Batches hold 1..maxBatch events. */
  maxBatch: number;
  /** Shuffle everything (default), or keep the given order with each duplicate right after its original. */
  shuffle?: boolean;
}

/** The events with about `duplicateShare` of them repeated, in random or given order, cut into batches. */
export function deliveries<T>(random: () => number, events: readonly T[], plan: DeliveryPlan): T[][] {
  const order =
    plan.shuffle === false
      ? events.flatMap((e) => (random() < plan.duplicateShare ? [e, e] : [e]))
      : shuffled(random, [...events, ...events.filter(() => random() < plan.duplicateShare)]);
  const batches: T[][] = [];
  for (let i = 0; i < order.length; ) {
    const size = 1 + Math.floor(random() * plan.maxBatch);
    batches.push(order.slice(i, i + size));
    i += size;
  }
  return batches;
}
