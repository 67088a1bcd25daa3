/**
 * What a session did, from its events: tools used (calls, failures), files
 * touched, subagents, and a timeline of meaningful events with one-line
 * summaries. The export's Markdown report and JSON are built from it.
 */
import type { SessionRecord, StoredEvent } from '../../schema/index.js';
import { summarizeEvent } from './event-summary.js';
import { MAIN_AGENT } from '../merge/index.js';

/** Kinds left out of the report's timeline: bookkeeping, not things a reader wants to see. */
const QUIET_KINDS = new Set<string>(['session.activity', 'metric.point', 'process.seen']);

/** Per-tool counts. */
export interface ToolUse {
  tool: string;
  calls: number;
  failures: number;
}

/** A file a tool call named. */
export interface FileTouch {
  path: string;
  calls: number;
  tools: string[];
  last_at: number;
}

/** A subagent of the session: its usage and, when known, its type and task. */
export interface SubagentSummary {
  agent_id: string;
  agent_type: string | null;
  description: string | null;
  requests: number;
  tokens: number;
}

/** One timeline line. */
export interface ReportLine {
  ts: number;
  source: string;
  kind: string;
  agent_id: string | null;
  summary: string;
}

/** Everything the report shows beyond the record. */
export interface SessionReport {
  tools: ToolUse[];
  files: FileTouch[];
  subagents: SubagentSummary[];
  timeline: ReportLine[];
  /** Events the report was built from (all of the session's, up to the cap). */
  events: number;
  /** True when the session had more events than were read. */
  truncated: boolean;
}

/** Builds the report from the session's events, oldest first. */
export function buildSessionReport(session: SessionRecord, events: readonly StoredEvent[], truncated: boolean): SessionReport {
  const tools = new Map<string, ToolUse>();
  const files = new Map<string, FileTouch & { toolSet: Set<string> }>();
  const agentInfo = new Map<string, { agent_type: string | null; description: string | null }>();
  const timeline: ReportLine[] = [];
  // A failure names its tool only through the call's id on some sources.
  const toolByUseId = new Map<string, string>();
  for (const e of events) {
    if (e.kind === 'tool.called') {
      const use = tools.get(e.attrs.tool_name) ?? { tool: e.attrs.tool_name, calls: 0, failures: 0 };
      use.calls++;
      tools.set(use.tool, use);
      if (e.attrs.tool_use_id) toolByUseId.set(e.attrs.tool_use_id, e.attrs.tool_name);
      const path = e.attrs.file_path;
      if (path) {
        const touch = files.get(path) ?? { path, calls: 0, tools: [], last_at: e.ts, toolSet: new Set<string>() };
        touch.calls++;
        touch.toolSet.add(e.attrs.tool_name);
        touch.last_at = Math.max(touch.last_at, e.ts);
        files.set(path, touch);
      }
    } else if (e.kind === 'tool.finished' && !e.attrs.success) {
      const name = e.attrs.tool_name ?? (e.attrs.tool_use_id ? toolByUseId.get(e.attrs.tool_use_id) : undefined);
      if (name) {
        const use = tools.get(name) ?? { tool: name, calls: 0, failures: 0 };
        use.failures++;
        tools.set(name, use);
      }
    } else if (e.kind === 'subagent.started' && e.agent_id) {
      agentInfo.set(e.agent_id, { agent_type: e.attrs.agent_type ?? null, description: e.attrs.description ?? null });
    }
    if (!QUIET_KINDS.has(e.kind)) timeline.push({ ts: e.ts, source: e.source, kind: e.kind, agent_id: e.agent_id, summary: summarizeEvent(e) });
  }
  const subagents = Object.entries(session.usage_by_agent)
    .filter(([id]) => id !== MAIN_AGENT)
    .map(([id, u]) => ({
      agent_id: id,
      agent_type: agentInfo.get(id)?.agent_type ?? null,
      description: agentInfo.get(id)?.description ?? null,
      requests: u.requests,
      tokens: u.tokens_input + u.tokens_output + u.tokens_cache_read + u.tokens_cache_write,
    }));
  for (const [id, info] of agentInfo) {
    if (!subagents.some((s) => s.agent_id === id)) subagents.push({ agent_id: id, ...info, requests: 0, tokens: 0 });
  }
  return {
    tools: [...tools.values()].sort((a, b) => b.calls - a.calls || (a.tool < b.tool ? -1 : 1)),
    files: [...files.values()]
      .map(({ toolSet, ...f }) => ({ ...f, tools: [...toolSet].sort() }))
      .sort((a, b) => b.calls - a.calls || (a.path < b.path ? -1 : 1)),
    subagents: subagents.sort((a, b) => (a.agent_id < b.agent_id ? -1 : 1)),
    timeline,
    events: events.length,
    truncated,
  };
}
