/**
 * Scripts of the mock Messages API: what it answers to each request. A
 * script is picked by a marker in the turn's user prompt (a subagent's prompt
 * is its own turn, so it gets its own script), and the step by how many
 * assistant messages of that turn the request already carries. Compaction
 * summary requests get a summary; prompts no script claims get a plain text.
 */
import type { RequestShape } from './mock-anthropic-request.js';
import type { WireUsage } from './mock-anthropic-sse.js';

/** A tool call the mock asks the CLI to make. */
export interface MockToolCall {
  name: string;
  input: Record<string, unknown>;
}

/** An HTTP error the mock answers with, in the API's error format. */
export interface MockError {
  status: number;
  /** The API's error type, e.g. `api_error`, `rate_limit_error`, `overloaded_error`. */
  type: string;
  message: string;
  /** Sent as `retry-after` (seconds) when set. */
  retryAfterSeconds?: number;
}

/** A successful answer: text only (ends the turn) or tool calls (with optional leading text). */
export type MockAnswer = { kind: 'text'; text: string } | { kind: 'tools'; text?: string; tools: MockToolCall[] };

/** One step of a turn: an answer, or errors first (`times` attempts, or every attempt) and then an answer. */
export type MockStep = MockAnswer | { kind: 'fail'; error: MockError; times: number | 'always'; then?: MockAnswer };

/** A scripted turn: the first script whose marker occurs in the prompt answers it. */
export interface MockScript {
  name: string;
  marker: string;
  steps: MockStep[];
}

/** What the mock decided for one request. */
export interface MockDecision {
  /** Script name, `compaction`, or `default`. */
  script: string;
  step: number;
  /** True when the script had no step left; a test should treat this as a broken scenario. */
  overflow: boolean;
  outcome: { kind: 'answer'; answer: MockAnswer } | { kind: 'error'; error: MockError };
}

/** Text reply step. */
export function textStep(text: string): MockAnswer {
  return { kind: 'text', text };
}

/** Tool-calls step; the CLI runs them and sends the results in the next request. */
export function toolStep(tools: MockToolCall[], text?: string): MockAnswer {
  return text === undefined ? { kind: 'tools', tools } : { kind: 'tools', text, tools };
}

/** A step that fails `times` times (or always) with `error`, then gives `then`. */
export function failStep(error: MockError, times: number | 'always', then?: MockAnswer): MockStep {
  return then === undefined ? { kind: 'fail', error, times } : { kind: 'fail', error, times, then };
}

const COMPACTION_SUMMARY =
  '<analysis>The user ran a scripted end-to-end scenario against a mock API.</analysis>\n' +
  '<summary>1. Primary Request and Intent: exercise dossier end to end.\n2. Pending Tasks: none.</summary>';

/**
 * Chooses the answer for a request. `attempt` is 1 for the first time this
 * exact step of this session was asked, 2 for its first retry, and so on.
 */
export function decide(shape: RequestShape, scripts: readonly MockScript[], attempt: number): MockDecision {
  if (shape.purpose === 'compaction') {
    return { script: 'compaction', step: 0, overflow: false, outcome: { kind: 'answer', answer: textStep(COMPACTION_SUMMARY) } };
  }
  const script = scripts.find((s) => shape.promptText.includes(s.marker));
  if (!script) {
    const answer = textStep(`Hello! This is the mock Anthropic API answering: ${shape.promptText.slice(0, 80)}`);
    return { script: 'default', step: shape.stepsDone, overflow: false, outcome: { kind: 'answer', answer } };
  }
  const step = script.steps[shape.stepsDone];
  if (step === undefined) {
    const answer = textStep(`(mock) script ${script.name} has no step ${shape.stepsDone}.`);
    return { script: script.name, step: shape.stepsDone, overflow: true, outcome: { kind: 'answer', answer } };
  }
  if (step.kind !== 'fail') return { script: script.name, step: shape.stepsDone, overflow: false, outcome: { kind: 'answer', answer: step } };
  const failing = step.times === 'always' || attempt <= step.times;
  if (failing) return { script: script.name, step: shape.stepsDone, overflow: false, outcome: { kind: 'error', error: step.error } };
  const answer = step.then ?? textStep('Recovered after an error.');
  return { script: script.name, step: shape.stepsDone, overflow: false, outcome: { kind: 'answer', answer } };
}

/** Rough token count of a text, as a stand-in for a tokenizer. */
function tokensOf(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * The usage the mock reports for an answer. Deterministic from the request
 * size and the answer, shaped like real traffic (a large cache write on a
 * turn's first request, cache reads afterwards), and with a 1-hour cache
 * write part on every third request so every token class is exercised.
 */
export function usageFor(seq: number, bodyBytes: number, shape: RequestShape, answer: MockAnswer): WireUsage {
  const prompt = Math.max(40, Math.round(bodyBytes / 4));
  const input = 2 + (seq % 7);
  const cacheRead = shape.nMessages > 2 ? Math.round(prompt * 0.85) : 0;
  const cacheWrite = Math.max(0, prompt - cacheRead - input);
  const oneHour = seq % 3 === 0 ? Math.floor(cacheWrite / 4) : 0;
  let output = answer.kind === 'text' ? tokensOf(answer.text) : tokensOf(answer.text ?? '');
  if (answer.kind === 'tools') for (const t of answer.tools) output += 12 + tokensOf(JSON.stringify(t.input));
  return {
    input_tokens: input,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite - oneHour, ephemeral_1h_input_tokens: oneHour },
    output_tokens: output,
    service_tier: 'standard',
  };
}
