/**
 * API failures with the real CLI: a 500 that the CLI retries into a success
 * (no failure from the user's view, one request with usage), and a 429 on
 * every attempt (the CLI gives up: one API error, no usage, exit 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRun, expectSessions, facts } from './harness/assertions.js';
import { SCENARIO_TIMEOUT_MS, startScenario, type Scenario } from './harness/scenario.js';
import { FATAL_PROMPT, FLAKY_PROMPT, errorScripts } from './harness/scripts.js';

const JSON_OUT = ['--output-format', 'json'];
let scenario: Scenario;
let flaky = '';

beforeAll(async () => {
  scenario = await startScenario({ label: 'api-errors', scripts: errorScripts() });
});

afterAll(async () => {
  await scenario?.close();
});

describe.sequential('API errors', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('a 500 then a success: retried, counted once, no API error', async () => {
    flaky = expectRun(await scenario.claude(['-p', FLAKY_PROMPT, ...JSON_OUT]));
    expect(scenario.mock.requests.filter((r) => r.sessionId === flaky).map((r) => r.status)).toEqual([500, 200]);
    await expectSessions(scenario, [{ label: '500 then success', sessionId: flaky, facts: facts(scenario.sandbox.project) }]);
  });

  it('a fatal 429: the CLI gives up after its retries; one API error, no usage, the session still ends', async () => {
    const run = await scenario.claude(['-p', FATAL_PROMPT, ...JSON_OUT]);
    const fatal = expectRun(run, 1);
    expect(run.result!.is_error).toBe(true);
    expect(run.result!.api_error_status).toBe(429);
    // CLAUDE_CODE_MAX_RETRIES=2: three attempts, all refused.
    expect(scenario.mock.requests.filter((r) => r.sessionId === fatal).map((r) => r.status)).toEqual([429, 429, 429]);
    await expectSessions(scenario, [
      { label: '500 then success', sessionId: flaky, facts: facts(scenario.sandbox.project) },
      { label: 'fatal 429', sessionId: fatal, facts: facts(scenario.sandbox.project, { api_errors: 1 }) },
    ]);
  });
});
