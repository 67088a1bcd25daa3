/**
 * Rule 1 of the merge, per request: group a session's `api.request` events by
 * request identity and decide, for each request, which single event's usage
 * counts. Repeated transcript lines of one response never add up; a request
 * seen by transcript and OTel counts once.
 */
import { sourceRank, type EventOf, type NormalizedEvent, type Source, type Usage } from '../../schema/index.js';
import { SourcePick } from './pick.js';
import { isRealRequest, requestKey } from './requests.js';

/** Key of the main agent in `usage_by_agent`. */
export const MAIN_AGENT = 'main';
/** Key of `usage_by_model` for requests no source named a model for. */
export const UNKNOWN_MODEL = '<unknown>';

/** One API request as it counts toward the session's usage. */
export interface CountedRequest {
  key: string;
  /** Source of the event whose usage counts. */
  source: Source;
  usage: Usage;
  model: string | null;
  /** Agent id, or {@link MAIN_AGENT}. */
  agent: string;
  /** The agent's own cost estimate for this request (OTel), or null. */
  reported_cost_usd: number | null;
  /** Index of the counted event in the sorted events; orders requests in time. */
  position: number;
  /** A main-conversation turn (not a subagent, sidechain or auxiliary call such as title generation or compaction). */
  main_thread: boolean;
}

interface Sighting {
  event: EventOf<'api.request'>;
  position: number;
}

const ZERO_USAGE: Usage = { input: 0, output: 0, cache_read: 0, cache_write: 0, cache_write_1h: 0 };

/**
 * The requests a session counts, in the order they were first seen. `sorted`
 * must come from `sortEvents`. Requests whose key is in `foreign` belong to
 * another session and are skipped; `<synthetic>` lines are not API requests.
 */
export function countRequests(sorted: readonly NormalizedEvent[], foreign: ReadonlySet<string>): CountedRequest[] {
  const groups = new Map<string, Sighting[]>();
  for (let position = 0; position < sorted.length; position++) {
    const event = sorted[position]!;
    if (event.kind !== 'api.request' || !isRealRequest(event)) continue;
    const key = requestKey(event);
    if (foreign.has(key)) continue;
    const group = groups.get(key);
    if (group) group.push({ event, position });
    else groups.set(key, [{ event, position }]);
  }
  const out: CountedRequest[] = [];
  for (const [key, sightings] of groups) out.push(countOne(key, sightings));
  return out;
}

function countOne(key: string, sightings: readonly Sighting[]): CountedRequest {
  if (sightings.length === 1) return countSingle(key, sightings[0]!);
  const withUsage = sightings.filter((s) => s.event.attrs.usage !== undefined);
  const candidates = withUsage.length > 0 ? withUsage : sightings;
  const bestRank = Math.min(...candidates.map((s) => sourceRank(s.event.source)));
  const chosen = largestUsage(candidates.filter((s) => sourceRank(s.event.source) === bestRank))!;

  const model = new SourcePick<string>('earliest');
  const agent = new SourcePick<string>('earliest');
  const querySource = new SourcePick<string>('earliest');
  for (const { event } of sightings) {
    model.offer(event.source, event.attrs.model);
    agent.offer(event.source, event.agent_id);
    querySource.offer(event.source, event.attrs.query_source);
  }
  const costed = largestUsage(sightings.filter((s) => s.event.source === 'otel' && s.event.attrs.reported_cost_usd !== undefined));
  const agentId = chosen.event.agent_id ?? agent.value ?? MAIN_AGENT;
  return {
    key,
    source: chosen.event.source,
    usage: chosen.event.attrs.usage ?? ZERO_USAGE,
    model: chosen.event.attrs.model ?? model.value,
    agent: agentId,
    reported_cost_usd: costed?.event.attrs.reported_cost_usd ?? null,
    position: chosen.position,
    main_thread:
      agentId === MAIN_AGENT &&
      !sightings.some((s) => s.event.attrs.is_sidechain === true) &&
      isMainQuerySource(querySource.value),
  };
}

/** {@link countOne} for a request seen once (most of them): the same result without the grouping work. */
function countSingle(key: string, { event, position }: Sighting): CountedRequest {
  const agentId = event.agent_id ?? MAIN_AGENT;
  return {
    key,
    source: event.source,
    usage: event.attrs.usage ?? ZERO_USAGE,
    model: event.attrs.model ?? null,
    agent: agentId,
    reported_cost_usd: event.source === 'otel' ? (event.attrs.reported_cost_usd ?? null) : null,
    position,
    main_thread: agentId === MAIN_AGENT && event.attrs.is_sidechain !== true && isMainQuerySource(event.attrs.query_source ?? null),
  };
}

/**
 * The sighting with the largest usage total (input + output + cache read +
 * cache write); ties go to the larger output, then the smaller dedupe key.
 * Early transcript lines of a streamed response can hold placeholder output
 * counts, so the largest line is the final one.
 */
function largestUsage(sightings: readonly Sighting[]): Sighting | undefined {
  let best: Sighting | undefined;
  for (const s of sightings) {
    if (best === undefined || outranks(s.event, best.event)) best = s;
  }
  return best;
}

function outranks(a: EventOf<'api.request'>, b: EventOf<'api.request'>): boolean {
  const ua = a.attrs.usage ?? ZERO_USAGE;
  const ub = b.attrs.usage ?? ZERO_USAGE;
  const ta = ua.input + ua.output + ua.cache_read + ua.cache_write;
  const tb = ub.input + ub.output + ub.cache_read + ub.cache_write;
  if (ta !== tb) return ta > tb;
  if (ua.output !== ub.output) return ua.output > ub.output;
  return a.dedupe_key < b.dedupe_key;
}

/**
 * OTel `query_source` values of main-conversation turns (`sdk` for `-p`,
 * `repl_main_thread…` for the TUI). Absent means the source does not say
 * (transcripts), which for a main-agent request is a main turn.
 */
function isMainQuerySource(querySource: string | null): boolean {
  return querySource === null || querySource === 'sdk' || querySource === 'main' || querySource.startsWith('repl_main_thread');
}
