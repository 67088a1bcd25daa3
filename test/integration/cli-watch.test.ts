/**
 * `dossier watch` end to end: JSON lines when piped (one WatchEvent per
 * line, resumable with --cursor), a live table that fits the terminal on a
 * TTY, and a bad filter refused with exit 1.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../daemon/cli/main.js';
import type { WatchEvent } from '../../schema/index.js';
import { recordingIo } from '../unit/daemon/cli/fake-daemon.js';
import { startLiveDaemon, type LiveDaemon } from './query-support.js';
import { apiRequest, sessionStarted } from './wire-events.js';

const T0 = Date.UTC(2026, 10, 21, 11, 0, 0);
const sid = (n: number): string => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-0000000cafe0`;
let daemon: LiveDaemon;

beforeEach(async () => {
  daemon = await startLiveDaemon(T0 + 60_000);
});

afterEach(async () => {
  await daemon.close();
});

/** Waits until `check` holds, polling the recorded output. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const lines = (text: string): WatchEvent[] => text.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as WatchEvent);

describe('dossier watch', () => {
  it('piped: one JSON event per line, and --cursor resumes with the changes made since', async () => {
    await daemon.post([sessionStarted(sid(1), T0)]);
    const io = recordingIo({ socket: daemon.socket, now: T0 + 60_000, env: { TZ: 'UTC' } });
    const running = runCli(['watch', '--count', '2'], io);
    await until(() => io.out().includes('"type":"ready"'));
    await daemon.post([apiRequest(sid(1), 1, { input: 5, output: 1 }, T0 + 1000)]);
    await daemon.post([sessionStarted(sid(2), T0 + 2000)]);
    expect(await running).toBe(0);
    const events = lines(io.out());
    expect(events.map((e) => e.type)).toEqual(['snapshot', 'ready', 'session', 'session']);
    const last = events[events.length - 1]!.cursor;

    await daemon.post([apiRequest(sid(2), 1, { input: 9, output: 1 }, T0 + 3000)]);
    const resumed = recordingIo({ socket: daemon.socket, now: T0 + 60_000, env: { TZ: 'UTC' } });
    expect(await runCli(['watch', '--cursor', last, '--count', '1'], resumed)).toBe(0);
    const again = lines(resumed.out());
    expect(again[0]).toMatchObject({ type: 'session', session: { session_id: sid(2), tokens_input: 9 } });
  });

  it('on a terminal draws a table that fits the width', async () => {
    await daemon.post([sessionStarted(sid(3), T0)]);
    for (const columns of [60, 200]) {
      const io = recordingIo({ socket: daemon.socket, columns, now: T0 + 60_000, env: { TZ: 'UTC' } });
      const running = runCli(['watch', '--count', '1'], io);
      await until(() => io.out().includes('live'));
      await daemon.post([apiRequest(sid(3), columns, { input: 1, output: 1 }, T0 + columns)]);
      expect(await running).toBe(0);
      const screens = io.out().split('\u001b[H\u001b[2J').filter((s) => s !== '');
      const last = screens[screens.length - 1]!.replace(/\u001b\[\d+m/g, '').trimEnd().split('\n');
      expect(last[0]).toMatch(/^dossier watch · 1 sessions · live · /);
      expect(last[1]).toMatch(/^ID\s+STATUS/);
      expect(last[2]).toMatch(/^0000000\d\s/);
      for (const line of last.slice(1)) expect([...line].length, line).toBeLessThanOrEqual(columns);
    }
  });

  it('a filter the daemon refuses ends with exit 1 and names it', async () => {
    const io = recordingIo({ socket: daemon.socket, env: { TZ: 'UTC' } });
    expect(await runCli(['watch', '--since', 'soonish'], io)).toBe(1);
    expect(io.err()).toContain('since');
  });
});
