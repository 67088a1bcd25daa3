/**
 * Two sessions at once: one in a git repository on a named branch that
 * makes a commit, one running tools in a plain directory. Nothing of one may
 * be attributed to the other, and the first must carry its repo and branch.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectRun, expectSessions, facts } from './harness/assertions.js';
import { commitSubjects, prepareGitRepo, prepareToolsProject } from './harness/projects.js';
import { SCENARIO_TIMEOUT_MS, startScenario, type Scenario } from './harness/scenario.js';
import { ALLOWED_TOOLS, COMMIT_PROMPT, TOOLS_PROMPT, commitScript, toolsScript } from './harness/scripts.js';

const JSON_OUT = ['--output-format', 'json'];
let scenario: Scenario | undefined;

afterEach(async () => {
  await scenario?.close();
  scenario = undefined;
});

describe('two sessions at once', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('keeps their usage apart and gives the git one its repo and branch', async () => {
    scenario = await startScenario({ label: 'concurrent' });
    const repo = prepareGitRepo(scenario.sandbox.dir('repo'), 'feature/e2e-commit', 'acme/widgets');
    const plain = scenario.sandbox.project;
    prepareToolsProject(plain);
    scenario.mock.setScripts([commitScript(repo.dir), toolsScript(plain)]);

    const [gitRun, toolsRun] = await Promise.all([
      scenario.claude(['-p', COMMIT_PROMPT, ...JSON_OUT, ...ALLOWED_TOOLS], { cwd: repo.dir }),
      scenario.claude(['-p', TOOLS_PROMPT, ...JSON_OUT, ...ALLOWED_TOOLS]),
    ]);
    const gitId = expectRun(gitRun);
    const toolsId = expectRun(toolsRun);
    expect(gitId).not.toBe(toolsId);
    // The scenario did what it says: the agent's commit is on the branch.
    expect(commitSubjects(repo.dir)[0]).toBe('Add feature.txt');

    await expectSessions(scenario, [
      {
        label: 'git commit',
        sessionId: gitId,
        facts: facts(repo.dir, { git_branch: repo.branch, local_git_dir: repo.gitDir, github_repo: repo.githubRepo }),
      },
      { label: 'tools alongside', sessionId: toolsId, facts: facts(join(plain, 'sub'), { tool_errors: 1 }) },
    ]);
  });
});
