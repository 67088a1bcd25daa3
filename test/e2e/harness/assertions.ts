/**
 * The assertions every scenario makes: each session's record equals what
 * the mock served and the scenario did, every source actually contributed,
 * and dossier shows no session the scenario did not make.
 */
import { expect } from 'vitest';
import type { SessionRecord, StoredEvent } from '../../../schema/index.js';
import { describeRun, type ClaudeRun } from '../../support/claude-cli.js';
import { overflows, sessionOracle } from '../../support/mock-anthropic-oracle.js';
import { expectedSession, formatMismatches, type ExpectedSession, type ScenarioFacts } from './expected.js';
import { appendReportRow } from './report.js';
import type { Scenario } from './scenario.js';
import { settle } from './settle.js';

/** Facts of a one-prompt `-p` session that ended normally outside git; override what differs. */
export function facts(cwd: string, overrides: Partial<ScenarioFacts> = {}): ScenarioFacts {
  return {
    prompts: 1,
    revivals: 0,
    forked_from: null,
    compactions: 0,
    api_errors: 0,
    tool_errors: 0,
    subagents: 0,
    cwd,
    git_branch: null,
    local_git_dir: null,
    github_repo: null,
    status: 'ended',
    end_reason: 'other',
    ...overrides,
  };
}

/** Asserts the CLI run finished by itself with the expected exit code and printed a result. */
export function expectRun(run: ClaudeRun, exitCode = 0): string {
  expect(run.timedOut, describeRun(run)).toBe(false);
  expect(run.exitCode, describeRun(run)).toBe(exitCode);
  expect(run.result, describeRun(run)).not.toBeNull();
  return run.result!.session_id;
}

/** One session to check: a label for messages, its id, and the scenario's facts about it. */
export interface SessionCheck {
  label: string;
  sessionId: string;
  facts: ScenarioFacts;
}

/** For each source, whether it must have reported on the session (true, the default) or must not have (false). */
export interface SourceExpectations {
  transcript?: boolean;
  otel?: boolean;
  hooks?: boolean;
}

/**
 * Waits for ingestion to settle and asserts every checked session against
 * the oracle, then that the visible sessions are exactly the checked ones.
 * Returns the records for scenario-specific assertions.
 */
export async function expectSessions(
  scenario: Scenario,
  checks: readonly SessionCheck[],
  sources: SourceExpectations = {},
): Promise<Map<string, SessionRecord>> {
  expect(overflows(scenario.mock.requests), 'the mock ran out of script steps: the scenario is broken').toEqual([]);
  const expected: ExpectedSession[] = checks.map((c) => expectedSession(sessionOracle(scenario.mock.requests, c.sessionId), c.facts));
  const settled = await settle(scenario.record, expected);
  const out = new Map<string, SessionRecord>();
  for (const [i, check] of checks.entries()) {
    const record = settled.records.get(check.sessionId) ?? null;
    const mismatches = settled.mismatches.get(check.sessionId) ?? [];
    appendReportRow({ scenario: scenario.label, session: check.label, expected: expected[i]!, record, mismatches, waitedMs: settled.waitedMs });
    expect(mismatches, formatMismatches(`${scenario.label}/${check.label}`, record, mismatches)).toEqual([]);
    const r = record!;
    const reported = { transcript: r.transcript_available && r.n_transcript_events > 0, otel: r.n_otel_events > 0, hooks: r.n_hook_events > 0 };
    const wanted = { transcript: sources.transcript ?? true, otel: sources.otel ?? true, hooks: sources.hooks ?? true };
    const counts = `transcript events ${r.n_transcript_events}, otel ${r.n_otel_events}, hooks ${r.n_hook_events}`;
    expect(reported, `${scenario.label}/${check.label}: which sources reported on the session (${counts})`).toEqual(wanted);
    out.set(check.sessionId, r);
  }
  const visible = (await scenario.allSessions()).filter((s) => !s.hidden).map((s) => s.session_id);
  expect(visible.sort(), `${scenario.label}: sessions dossier shows`).toEqual(checks.map((c) => c.sessionId).sort());
  return out;
}

/**
 * Asserts that OTel's `api.request` events of a session carry exactly the
 * request ids and usage the mock returned: proof that the OTLP door decoded
 * every export of the configured protocol, not only that transcripts filled
 * in. OTel reports no 1-hour cache split, so that class is not compared here.
 */
export function expectOtelRequestsMatchMock(scenario: Scenario, sessionId: string, events: readonly StoredEvent[]): void {
  type Classes = { input: number; output: number; cache_read: number; cache_write: number };
  const served = scenario.mock.requests.filter((r) => r.sessionId === sessionId && r.usage !== null);
  const expected: Record<string, Classes> = {};
  for (const r of served) {
    const u = r.usage!;
    expected[r.requestId] = { input: u.input_tokens, output: u.output_tokens, cache_read: u.cache_read_input_tokens, cache_write: u.cache_creation_input_tokens };
  }
  const actual: Record<string, Classes | null> = {};
  for (const e of events) {
    if (e.source !== 'otel' || e.kind !== 'api.request') continue;
    const u = e.attrs.usage;
    actual[e.attrs.request_id ?? `(no request id, seq ${e.seq})`] = u ? { input: u.input, output: u.output, cache_read: u.cache_read, cache_write: u.cache_write } : null;
  }
  expect(actual, `${scenario.label}: OTel api_request events vs the mock`).toEqual(expected);
}
