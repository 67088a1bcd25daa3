/**
 * The same tool turn with `dossier setup claude` configuring each OTLP
 * protocol in turn: http/json, http/protobuf and grpc. Besides the record,
 * OTel's own per-request events must carry exactly the request ids and usage
 * the mock served, so a protocol whose decoding is broken cannot hide behind
 * the transcripts.
 */
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { expectOtelRequestsMatchMock, expectRun, expectSessions, facts } from './harness/assertions.js';
import { prepareToolsProject } from './harness/projects.js';
import { SCENARIO_TIMEOUT_MS, startScenario, type OtlpProtocol, type Scenario } from './harness/scenario.js';
import { ALLOWED_TOOLS, TOOLS_PROMPT, toolsScript } from './harness/scripts.js';

const PROTOCOLS: OtlpProtocol[] = ['http/json', 'http/protobuf', 'grpc'];
let scenario: Scenario | undefined;

afterEach(async () => {
  await scenario?.close();
  scenario = undefined;
});

describe.sequential('each OTLP protocol', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  for (const protocol of PROTOCOLS) {
    it(`records a tool turn exported over ${protocol}`, async () => {
      scenario = await startScenario({ label: `otlp-${protocol.replace('/', '-')}`, otlpProtocol: protocol });
      const project = scenario.sandbox.project;
      prepareToolsProject(project);
      scenario.mock.setScripts([toolsScript(project)]);
      const id = expectRun(await scenario.claude(['-p', TOOLS_PROMPT, '--output-format', 'json', ...ALLOWED_TOOLS]));
      await expectSessions(scenario, [{ label: protocol, sessionId: id, facts: facts(join(project, 'sub'), { tool_errors: 1 }) }]);
      expectOtelRequestsMatchMock(scenario, id, await scenario.events(id, { source: 'otel', kind: 'api.request' }));
    });
  }
});
