/**
 * Rule 3 of the merge: counts of prompts, tool calls, tool errors, API errors,
 * compactions and subagents. Sources that share an identity (prompt_id,
 * tool_use_id, request_id) are joined on it so each thing counts once;
 * things without an identity are counted from the single strongest source
 * that reported them, never summed across sources.
 */
import { sourceRank, type EventOf, type NormalizedEvent, type Source } from '../../schema/index.js';
import { combinedSource, sourceBit, strongestOfBits, strongestSource } from './pick.js';

/** The count fields of a session record, with provenance for the provenanced ones. */
export interface Counts {
  message_count: number;
  tool_call_count: number;
  tool_error_count: number;
  api_error_count: number;
  compaction_count: number;
  subagent_count: number;
  provenance: {
    message_count: Source | 'mixed' | null;
    tool_call_count: Source | 'mixed' | null;
    api_error_count: Source | 'mixed' | null;
    compaction_count: Source | null;
  };
}

/** Counts things joined by an optional id: distinct ids, plus id-less sightings of the strongest source that had any. */
class IdentityCounter {
  /** Sources that saw each id, as {@link sourceBit}s. */
  readonly #byId = new Map<string, number>();
  readonly #idless = new Map<Source, number>();

  add(id: string | undefined, source: Source): void {
    if (id === undefined) {
      this.#idless.set(source, (this.#idless.get(source) ?? 0) + 1);
      return;
    }
    this.#byId.set(id, (this.#byId.get(id) ?? 0) | sourceBit(source));
  }

  count(): number {
    const idlessSource = strongestSource(this.#idless.keys());
    return this.#byId.size + (idlessSource === null ? 0 : this.#idless.get(idlessSource)!);
  }

  /** Provenance: the strongest source of each counted item. */
  provenance(): Source | 'mixed' | null {
    const credited = [...this.#byId.values()].map((bits) => strongestOfBits(bits)!);
    const idlessSource = strongestSource(this.#idless.keys());
    if (idlessSource !== null) credited.push(idlessSource);
    return combinedSource(credited);
  }
}

/**
 * Counts API errors per source: distinct request ids plus id-less sightings.
 * Every source reports only a request's final failure (retried attempts leave
 * no error record), but not every source knows the request id (the transcript's
 * synthetic error line and the StopFailure hook have none), so ids cannot join
 * them across sources. The session's count is that of the source that saw the
 * most errors; ties go to the stronger source.
 */
class PerSourceErrorCounter {
  readonly #bySource = new Map<Source, { ids: Set<string>; idless: number }>();

  add(id: string | undefined, source: Source): void {
    let seen = this.#bySource.get(source);
    if (!seen) {
      seen = { ids: new Set(), idless: 0 };
      this.#bySource.set(source, seen);
    }
    if (id === undefined) seen.idless += 1;
    else seen.ids.add(id);
  }

  /** The winning source and its count. */
  best(): { source: Source | null; count: number } {
    let best: { source: Source | null; count: number } = { source: null, count: 0 };
    for (const [source, seen] of this.#bySource) {
      const count = seen.ids.size + seen.idless;
      const stronger = best.source === null || strongestSource([source, best.source]) === source;
      if (count > best.count || (count === best.count && stronger)) best = { source, count };
    }
    return best;
  }
}

interface ToolSightings {
  /** Sources that reported the tool, as {@link sourceBit}s. */
  sources: number;
  /** Latest finish per source, by source rank; null until one finishes. */
  finishes: (EventOf<'tool.finished'> | undefined)[] | null;
}

interface IdlessTools {
  called: number;
  finished: number;
  failed: number;
}

/**
 * Counts. `sorted` must come from `sortEvents`.
 * - prompts (`message_count`): main-agent `prompt.submitted`, joined by `prompt_id`.
 * - tool calls: `tool.called`/`tool.finished` joined by `tool_use_id` (a tool
 *   seen only finishing still counts). Id-less calls: the strongest source's
 *   `tool.called` events, or its `tool.finished` events if it reported no calls.
 * - tool errors: tools whose finish, from the strongest source that reported
 *   one (its latest), has `success: false`.
 * - API errors: per source, distinct `request_id`s plus id-less errors; the
 *   source that saw the most wins (see {@link PerSourceErrorCounter}).
 * - compactions: `compaction` events of the strongest source that reported any
 *   (sources share no id for them).
 * - subagents: distinct non-null agent ids.
 */
export function countThings(sorted: readonly NormalizedEvent[]): Counts {
  const prompts = new IdentityCounter();
  const apiErrors = new PerSourceErrorCounter();
  const tools = new Map<string, ToolSightings>();
  const idlessTools = new Map<Source, IdlessTools>();
  const compactions = new Map<Source, number>();
  const agents = new Set<string>();

  for (const e of sorted) {
    if (e.agent_id !== null) agents.add(e.agent_id);
    switch (e.kind) {
      case 'prompt.submitted':
        if (e.agent_id === null) prompts.add(e.attrs.prompt_id, e.source);
        break;
      case 'api.error':
        apiErrors.add(e.attrs.request_id, e.source);
        break;
      case 'compaction':
        compactions.set(e.source, (compactions.get(e.source) ?? 0) + 1);
        break;
      case 'tool.called':
      case 'tool.finished':
        addTool(e, tools, idlessTools);
        break;
      default:
        break;
    }
  }

  let toolErrors = 0;
  const toolCredits: Source[] = [];
  for (const tool of tools.values()) {
    toolCredits.push(strongestOfBits(tool.sources)!);
    // The strongest source's finish is the first one by rank.
    const finish = tool.finishes?.find((f) => f !== undefined);
    if (finish !== undefined && finish.attrs.success === false) toolErrors += 1;
  }
  let idlessCalls = 0;
  const idlessSource = strongestSource(idlessTools.keys());
  if (idlessSource !== null) {
    const idless = idlessTools.get(idlessSource)!;
    idlessCalls = idless.called > 0 ? idless.called : idless.finished;
    toolErrors += idless.failed;
    toolCredits.push(idlessSource);
  }
  const compactionSource = strongestSource(compactions.keys());
  const apiErrorTally = apiErrors.best();

  return {
    message_count: prompts.count(),
    tool_call_count: tools.size + idlessCalls,
    tool_error_count: toolErrors,
    api_error_count: apiErrorTally.count,
    compaction_count: compactionSource === null ? 0 : compactions.get(compactionSource)!,
    subagent_count: agents.size,
    provenance: {
      message_count: prompts.provenance(),
      tool_call_count: combinedSource(toolCredits),
      api_error_count: apiErrorTally.source,
      compaction_count: compactionSource,
    },
  };
}

function addTool(
  e: EventOf<'tool.called'> | EventOf<'tool.finished'>,
  tools: Map<string, ToolSightings>,
  idlessTools: Map<Source, IdlessTools>,
): void {
  const id = e.attrs.tool_use_id;
  if (id === undefined) {
    let idless = idlessTools.get(e.source);
    if (!idless) {
      idless = { called: 0, finished: 0, failed: 0 };
      idlessTools.set(e.source, idless);
    }
    if (e.kind === 'tool.called') idless.called += 1;
    else {
      idless.finished += 1;
      if (!e.attrs.success) idless.failed += 1;
    }
    return;
  }
  let tool = tools.get(id);
  if (!tool) {
    tool = { sources: 0, finishes: null };
    tools.set(id, tool);
  }
  tool.sources |= sourceBit(e.source);
  if (e.kind === 'tool.finished') (tool.finishes ??= [])[sourceRank(e.source)] = e;
}
