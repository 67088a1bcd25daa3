/**
 * `dossier ls` and `dossier stats` end to end against the real API over
 * generated sessions, with injected io: terminal output at widths 60 and
 * 200 (fits, colours), piped output and NO_COLOR (no escape codes), and the
 * `--json` shapes scripts rely on.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../daemon/cli/main.js';
import type { SessionRecord, StatsResponse } from '../../schema/index.js';
import { recordingIo } from '../unit/daemon/cli/fake-daemon.js';
import { expectedIds, isUnder, NOW, queryDaemonPerFile } from './query-support.js';

const ESC = '\u001b[';
const strip = (text: string): string[] => text.replace(/\u001b\[\d+m/g, '').trimEnd().split('\n');
const daemon = queryDaemonPerFile(600, 3);

const io = (options: { columns?: number; env?: Record<string, string> } = {}) =>
  recordingIo({ socket: daemon().socket, now: NOW, ...options, env: { TZ: 'UTC', ...options.env } });

describe('dossier ls against the daemon', () => {
  it('--json is the array of matching records, filters and sort applied by the daemon', async () => {
    const out = io();
    const code = await runCli(['ls', '--all', '--cwd', '/home/u/app', '--status', 'ended', '--sort', 'cost', '--limit', '1000', '--json'], out);
    expect(code, out.err()).toBe(0);
    const got = JSON.parse(out.out()) as SessionRecord[];
    expect(got.map((s) => s.session_id)).toEqual(expectedIds(daemon().records, (s) => s.status === 'ended' && isUnder(s.cwd, '/home/u/app'), 'cost'));
    for (const s of got) {
      expect(typeof s.session_id).toBe('string');
      expect(s).toHaveProperty('cost_usd');
      expect(s).toHaveProperty('usage_by_model');
    }
  });

  it('a relative --cwd resolves against the working directory', async () => {
    const out = io({ env: { PWD: '/home/u' } });
    expect(await runCli(['ls', '--all', '--cwd', 'app/web', '--limit', '1000', '--json'], out)).toBe(0);
    const got = JSON.parse(out.out()) as SessionRecord[];
    expect(got.map((s) => s.session_id)).toEqual(expectedIds(daemon().records, (s) => isUnder(s.cwd, '/home/u/app/web')));
  });

  it('on a terminal the table fits widths 60 and 200, with colour', async () => {
    for (const columns of [60, 200]) {
      const out = io({ columns });
      expect(await runCli(['ls', '--all', '--limit', '30'], out)).toBe(0);
      expect(out.out()).toContain(ESC);
      const lines = strip(out.out());
      expect(lines).toHaveLength(31);
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
      expect(lines[0]).toMatch(/^ID\s+STATUS\s/);
      if (columns === 200) expect(lines[0]).toMatch(/^ID\s+STATUS\s+STARTED\s+ACTIVE\s+DURATION\s+PROJECT\s+BRANCH\s+MODEL\s+TOKENS\s+COST\s+TOOLS\s+TITLE$/);
      else expect(lines[0]).toMatch(/COST/);
    }
  });

  it('piped, or with NO_COLOR, prints no escape codes', async () => {
    const piped = io();
    await runCli(['ls', '--all', '--limit', '5'], piped);
    expect(piped.out()).not.toContain(ESC);
    expect(strip(piped.out())).toHaveLength(6);
    const noColor = io({ columns: 200, env: { NO_COLOR: '1' } });
    await runCli(['ls', '--all', '--limit', '5'], noColor);
    expect(noColor.out()).not.toContain(ESC);
  });

  it('a bad value the daemon refuses is an error naming the parameter, exit 1', async () => {
    const out = io();
    expect(await runCli(['ls', '--since', 'last tuesday'], out)).toBe(1);
    expect(out.out()).toBe('');
    expect(out.err()).toContain('since');
  });

  it('a bad flag is a usage error, exit 2', async () => {
    const out = io();
    expect(await runCli(['ls', '--range', 'fortnight'], out)).toBe(2);
    expect(out.err()).toContain('--range');
  });
});

describe('dossier stats against the daemon', () => {
  it('--json is the StatsResponse, over the last 7 days by default, in the user zone', async () => {
    const out = io({ env: { TZ: 'Asia/Tokyo' } });
    expect(await runCli(['stats', '--by', 'day', '--json'], out)).toBe(0);
    const stats = JSON.parse(out.out()) as StatsResponse;
    expect(stats.range).toEqual({ name: '7d', since: NOW - 7 * 86_400_000, until: null, tz: 'Asia/Tokyo' });
    expect(stats.group_by).toBe('day');
    const kept = daemon().records.filter((s) => !s.hidden && s.last_activity !== null && s.last_activity >= NOW - 7 * 86_400_000);
    expect(stats.totals.sessions).toBe(kept.length);
    expect(stats.groups.reduce((n, g) => n + g.sessions, 0)).toBe(kept.length);
    for (const g of stats.groups) expect(g.key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(stats.totals).sort()).toEqual(
      ['active', 'completed', 'cost_usd', 'duration_ms', 'errors', 'per_session', 'requests', 'sessions', 'tokens', 'tool_calls'].sort(),
    );
  });

  it('prints totals and a group table that fits widths 60 and 200', async () => {
    for (const columns of [60, 200]) {
      const out = io({ columns });
      expect(await runCli(['stats', '--by', 'model', '--range', '30d'], out)).toBe(0);
      const lines = strip(out.out());
      expect(lines[0]).toMatch(/^30d from \d{4}-\d{2}-\d{2} \d{2}:\d{2} to now \(UTC\)$/);
      expect(lines.some((l) => /^sessions\s+\d/.test(l))).toBe(true);
      const header = lines.find((l) => l.startsWith('MODEL'));
      expect(header).toBeDefined();
      for (const line of lines.slice(lines.indexOf(header!))) expect([...line].length, line).toBeLessThanOrEqual(columns);
      expect(lines.some((l) => l.startsWith('opus-4-5') || l.startsWith('claude-opus-4-5'))).toBe(true);
    }
  });
});
