/**
 * One session lived through several CLI runs: `--resume <id>`,
 * `--continue`, a `--fork-session` that makes a new session from it, and a
 * manual `/compact`. After each run the records must say what happened:
 * revivals, prompts, the fork link, the compaction, and tokens that follow
 * the mock's per-session record (a fork's copied history is not its usage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRun, expectSessions, facts } from './harness/assertions.js';
import { SCENARIO_TIMEOUT_MS, startScenario, type Scenario } from './harness/scenario.js';

const JSON_OUT = ['--output-format', 'json'];
let scenario: Scenario;
let original = '';
let fork = '';

beforeAll(async () => {
  scenario = await startScenario({ label: 'revival' });
});

afterAll(async () => {
  await scenario?.close();
});

describe.sequential('resume, continue, fork and compact one session', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('a first run, then --resume <id>: same session, one revival', async () => {
    original = expectRun(await scenario.claude(['-p', 'First turn of a session that will be resumed', ...JSON_OUT]));
    const resumed = expectRun(await scenario.claude(['-p', 'Second turn, resumed by id', '--resume', original, ...JSON_OUT]));
    expect(resumed).toBe(original);
    await expectSessions(scenario, [{ label: 'resumed', sessionId: original, facts: facts(scenario.sandbox.project, { prompts: 2, revivals: 1 }) }]);
  });

  it('--continue: same session, a second revival (its throw-away start-up id stays hidden)', async () => {
    const continued = expectRun(await scenario.claude(['-p', 'Third turn, by --continue', '--continue', ...JSON_OUT]));
    expect(continued).toBe(original);
    await expectSessions(scenario, [{ label: 'continued', sessionId: original, facts: facts(scenario.sandbox.project, { prompts: 3, revivals: 2 }) }]);
  });

  it('--resume <id> --fork-session: a new session linked to the old one, which is not revived', async () => {
    fork = expectRun(await scenario.claude(['-p', 'Fourth turn, in a fork', '--resume', original, '--fork-session', ...JSON_OUT]));
    expect(fork).not.toBe(original);
    await expectSessions(scenario, [
      { label: 'original after fork', sessionId: original, facts: facts(scenario.sandbox.project, { prompts: 3, revivals: 2 }) },
      { label: 'fork', sessionId: fork, facts: facts(scenario.sandbox.project, { prompts: 1, forked_from: original }) },
    ]);
  });

  it('a manual /compact (via --resume): one compaction, its summary request counted, a third revival', async () => {
    const compacted = expectRun(await scenario.claude(['-p', '/compact', '--resume', original, ...JSON_OUT]));
    expect(compacted).toBe(original);
    expect(scenario.mock.requests.filter((r) => r.sessionId === original && r.purpose === 'compaction')).toHaveLength(1);
    await expectSessions(scenario, [
      { label: 'compacted', sessionId: original, facts: facts(scenario.sandbox.project, { prompts: 4, revivals: 3, compactions: 1 }) },
      { label: 'fork after compact', sessionId: fork, facts: facts(scenario.sandbox.project, { prompts: 1, forked_from: original }) },
    ]);
  });
});
