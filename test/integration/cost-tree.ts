/**
 * Generates a Claude Code `projects/` tree for the cost comparison: several
 * projects and sessions, a subagent file, responses written as several lines
 * (the first with a placeholder output count, as streaming leaves them),
 * 1-hour cache writes, one legacy long-context request, current models, an
 * unknown model and a synthetic API-error line. Deterministic (seeded), and
 * it returns the ground truth: every request's final usage per session.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../support/seeded-random.js';

/** Final usage of one request, as the API returned it. */
export interface TrueRequest {
  model: string;
  input: number;
  output: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
}

/** The generated tree and its ground truth. */
export interface GeneratedTree {
  /** The Claude config dir (holds `projects/`). */
  root: string;
  /** Requests per session id. */
  sessions: Map<string, TrueRequest[]>;
  /** The one long-context request (Sonnet 4.5, prompt over 200k tokens), by session. */
  longContext: { session: string; request: TrueRequest };
  /** Requests whose model is in no price table, by session. */
  unknownModel: { session: string; model: string; count: number };
}

/** The hand-picked long-context request: 210,003 prompt tokens, every class under 200k on its own. */
export const LONG_REQUEST: TrueRequest = {
  model: 'claude-sonnet-4-5-20250929',
  input: 3,
  output: 2_000,
  cache_read: 180_000,
  cache_write_5m: 20_000,
  cache_write_1h: 10_000,
};

const VERSION = '2.1.197';
const BASE_TS = Date.parse('2026-09-01T10:00:00.000Z');

/** Writes the tree under `root/projects`. */
export function generateTree(root: string, seed = 20260901): GeneratedTree {
  const rand = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const sessions = new Map<string, TrueRequest[]>();
  let clock = BASE_TS;
  let serial = 0;
  const id = (prefix: string): string => `${prefix}${String(++serial).padStart(6, '0')}${Math.floor(rand() * 1e9).toString(36)}`;

  const randomRequest = (model: string): TrueRequest => ({
    model,
    input: int(1, 40),
    output: int(5, 4_000),
    cache_read: int(0, 90_000),
    cache_write_5m: int(0, 12_000),
    cache_write_1h: rand() < 0.35 ? int(1, 8_000) : 0,
  });

  const writeSession = (project: string, sessionId: string, plan: { model: string; count: number; fixed?: TrueRequest[] }[], sub?: { agentId: string; model: string; count: number }): void => {
    const dir = join(root, 'projects', project);
    mkdirSync(dir, { recursive: true });
    const cwd = `/home/u/${project.replace(/^-home-u-/, '')}`;
    const lines: string[] = [];
    const truth: TrueRequest[] = [];
    for (const step of plan) {
      const requests = step.fixed ?? Array.from({ length: step.count }, () => randomRequest(step.model));
      for (const request of requests) {
        lines.push(userLine(sessionId, cwd, id('u-'), (clock += 1_000)));
        lines.push(...assistantLines(sessionId, cwd, request, id('msg_'), id('req_'), id('a-'), (clock += 2_000), rand, false));
        truth.push(request);
      }
    }
    if (sub) {
      const subDir = join(dir, sessionId, 'subagents');
      mkdirSync(subDir, { recursive: true });
      const subLines: string[] = [];
      for (let i = 0; i < sub.count; i++) {
        const request = randomRequest(sub.model);
        subLines.push(...assistantLines(sessionId, cwd, request, id('msg_'), id('req_'), id('a-'), (clock += 1_500), rand, true, sub.agentId));
        truth.push(request);
      }
      writeFileSync(join(subDir, `agent-${sub.agentId}.jsonl`), `${subLines.join('\n')}\n`);
      writeFileSync(join(subDir, `agent-${sub.agentId}.meta.json`), JSON.stringify({ agentType: 'general-purpose' }));
    }
    writeFileSync(join(dir, `${sessionId}.jsonl`), `${lines.join('\n')}\n`);
    sessions.set(sessionId, truth);
  };

  const s1 = '1e0c6a51-0000-4000-8000-000000000001';
  const s2 = '1e0c6a51-0000-4000-8000-000000000002';
  const s3 = '1e0c6a51-0000-4000-8000-000000000003';
  const s4 = '1e0c6a51-0000-4000-8000-000000000004';
  writeSession('-home-u-alpha', s1, [{ model: 'claude-opus-4-5-20251101', count: 12 }], { agentId: 'a1b2c3d4e5f60718', model: 'claude-haiku-4-5-20251001', count: 4 });
  writeSession('-home-u-alpha', s2, [
    { model: 'claude-sonnet-4-5-20250929', count: 3 },
    { model: LONG_REQUEST.model, count: 1, fixed: [LONG_REQUEST] },
    { model: 'claude-sonnet-4-5-20250929', count: 2 },
  ]);
  writeSession('-home-u-beta', s3, [
    { model: 'claude-opus-4-8', count: 6 },
    { model: 'claude-sonnet-4-6', count: 5 },
    { model: 'claude-haiku-4-5-20251001', count: 3 },
  ]);
  writeSession('-home-u-beta', s4, [
    { model: 'claude-opus-4-8', count: 1 },
    { model: 'claude-nonexistent-7', count: 2 },
  ]);
  // A synthetic API-error message: not an API request, no tokens, in neither tool's totals.
  const s4File = join(root, 'projects', '-home-u-beta', `${s4}.jsonl`);
  writeFileSync(s4File, `${syntheticErrorLine(s4, '/home/u/beta', id('a-'), (clock += 1_000))}\n`, { flag: 'a' });

  return {
    root,
    sessions,
    longContext: { session: s2, request: LONG_REQUEST },
    unknownModel: { session: s4, model: 'claude-nonexistent-7', count: 2 },
  };
}

