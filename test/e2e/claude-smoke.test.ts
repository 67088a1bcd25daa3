/**
 * The real Claude Code CLI against the mock, with no daemon: proves the
 * harness itself (binary found, offline env, mock's wire format) before any
 * dossier assertion depends on it.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeEnv, describeRun, listTranscripts, locateClaudeBinary, makeSandbox, runClaude, startRefusingProxy, type RefusingProxy, type Sandbox } from '../support/claude-cli.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { SCENARIO_TIMEOUT_MS } from './harness/scenario.js';
import { sessionOracle } from '../support/mock-anthropic-oracle.js';

let sandbox: Sandbox;
let mock: MockAnthropic;
let proxy: RefusingProxy;

beforeAll(async () => {
  sandbox = makeSandbox('smoke');
  mock = await startMockAnthropic();
  proxy = await startRefusingProxy();
});

afterAll(async () => {
  await mock?.close();
  await proxy?.close();
  sandbox?.remove();
});

describe('real Claude Code CLI against the mock (no daemon)', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('finds the native binary of the platform package', () => {
    expect(locateClaudeBinary()).toMatch(/claude(\.exe)?$/);
  });

  it('completes a plain turn offline; stdout and the transcript carry exactly the usage and ids the mock served', async () => {
    const run = await runClaude({
      cwd: sandbox.project,
      env: claudeEnv({ home: sandbox.home, mockUrl: mock.url, proxyUrl: proxy.url }),
      args: ['-p', 'Say hello to the e2e harness', '--output-format', 'json'],
    });
    expect(run.exitCode, describeRun(run)).toBe(0);
    const result = run.result;
    expect(result, describeRun(run)).not.toBeNull();
    expect(result!.is_error).toBe(false);
    const sessionId = result!.session_id;

    const served = mock.requests.filter((r) => r.sessionId === sessionId);
    expect(served).toHaveLength(1);
    expect(served[0]!.script).toBe('default');
    expect(result!.result).toBe('Hello! This is the mock Anthropic API answering: Say hello to the e2e harness');
    const oracle = sessionOracle(mock.requests, sessionId);
    expect(result!.usage).toMatchObject({
      input_tokens: oracle.tokens_input,
      output_tokens: oracle.tokens_output,
      cache_read_input_tokens: oracle.tokens_cache_read,
      cache_creation_input_tokens: oracle.tokens_cache_write,
    });

    const transcripts = listTranscripts(sandbox.home);
    const main = transcripts.find((p) => basename(p) === `${sessionId}.jsonl`);
    expect(main, `transcripts: ${transcripts.join(', ')}`).toBeDefined();
    const assistant = readFileSync(main!, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { type?: string; requestId?: string; cwd?: string; message?: { id?: string; usage?: { output_tokens: number } } })
      .filter((l) => l.type === 'assistant');
    expect(assistant.length).toBeGreaterThan(0);
    expect(new Set(assistant.map((l) => l.message?.id))).toEqual(new Set([served[0]!.messageId]));
    expect(new Set(assistant.map((l) => l.requestId))).toEqual(new Set([served[0]!.requestId]));
    expect(Math.max(...assistant.map((l) => l.message?.usage?.output_tokens ?? 0))).toBe(oracle.tokens_output);
    expect(assistant[0]!.cwd).toBe(sandbox.project);
  });
});
