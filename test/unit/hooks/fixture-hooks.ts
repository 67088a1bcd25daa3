/**
 * Reads the captured Claude Code 2.1.197 hook calls kept in ./fixtures, and
 * hand-made payloads for hook events the capture has no sample of (shaped
 * after the fields observed in the reference field lists).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory of the copied fixtures. */
export const HOOK_FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** One captured hook call. */
export interface CapturedHook {
  /** When the capture received it, ms since epoch. */
  firedAt: number;
  via: 'command' | 'http';
  eventName: string;
  payload: Record<string, unknown>;
  /** The payload as JSON text (what a forwarder reads on stdin). */
  body: string;
}

/** Scenario folder names, sorted. */
export function hookScenarios(): string[] {
  return readdirSync(HOOK_FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** The captured calls of one scenario, in capture order. */
export function loadCapturedHooks(scenario: string, via: 'command' | 'http'): CapturedHook[] {
  const file = join(HOOK_FIXTURES_DIR, scenario, via === 'command' ? 'hooks.jsonl' : 'hooks-http.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const row = JSON.parse(line) as { received_at: string; payload: Record<string, unknown> };
      return {
        firedAt: Date.parse(row.received_at),
        via,
        eventName: String(row.payload.hook_event_name),
        payload: row.payload,
        body: JSON.stringify(row.payload),
      };
    });
}

/** The session the b-tools-http-json capture ran (used by hand-made payloads below). */
export const B_TOOLS_SESSION = 'b645c7a3-b810-40ee-88aa-90bc5598a479';

/** Common fields of a payload for `session` in the b-tools-http-json project. */
export function commonFields(session: string, promptId?: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    session_id: session,
    transcript_path: `/home/user/runs/b-tools-http-json/home/.claude/projects/-home-user-runs-b-tools-http-json-proj/${session}.jsonl`,
    cwd: '/home/user/runs/b-tools-http-json/proj',
  };
  if (promptId !== undefined) fields.prompt_id = promptId;
  return fields;
}

/** A PermissionRequest like the one observed in the interactive capture (no tool_use_id). */
export function permissionRequestPayload(session: string, promptId: string): Record<string, unknown> {
  return {
    ...commonFields(session, promptId),
    permission_mode: 'default',
    effort: { level: 'high' },
    hook_event_name: 'PermissionRequest',
    tool_name: 'Write',
    tool_input: { file_path: '/home/user/runs/b-tools-http-json/proj/notes.txt', content: 'line one\nline two\n' },
    permission_suggestions: [{ type: 'setMode', mode: 'acceptEdits', destination: 'session' }],
  };
}

/** A Notification of one type, as observed (`idle_prompt`: "Claude is waiting for your input"). */
export function notificationPayload(session: string, promptId: string, type: string | undefined, message: string): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...commonFields(session, promptId), hook_event_name: 'Notification', message };
  if (type !== undefined) payload.notification_type = type;
  return payload;
}
