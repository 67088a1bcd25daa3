/**
 * Writes one synthetic Claude Code session transcript in the 2.1.x line
 * format (FORMATS.md Part 1), with the line mix of real use: typed prompts,
 * responses written as several lines (thinking/text/tool_use blocks, the
 * first line sometimes with a placeholder output count), tool results that
 * carry file contents twice, attachments, turn markers, now and then a
 * compaction, an API error line, a title. It returns the totals a correct
 * reader must find, computed while writing (not by reading the file back).
 */
import { Rng, TextPool } from './text-pool.js';

/** What a correct reader must find in one session (main file plus its subagent files). */
export interface SessionTruth {
  session_id: string;
  requests: number;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  cache_write_1h: number;
  tool_calls: number;
  prompts: number;
  compactions: number;
  api_errors: number;
  /** Requests and output tokens per subagent id. */
  agents: Record<string, { requests: number; output: number }>;
  cwd: string;
  git_branch: string | null;
}

/** One file to write: its path relative to the project dir, and its lines. */
export interface GeneratedFile {
  relPath: string;
  text: string;
}

interface Ctx {
  rng: Rng;
  pool: TextPool;
  sessionId: string;
  cwd: string;
  branch: string;
  ts: number;
  parent: string | null;
  agentId: string | null;
  truth: SessionTruth;
  out: string[];
  bytes: number;
}

const MODEL = 'claude-opus-4-8';

function envelope(c: Ctx, uuid: string): string {
  const agent = c.agentId ? `"agentId":"${c.agentId}",` : '';
  return `"uuid":"${uuid}","timestamp":"${new Date(c.ts).toISOString()}",${agent}"userType":"external","entrypoint":"cli","cwd":${JSON.stringify(c.cwd)},"sessionId":"${c.sessionId}","version":"2.1.197","gitBranch":"${c.branch}"`;
}

function push(c: Ctx, line: string, uuid: string | null): void {
  c.out.push(line);
  c.bytes += line.length + 1;
  if (uuid) c.parent = uuid;
  c.ts += c.rng.int(20, 4000);
}

function head(c: Ctx): string {
  return `"parentUuid":${c.parent ? `"${c.parent}"` : 'null'},"isSidechain":${c.agentId ? 'true' : 'false'}`;
}

function prompt(c: Ctx, promptId: string): void {
  const uuid = c.rng.uuid();
  const text = c.pool.text(c.rng, c.rng.size(200, 20, 4000));
  push(c, `{${head(c)},"promptId":"${promptId}","type":"user","message":{"role":"user","content":"${text}"},${envelope(c, uuid)},"permissionMode":"default","promptSource":"typed"}`, uuid);
  if (!c.agentId) c.truth.prompts++;
}

function usageJson(u: { input: number; output: number; read: number; write: number; write1h: number }): string {
  return `{"input_tokens":${u.input},"cache_creation_input_tokens":${u.write},"cache_read_input_tokens":${u.read},"output_tokens":${u.output},"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":"standard","cache_creation":{"ephemeral_1h_input_tokens":${u.write1h},"ephemeral_5m_input_tokens":${u.write - u.write1h}},"inference_geo":"","iterations":[],"speed":"standard"}`;
}

