/**
 * fast-check generators of realistic event sets for ONE session, shaped like
 * what the collectors produce: a streamed response written as several
 * transcript lines with growing usage, the same request again from OTel,
 * tool calls seen by all three sources, prompts sharing a prompt_id,
 * start/end/resume/compact sequences, status changes, subagent requests,
 * enrichment. Timestamps come from a narrow window so equal `ts` values
 * (ties broken by dedupe key) are common.
 */
import fc from 'fast-check';
import type { NormalizedEvent, Source, Usage } from '../../schema/index.js';
import { ev, makeEvent } from '../support/events.js';

const T0 = 1_800_000_000_000;
const SESSION = 'prop-session';
const ts = fc.integer({ min: 0, max: 300 }).map((d) => T0 + d);
const agentSource = fc.constantFrom<Source>('transcript', 'otel', 'hook');
const agentSources = fc.uniqueArray(agentSource, { minLength: 1, maxLength: 3 });
const agent = fc.constantFrom<string | null>(null, null, null, 'agent-a', 'agent-b');
const cwd = fc.constantFrom('/proj', '/proj/sub', '/other');

const usageArb: fc.Arbitrary<Usage> = fc
  .record({
    input: fc.integer({ min: 0, max: 50 }),
    output: fc.integer({ min: 2, max: 500 }),
    cache_read: fc.integer({ min: 0, max: 30_000 }),
    cache_write: fc.integer({ min: 0, max: 20_000 }),
    part1h: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ part1h, ...u }) => ({ ...u, cache_write_1h: Math.floor((u.cache_write * part1h) / 100) }));

const requestArb = fc.record({
  ts,
  agent,
  model: fc.constantFrom('claude-opus-4-8', 'claude-opus-4-8', 'claude-haiku-4-5', '<synthetic>'),
  usage: usageArb,
  transcriptLines: fc.integer({ min: 0, max: 3 }),
  otel: fc.boolean(),
  costMicros: fc.integer({ min: 1, max: 500_000 }),
  stop: fc.constantFrom<string | undefined>('end_turn', 'tool_use', undefined),
});
type RequestSpec = typeof requestArb extends fc.Arbitrary<infer R> ? R : never;

/** One API request's events: transcript lines (the first may hold a placeholder output), and maybe an OTel copy. */
function requestEvents(r: RequestSpec, i: number): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  const ids = { request_id: `req_${i}`, message_id: `msg_${i}`, model: r.model };
  const stop = r.stop === undefined ? {} : { stop_reason: r.stop };
  const lines = r.otel || r.transcriptLines > 0 ? r.transcriptLines : 1;
  for (let line = 0; line < lines; line += 1) {
    const placeholder = lines > 1 && line === 0;
    out.push(
      ev.request(r.ts + line, { ...ids, ...stop, usage: placeholder ? { ...r.usage, output: 1 } : r.usage }, {
        session_id: SESSION,
        agent_id: r.agent,
        dedupe_key: `t:req:${i}:${line}`,
      }),
    );
  }
  if (r.otel) {
    out.push(
      ev.request(r.ts + 2, { request_id: ids.request_id, model: r.model, usage: r.usage, reported_cost_usd: r.costMicros / 1e6 }, {
        session_id: SESSION,
        source: 'otel',
        dedupe_key: `o:req:${i}`,
      }),
    );
  }
  return out;
}

const toolArb = fc.record({ ts, hasId: fc.boolean(), sources: agentSources, success: fc.boolean(), finishedOnly: fc.boolean(), agent });
const promptArb = fc.record({ ts, hasId: fc.boolean(), sources: agentSources, text: fc.constantFrom('fix it', 'add tests', 'ship') });
const lifecycleArb = fc.oneof(
  fc.record({ ts, op: fc.constant('start' as const), start: fc.constantFrom('startup', 'resume', 'compact', 'clear') as fc.Arbitrary<'startup' | 'resume' | 'compact' | 'clear'> }),
  fc.record({ ts, op: fc.constant('end' as const), reason: fc.constantFrom('other', 'prompt_input_exit', 'process_exit', 'inactivity') }),
);
const statusArb = fc.record({ ts, status: fc.constantFrom('busy', 'waiting', 'idle') as fc.Arbitrary<'busy' | 'waiting' | 'idle'> });
const activityArb = fc.record({ ts, source: agentSource, cwd, branch: fc.constantFrom('main', 'feature', undefined), agent });
const extraArb = fc.oneof(
  fc.record({ ts, x: fc.constant('compaction' as const), source: agentSource }),
  fc.record({ ts, x: fc.constant('metric' as const), value: fc.integer({ min: 1, max: 1000 }), type: fc.constantFrom('input', 'output', 'cacheRead') }),
  fc.record({ ts, x: fc.constant('process' as const), pid: fc.integer({ min: 1, max: 99_999 }) }),
  fc.record({ ts, x: fc.constant('git' as const), cwd, additions: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ ts, x: fc.constant('ref' as const), refType: fc.constantFrom('issue', 'pr') as fc.Arbitrary<'issue' | 'pr'>, number: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ ts, x: fc.constant('title' as const), source: agentSource, title: fc.constantFrom('A', 'B') }),
  fc.record({ ts, x: fc.constant('task' as const), id: fc.constantFrom('1', '2'), state: fc.constantFrom('created', 'updated', 'completed') as fc.Arbitrary<'created' | 'updated' | 'completed'> }),
  fc.record({ ts, x: fc.constant('error' as const), source: agentSource, hasId: fc.boolean(), exhausted: fc.boolean() }),
);

