/**
 * The real Claude Code CLI through the real daemon: a plain turn, a tool
 * turn and a subagent. Each session's record must equal what the mock served
 * (tokens by class, requests, tool calls) and what the scenario did.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectRun, expectSessions, facts } from './harness/assertions.js';
import { prepareToolsProject } from './harness/projects.js';
import { SCENARIO_TIMEOUT_MS, startScenario, type Scenario } from './harness/scenario.js';
import { ALLOWED_TOOLS, TASK_PROMPT, TOOLS_PROMPT, subagentScripts, toolsScript } from './harness/scripts.js';

const JSON_OUT = ['--output-format', 'json'];
let scenario: Scenario | undefined;

afterEach(async () => {
  await scenario?.close();
  scenario = undefined;
});

describe.sequential('claude -p through dossier', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('records a plain turn exactly', async () => {
    scenario = await startScenario({ label: 'plain' });
    const id = expectRun(await scenario.claude(['-p', 'Say hello to the e2e harness', ...JSON_OUT]));
    const records = await expectSessions(scenario, [{ label: 'plain', sessionId: id, facts: facts(scenario.sandbox.project) }]);
    const r = records.get(id)!;
    expect(r.first_user_message).toBe('Say hello to the e2e harness');
    expect(r.model).toMatch(/^claude-opus-4-8/);
  });

  it('picks up transcripts when ~/.claude first appears after the daemon started (fresh machine)', async () => {
    scenario = await startScenario({ label: 'fresh-home', claudeDirBeforeDaemon: false });
    const id = expectRun(await scenario.claude(['-p', 'Say hello from a fresh machine', ...JSON_OUT]));
    await expectSessions(scenario, [{ label: 'fresh-home', sessionId: id, facts: facts(scenario.sandbox.project) }]);
  });

  it('records a tool turn: Bash, Read, Write, Edit, a failing Read and a cd', async () => {
    scenario = await startScenario({ label: 'tools' });
    const project = scenario.sandbox.project;
    prepareToolsProject(project);
    scenario.mock.setScripts([toolsScript(project)]);
    const id = expectRun(await scenario.claude(['-p', TOOLS_PROMPT, ...JSON_OUT, ...ALLOWED_TOOLS]));
    // The CLI ends the turn inside sub/ (the `cd` persists), and dossier's cwd is the latest one.
    await expectSessions(scenario, [{ label: 'tools', sessionId: id, facts: facts(join(project, 'sub'), { tool_errors: 1 }) }]);
  });

  it('records a subagent: its requests and tool calls count for the parent session', async () => {
    scenario = await startScenario({ label: 'subagent', scripts: subagentScripts() });
    const id = expectRun(await scenario.claude(['-p', TASK_PROMPT, ...JSON_OUT, ...ALLOWED_TOOLS]));
    const records = await expectSessions(scenario, [{ label: 'subagent', sessionId: id, facts: facts(scenario.sandbox.project, { subagents: 1 }) }]);
    const r = records.get(id)!;
    const agents = Object.keys(r.usage_by_agent).filter((a) => a !== 'main');
    expect(agents).toHaveLength(1);
    // The subagent's two requests are the ones whose prompt is the subagent's instruction.
    const subRequests = scenario.mock.requests.filter((q) => q.script === 'subagent');
    expect(r.usage_by_agent[agents[0]!]!.requests).toBe(subRequests.length);
    expect(r.usage_by_agent[agents[0]!]!.tokens_output).toBe(subRequests.reduce((n, q) => n + q.usage!.output_tokens, 0));
  });
});