/** One API response written as one line per content block; returns the tool_use ids it asked for. */
function response(c: Ctx, final: boolean): string[] {
  const { rng } = c;
  const msgId = `msg_01${rng.id(22)}`;
  const reqId = `req_011${rng.id(24)}`;
  const write = rng.int(50, 3000);
  const u = { input: rng.int(1, 12), output: rng.int(20, 2500), read: rng.int(10_000, 180_000), write, write1h: rng.chance(0.3) ? rng.int(0, write) : 0 };
  const blocks: string[] = [];
  if (rng.chance(0.5)) blocks.push(`{"type":"thinking","thinking":"","signature":"${rng.id(rng.int(200, 2400))}"}`);
  if (final || rng.chance(0.6)) blocks.push(`{"type":"text","text":"${c.pool.text(rng, rng.size(600, 40, 12_000))}"}`);
  const toolIds: string[] = [];
  if (!final) {
    const n = rng.chance(0.2) ? rng.int(2, 4) : 1;
    for (let i = 0; i < n; i++) {
      const id = `toolu_01${rng.id(22)}`;
      toolIds.push(id);
      const kind = rng.int(0, 3);
      const input =
        kind === 0
          ? `{"command":"npm test -- ${rng.id(6)}","description":"Run tests"}`
          : kind === 1
            ? `{"file_path":"${c.cwd}/src/${rng.id(8)}.ts"}`
            : kind === 2
              ? `{"file_path":"${c.cwd}/src/${rng.id(8)}.ts","old_string":"${c.pool.text(rng, 120)}","new_string":"${c.pool.text(rng, 400)}"}`
              : `{"file_path":"${c.cwd}/src/${rng.id(8)}.ts","content":"${c.pool.text(rng, rng.size(2000, 100, 40_000))}"}`;
      blocks.push(`{"type":"tool_use","id":"${id}","name":"${['Bash', 'Read', 'Edit', 'Write'][kind]}","input":${input}}`);
    }
  }
  const stop = final ? 'end_turn' : 'tool_use';
  const placeholder = blocks.length > 1 && rng.chance(0.3);
  blocks.forEach((block, i) => {
    const uuid = rng.uuid();
    const lineUsage = placeholder && i === 0 ? { ...u, output: 1 } : u;
    const attribution = c.agentId ? ',"attributionAgent":"general-purpose"' : '';
    push(c, `{${head(c)},"message":{"id":"${msgId}","type":"message","role":"assistant","model":"${MODEL}","content":[${block}],"stop_reason":"${stop}","stop_sequence":null,"usage":${usageJson(lineUsage)},"stop_details":null},"requestId":"${reqId}","type":"assistant",${envelope(c, uuid)}${attribution}}`, uuid);
  });
  const t = c.truth;
  t.requests++;
  t.input += u.input;
  t.output += u.output;
  t.cache_read += u.read;
  t.cache_write += u.write;
  t.cache_write_1h += u.write1h;
  t.tool_calls += toolIds.length;
  if (c.agentId) {
    const a = (t.agents[c.agentId] ??= { requests: 0, output: 0 });
    a.requests++;
    a.output += u.output;
  }
  return toolIds;
}

function toolResult(c: Ctx, toolId: string, promptId: string): void {
  const { rng } = c;
  const uuid = rng.uuid();
  const body = c.pool.text(rng, rng.size(3000, 40, 120_000));
  const isError = rng.chance(0.05);
  const result = rng.chance(0.5)
    ? `{"type":"text","file":{"filePath":"${c.cwd}/src/x.ts","content":"${body}","numLines":120,"startLine":1,"totalLines":120}}`
    : `{"stdout":"${body}","stderr":"","interrupted":false,"isImage":false,"noOutputExpected":false}`;
  push(c, `{${head(c)},"promptId":"${promptId}","type":"user","message":{"role":"user","content":[{"tool_use_id":"${toolId}","type":"tool_result","content":"${body}","is_error":${isError}}]},${envelope(c, uuid)},"toolUseResult":${result},"sourceToolAssistantUUID":"${c.parent}"}`, uuid);
}

function extras(c: Ctx): void {
  const { rng } = c;
  if (rng.chance(0.15)) {
    const uuid = rng.uuid();
    push(c, `{${head(c)},"attachment":{"type":"skill_listing","content":"${c.pool.text(rng, 4000)}","isInitial":true,"skillCount":13},"type":"attachment",${envelope(c, uuid)}}`, uuid);
  }
  if (!c.agentId && rng.chance(0.3)) {
    const uuid = rng.uuid();
    push(c, `{${head(c)},"type":"system","subtype":"turn_duration","durationMs":${rng.int(500, 90_000)},"messageCount":${rng.int(2, 80)},${envelope(c, uuid)},"isMeta":false}`, uuid);
  }
}

function compaction(c: Ctx): void {
  const { rng } = c;
  const uuid = rng.uuid();
  c.parent = null;
  push(c, `{"parentUuid":null,"logicalParentUuid":"${rng.uuid()}","isSidechain":false,"type":"system","subtype":"compact_boundary","content":"Conversation compacted",${envelope(c, uuid)},"isMeta":false,"level":"info","compactMetadata":{"trigger":"auto","preTokens":${rng.int(150_000, 190_000)},"postTokens":${rng.int(2000, 9000)},"durationMs":${rng.int(1000, 9000)}}}`, uuid);
  const summary = rng.uuid();
  push(c, `{${head(c)},"type":"user","message":{"role":"user","content":"This session is being continued from a previous conversation. ${c.pool.text(rng, 4000)}"},${envelope(c, summary)},"isCompactSummary":true,"isVisibleInTranscriptOnly":true}`, summary);
  c.truth.compactions++;
}

