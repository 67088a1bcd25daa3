/**
 * The mock's scripts for each scenario, and the prompts that select them.
 * Each prompt carries its script's marker; tool inputs name absolute paths
 * inside the scenario's project, as the real model would.
 */
import { join } from 'node:path';
import { failStep, textStep, toolStep, type MockScript } from '../../support/mock-anthropic.js';

/** `--allowedTools` for every scenario that uses tools (as root the CLI refuses to skip permissions). */
export const ALLOWED_TOOLS = ['--allowedTools', 'Bash Read Write Edit Agent'];

/** Prompt of the tool scenario. */
export const TOOLS_PROMPT = 'TOOLDEMO: run echo hi, read hello.txt, cd into sub, read a missing file, write and edit notes.txt';

/**
 * Bash + Read in parallel, a `cd sub && pwd`, a Read of a missing file (a
 * failing tool), a Write and an Edit, then a final text: 6 requests, 6 tool
 * calls, 1 tool error. The CLI ends in `<project>/sub`.
 */
export function toolsScript(project: string): MockScript {
  return {
    name: 'tools',
    marker: 'TOOLDEMO:',
    steps: [
      toolStep(
        [
          { name: 'Bash', input: { command: 'echo hi', description: 'Print hi' } },
          { name: 'Read', input: { file_path: join(project, 'hello.txt') } },
        ],
        "I'll run a command and read the file.",
      ),
      toolStep([{ name: 'Bash', input: { command: 'cd sub && pwd', description: 'Change into sub directory' } }]),
      toolStep([{ name: 'Read', input: { file_path: join(project, 'missing.txt') } }], 'Now reading a file that does not exist.'),
      toolStep([{ name: 'Write', input: { file_path: join(project, 'notes.txt'), content: 'line one\nline two\n' } }], 'Writing a new file.'),
      toolStep([{ name: 'Edit', input: { file_path: join(project, 'notes.txt'), old_string: 'line two', new_string: 'line two (edited)\nline three', replace_all: false } }]),
      textStep('Done: echo printed hi, hello.txt was read, cwd is sub, missing.txt does not exist, notes.txt was written and edited.'),
    ],
  };
}

/** Prompt of the subagent scenario. */
export const TASK_PROMPT = 'TASKDEMO: delegate an echo to a subagent';

/** The main agent starts a general-purpose subagent (Agent tool) that runs one Bash command: 4 requests, 2 tool calls. */
export function subagentScripts(): MockScript[] {
  return [
    {
      name: 'task',
      marker: 'TASKDEMO:',
      steps: [
        toolStep(
          [{ name: 'Agent', input: { description: 'Echo from a subagent', prompt: 'SUBAGENTDEMO: run `echo from-subagent` with Bash and report the output', subagent_type: 'general-purpose' } }],
          'Delegating to a subagent.',
        ),
        textStep('The subagent printed from-subagent.'),
      ],
    },
    {
      name: 'subagent',
      marker: 'SUBAGENTDEMO:',
      steps: [toolStep([{ name: 'Bash', input: { command: 'echo from-subagent', description: 'Echo' } }], 'Running echo.'), textStep('from-subagent')],
    },
  ];
}

/** Prompt answered once with a 500, then successfully on the CLI's retry. */
export const FLAKY_PROMPT = 'FLAKYDEMO: answer after one server error';
/** Prompt answered with 429 on every attempt, so the CLI gives up. */
export const FATAL_PROMPT = 'FATALDEMO: always rate limited';

/** The 500-then-success and the always-429 scripts. */
export function errorScripts(): MockScript[] {
  return [
    { name: 'flaky', marker: 'FLAKYDEMO:', steps: [failStep({ status: 500, type: 'api_error', message: 'Internal server error (mock)' }, 1, textStep('Recovered after a server error.'))] },
    {
      name: 'fatal',
      marker: 'FATALDEMO:',
      steps: [failStep({ status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit (mock)', retryAfterSeconds: 0 }, 'always')],
    },
  ];
}

/** Prompt of the session that commits in a git repo. */
export const COMMIT_PROMPT = 'COMMITDEMO: add a file and commit it';

/** Writes `feature.txt` (3 lines), then commits it with Bash: 3 requests, 2 tool calls. */
export function commitScript(repo: string): MockScript {
  return {
    name: 'commit',
    marker: 'COMMITDEMO:',
    steps: [
      toolStep([{ name: 'Write', input: { file_path: join(repo, 'feature.txt'), content: 'alpha\nbeta\ngamma\n' } }], 'Adding the file.'),
      toolStep([{ name: 'Bash', input: { command: 'git add feature.txt && git commit -q -m "Add feature.txt"', description: 'Commit the file' } }]),
      textStep('Committed feature.txt on the branch.'),
    ],
  };
}
