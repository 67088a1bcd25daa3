/**
 * Optional machine-readable log of what each scenario expected and what
 * dossier recorded, one JSON line per checked session, written only when
 * `DOSSIER_E2E_REPORT` names a file. `docs/e2e.md` is written from it.
 */
import { appendFileSync } from 'node:fs';
import type { SessionRecord } from '../../../schema/index.js';
import type { ExpectedSession, Mismatch } from './expected.js';

/** One checked session. */
export interface ReportRow {
  scenario: string;
  session: string;
  expected: ExpectedSession;
  record: SessionRecord | null;
  mismatches: Mismatch[];
  waitedMs: number;
}

/** Appends `row` to the report file when one is configured; a write failure never fails a test. */
export function appendReportRow(row: ReportRow): void {
  const file = process.env.DOSSIER_E2E_REPORT;
  if (!file) return;
  const recorded: Record<string, unknown> = {};
  for (const field of Object.keys(row.expected)) recorded[field] = row.record === null ? null : row.record[field as keyof SessionRecord];
  const line = {
    scenario: row.scenario,
    session: row.session,
    waited_ms: row.waitedMs,
    expected: row.expected,
    recorded,
    mismatched_fields: row.mismatches.map((m) => m.field),
    sources: row.record === null ? null : { transcript: row.record.n_transcript_events, otel: row.record.n_otel_events, hooks: row.record.n_hook_events },
    provenance: row.record?.provenance ?? null,
  };
  try {
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  } catch {
    // The report is a convenience; the assertions are the test.
  }
}