function apiError(c: Ctx): void {
  const uuid = c.rng.uuid();
  push(c, `{${head(c)},"message":{"id":"${c.rng.uuid()}","type":"message","role":"assistant","model":"<synthetic>","content":[{"type":"text","text":"API Error: Request rejected (429)"}],"stop_reason":"stop_sequence","stop_sequence":"","usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}},"type":"assistant",${envelope(c, uuid)},"isApiErrorMessage":true,"apiErrorStatus":429,"error":"rate_limit"}`, uuid);
  c.truth.api_errors++;
}

/** One turn: a prompt, then request/tool cycles (fewer once `budget` bytes are written) ending in a final text response. */
function turn(c: Ctx, maxCycles: number, budget: number): void {
  const promptId = c.rng.uuid();
  if (!c.agentId) push(c, `{"type":"queue-operation","operation":"enqueue","timestamp":"${new Date(c.ts).toISOString()}","sessionId":"${c.sessionId}","content":"x"}`, null);
  prompt(c, promptId);
  extras(c);
  const cycles = c.rng.int(0, maxCycles);
  for (let i = 0; i < cycles && c.bytes < budget; i++) {
    for (const id of response(c, false)) toolResult(c, id, promptId);
    extras(c);
  }
  if (!c.agentId && c.rng.chance(0.02)) apiError(c);
  else response(c, true);
}

/**
 * Generates one session of about `targetBytes` (main file plus subagent
 * files) under a project directory; `subagents` is how many subagent files
 * to add. Returns the files and the truth.
 */
export function generateSession(rng: Rng, pool: TextPool, cwd: string, targetBytes: number, subagents: number, startMs: number): { files: GeneratedFile[]; truth: SessionTruth } {
  const sessionId = rng.uuid();
  const branch = rng.chance(0.2) ? 'HEAD' : rng.pick(['main', 'feature/x', 'fix/bug-12']);
  const truth: SessionTruth = {
    session_id: sessionId, requests: 0, input: 0, output: 0, cache_read: 0, cache_write: 0, cache_write_1h: 0,
    tool_calls: 0, prompts: 0, compactions: 0, api_errors: 0, agents: {}, cwd, git_branch: branch === 'HEAD' ? null : branch,
  };
  const main: Ctx = { rng, pool, sessionId, cwd, branch, ts: startMs, parent: null, agentId: null, truth, out: [], bytes: 0 };
  const files: GeneratedFile[] = [];
  const subBudget = subagents > 0 ? Math.floor(targetBytes * 0.25) : 0;
  for (let i = 0; i < subagents; i++) {
    const agentId = `a${rng.id(16).toLowerCase()}`;
    const sub: Ctx = { ...main, agentId, out: [], bytes: 0, parent: null };
    while (sub.bytes < subBudget / subagents) turn(sub, 4, subBudget / subagents);
    files.push({ relPath: `${sessionId}/subagents/agent-${agentId}.jsonl`, text: `${sub.out.join('\n')}\n` });
    files.push({
      relPath: `${sessionId}/subagents/agent-${agentId}.meta.json`,
      text: JSON.stringify({ agentType: 'general-purpose', description: 'generated', toolUseId: `toolu_01${rng.id(22)}`, spawnDepth: 1 }),
    });
  }
  while (main.bytes < targetBytes - subBudget) {
    turn(main, 8, targetBytes - subBudget);
    if (main.bytes > 400_000 && rng.chance(0.03)) compaction(main);
  }
  if (rng.chance(0.3)) main.out.push(`{"type":"ai-title","aiTitle":"Generated session ${rng.id(6)}","sessionId":"${sessionId}"}`);
  main.out.push(`{"type":"last-prompt","lastPrompt":"x","leafUuid":"${main.parent}","sessionId":"${sessionId}"}`);
  files.unshift({ relPath: `${sessionId}.jsonl`, text: `${main.out.join('\n')}\n` });
  return { files, truth };
}