/** A generated session: its distinct events and the request usage that must come out of them. */
export interface GeneratedSession {
  events: NormalizedEvent[];
  /** Sum of the real usage of every non-synthetic request: what the record's tokens must equal. */
  expected: { requests: number; input: number; output: number; cache_read: number; cache_write: number };
}

/** Distinct events of one realistic session (every dedupe key used once). */
export const sessionArb: fc.Arbitrary<GeneratedSession> = fc
  .record({
    requests: fc.array(requestArb, { maxLength: 6 }),
    tools: fc.array(toolArb, { maxLength: 5 }),
    prompts: fc.array(promptArb, { maxLength: 4 }),
    lifecycle: fc.array(lifecycleArb, { maxLength: 5 }),
    statuses: fc.array(statusArb, { maxLength: 3 }),
    activity: fc.array(activityArb, { maxLength: 4 }),
    extras: fc.array(extraArb, { maxLength: 8 }),
  })
  .filter((s) => s.requests.length + s.tools.length + s.prompts.length + s.lifecycle.length + s.activity.length + s.extras.length > 0)
  .map((s) => {
    const events: NormalizedEvent[] = [];
    const o = (source: Source, key: string, agentId: string | null = null) => ({ session_id: SESSION, source, dedupe_key: key, agent_id: agentId });
    const expected = { requests: 0, input: 0, output: 0, cache_read: 0, cache_write: 0 };
    s.requests.forEach((r, i) => {
      events.push(...requestEvents(r, i));
      if (r.model === '<synthetic>') return;
      expected.requests += 1;
      expected.input += r.usage.input;
      expected.output += r.usage.output;
      expected.cache_read += r.usage.cache_read;
      expected.cache_write += r.usage.cache_write;
    });
    s.tools.forEach((t, i) => {
      const id = t.hasId ? { tool_use_id: `toolu_${i}` } : {};
      for (const source of t.sources) {
        if (!t.finishedOnly) events.push(ev.toolCalled(t.ts, { ...id, tool_name: 'Bash' }, o(source, `${source}:tc:${i}`, t.agent)));
        events.push(ev.toolFinished(t.ts + 3, { ...id, success: t.success }, o(source, `${source}:tf:${i}`, t.agent)));
      }
    });
    s.prompts.forEach((p, i) => {
      for (const source of p.sources) {
        events.push(ev.prompt(p.ts, { ...(p.hasId ? { prompt_id: `prompt_${i}` } : {}), text: p.text }, o(source, `${source}:p:${i}`)));
      }
    });
    s.lifecycle.forEach((l, i) => {
      if (l.op === 'start') events.push(ev.started(l.ts, l.start, o('hook', `h:start:${i}`)));
      else events.push(ev.ended(l.ts, l.reason, o(l.reason === 'process_exit' || l.reason === 'inactivity' ? 'process' : 'hook', `x:end:${i}`)));
    });
    s.statuses.forEach((st, i) => events.push(ev.status(st.ts, st.status, 'hook', o('hook', `h:status:${i}`))));
    s.activity.forEach((a, i) =>
      events.push(makeEvent('session.activity', a.ts, { cwd: a.cwd, ...(a.branch ? { git_branch: a.branch } : {}) }, o(a.source, `${a.source}:act:${i}`, a.agent))),
    );
    s.extras.forEach((x, i) => events.push(extraEvent(x, `extra:${i}`, o)));
    return { events, expected };
  });

type Opts = (source: Source, key: string, agentId?: string | null) => { session_id: string; source: Source; dedupe_key: string; agent_id: string | null };

type ExtraSpec = typeof extraArb extends fc.Arbitrary<infer X> ? X : never;

function extraEvent(x: ExtraSpec, key: string, o: Opts): NormalizedEvent {
  switch (x.x) {
    case 'compaction':
      return ev.compaction(x.ts, o(x.source, key), { trigger: 'auto' });
    case 'metric':
      return ev.metric(x.ts, { name: 'claude_code.token.usage', value: x.value, type: x.type, model: 'claude-opus-4-8' }, o('otel', key));
    case 'process':
      return ev.process(x.ts, x.pid, T0 - 1000, o('process', key));
    case 'git':
      return ev.git(x.ts, { cwd: x.cwd, git_dir: `${x.cwd}/.git`, branch: 'main', github_repo: 'o/r', additions: x.additions, deletions: 1 }, o('git', key));
    case 'ref':
      return ev.githubRef(x.ts, { ref_type: x.refType, number: x.number, repo: 'o/r' }, o('transcript', key));
    case 'title':
      return ev.title(x.ts, x.title, o(x.source, key));
    case 'task':
      return ev.task(x.ts, { task_id: x.id, state: x.state, subject: `task ${x.id}` }, o('hook', key));
    case 'error':
      return ev.apiError(x.ts, { ...(x.hasId ? { request_id: 'req_err' } : {}), retries_exhausted: x.exhausted }, o(x.source, key));
  }
}

/** Claims on one request key by a handful of sessions, some forked from others. */
export const claimsArb = fc.array(
  fc.record({
    session_id: fc.constantFrom('s1', 's2', 's3', 's4'),
    first_ts: fc.integer({ min: 0, max: 5 }),
    forked_from: fc.constantFrom<string | null>(null, null, 's1', 's2', 's3', 'elsewhere'),
  }),
  { minLength: 1, maxLength: 6 },
);