function userLine(sessionId: string, cwd: string, uuid: string, ts: number): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd,
    sessionId,
    version: VERSION,
    gitBranch: 'main',
    type: 'user',
    message: { role: 'user', content: 'continue' },
    uuid,
    timestamp: new Date(ts).toISOString(),
    promptId: `p-${uuid}`,
  });
}

/** One response as 1–3 content-block lines; with several, the first may carry a placeholder output count. */
function assistantLines(
  sessionId: string,
  cwd: string,
  r: TrueRequest,
  messageId: string,
  requestId: string,
  uuidBase: string,
  ts: number,
  rand: () => number,
  sidechain: boolean,
  agentId?: string,
): string[] {
  const blocks = 1 + Math.floor(rand() * 3);
  const out: string[] = [];
  for (let b = 0; b < blocks; b++) {
    const placeholder = blocks > 1 && b === 0 && rand() < 0.6;
    out.push(
      JSON.stringify({
        parentUuid: null,
        isSidechain: sidechain,
        ...(agentId ? { agentId } : {}),
        userType: 'external',
        cwd,
        sessionId,
        version: VERSION,
        gitBranch: 'main',
        message: {
          id: messageId,
          type: 'message',
          role: 'assistant',
          model: r.model,
          content: [{ type: 'text', text: `block ${b}` }],
          stop_reason: b === blocks - 1 ? 'end_turn' : null,
          stop_sequence: null,
          usage: {
            input_tokens: r.input,
            cache_creation_input_tokens: r.cache_write_5m + r.cache_write_1h,
            cache_read_input_tokens: r.cache_read,
            output_tokens: placeholder ? 1 : r.output,
            service_tier: 'standard',
            cache_creation: { ephemeral_5m_input_tokens: r.cache_write_5m, ephemeral_1h_input_tokens: r.cache_write_1h },
          },
        },
        requestId,
        type: 'assistant',
        uuid: `${uuidBase}-${b}`,
        timestamp: new Date(ts + b).toISOString(),
      }),
    );
  }
  return out;
}

function syntheticErrorLine(sessionId: string, cwd: string, uuid: string, ts: number): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd,
    sessionId,
    version: VERSION,
    gitBranch: 'main',
    type: 'assistant',
    uuid,
    timestamp: new Date(ts).toISOString(),
    isApiErrorMessage: true,
    message: {
      id: `msg_synthetic_${uuid}`,
      type: 'message',
      role: 'assistant',
      model: '<synthetic>',
      content: [{ type: 'text', text: 'API Error: 500' }],
      stop_reason: 'stop_sequence',
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  });
}
