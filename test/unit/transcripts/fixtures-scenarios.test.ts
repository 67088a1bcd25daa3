/**
 * Scenarios the real captures lack (see fixtures/README.md): compaction,
 * API errors, titles, slash commands, placeholder usage lines, unknown and
 * damaged lines, and a forked session. Expected values are written by hand
 * from the fixture files.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateEvent, type EventOf, type NormalizedEvent } from '../../../schema/index.js';
import { readTree } from './support/read-tree.js';
import { tally } from './support/tally.js';

const HERE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const S = '5e5e0000-0000-4000-8000-000000000001';
const of = <K extends NormalizedEvent['kind']>(events: NormalizedEvent[], kind: K) => events.filter((e): e is EventOf<K> => e.kind === kind);

describe('compaction, API error, titles, slash command', () => {
  const { events, counters } = readTree(join(HERE, 'compact-error-titles'));

  it('counts requests once each with the largest line, including the 1h cache-write split', () => {
    expect(tally(events, S)).toMatchObject({ requests: 2, input: 8, output: 170, cache_read: 5000, cache_write: 1100, cache_write_1h: 600, tool_calls: 1 });
    // The placeholder line and the final line of msg_A differ, so both are sent; the merge keeps the larger.
    expect(of(events, 'api.request').map((e) => [e.attrs.message_id, e.attrs.usage?.output])).toEqual([['msg_A', 1], ['msg_A', 120], ['msg_B', 50]]);
  });

  it('counts real prompts only: typed ones and the slash command, not summaries, meta lines or command output', () => {
    const prompts = of(events, 'prompt.submitted');
    expect(prompts.map((p) => [p.attrs.prompt_id, p.attrs.command])).toEqual([
      ['p0000000-0000-4000-8000-000000000001', undefined],
      ['p0000000-0000-4000-8000-000000000003', '/cost'],
      ['p0000000-0000-4000-8000-000000000004', undefined],
    ]);
    expect(prompts[2]!.attrs.permission_mode).toBe('acceptEdits');
  });

  it('maps the compact boundary with its pre/post tokens', () => {
    const c = of(events, 'compaction');
    expect(c).toHaveLength(1);
    expect(c[0]!.attrs).toMatchObject({ trigger: 'manual', pre_tokens: 22052, post_tokens: 797, git_branch: 'main-work' });
    expect(c[0]!.ts).toBe(Date.parse('2026-11-21T10:05:00.000Z'));
  });

  it('maps the synthetic error line to a final api.error and skips the other synthetic line', () => {
    const errors = of(events, 'api.error');
    expect(errors.map((e) => e.attrs)).toMatchObject([{ status_code: 429, error: 'rate_limit', retries_exhausted: true }]);
    expect(of(events, 'api.request').some((e) => e.attrs.model === '<synthetic>')).toBe(false);
    expect(counters['transcripts.lines_synthetic']).toBe(1);
  });

  it('sets titles from ai-title, custom-title and summary lines, dated by the line before', () => {
    const titles = of(events, 'title.set');
    expect(titles.map((t) => [t.attrs.title_source, t.attrs.title])).toEqual([
      ['ai', 'Mock session title'],
      ['custom', 'Parser refactor'],
      ['summary', 'Refactoring the parser and adding tests'],
    ]);
    expect(titles.every((t) => t.ts === Date.parse('2026-11-21T11:00:00.000Z'))).toBe(true);
  });

  it('skips and counts the unknown and the truncated line, and everything else validates', () => {
    expect(counters['transcripts.lines_unknown_type']).toBe(1);
    expect(counters['transcripts.lines_malformed']).toBe(1);
    for (const e of events) {
      const v = validateEvent(e);
      expect(v.ok ? '' : v.error).toBe('');
    }
  });

  it('reads the tool input path and the session start', () => {
    expect(of(events, 'tool.called')[0]!.attrs).toMatchObject({ tool_name: 'Grep', tool_use_id: 'toolu_1', file_path: '/home/user/proj/src' });
    const start = of(events, 'session.started');
    expect(start.map((e) => [e.ts, e.attrs.start_source])).toEqual([[Date.parse('2026-11-21T10:00:00.100Z'), 'unknown']]);
  });

  it('keeps prompt text by default, and only the length when it is dropped', () => {
    const texts = ['Refactor the parser', expect.stringContaining('<command-name>/cost'), 'Now add tests'];
    expect(of(events, 'prompt.submitted').map((p) => p.attrs.text)).toEqual(texts);
    const withText = readTree(join(HERE, 'compact-error-titles'), { includePromptText: true }).events;
    expect(of(withText, 'prompt.submitted').map((p) => p.attrs.text)).toEqual(texts);
    const dropped = readTree(join(HERE, 'compact-error-titles'), { includePromptText: false }).events;
    expect(of(dropped, 'prompt.submitted').every((p) => p.attrs.text === undefined && p.attrs.length! > 0)).toBe(true);
    expect(of(dropped, 'prompt.submitted').map((p) => p.attrs.length)).toEqual(of(events, 'prompt.submitted').map((p) => p.attrs.length));
  });
});

describe('a forked session', () => {
  const P = 'aaaa0000-0000-4000-8000-00000000000a';
  const F = 'bbbb0000-0000-4000-8000-00000000000b';

  function forkTree(): string {
    // Parent first, fork second, as Claude Code creates them.
    const root = mkdtempSync(join(tmpdir(), 'dossier-fork-'));
    const dir = join(root, 'projects', '-home-user-proj');
    mkdirSync(dir, { recursive: true });
    for (const id of [P, F]) copyFileSync(join(HERE, 'fork', 'projects', '-home-user-proj', `${id}.jsonl`), join(dir, `${id}.jsonl`));
    return root;
  }

  it('does not count the copied history again and records forked_from', () => {
    const root = forkTree();
    try {
      const { events } = readTree(root);
      expect(tally(events, P)).toMatchObject({ requests: 2, input: 10, output: 30, cache_read: 100, cache_write: 150, prompts: 2 });
      expect(tally(events, F)).toMatchObject({ requests: 1, input: 2, output: 30, cache_read: 150, cache_write: 60, prompts: 1 });
      const starts = of(events, 'session.started');
      expect(starts.filter((s) => s.session_id === P).map((s) => s.attrs.start_source)).toEqual(['unknown']);
      const fork = starts.filter((s) => s.session_id === F);
      expect(fork.map((s) => [s.attrs.start_source, s.attrs.forked_from])).toEqual([['fork', P]]);
      expect(fork[0]!.ts).toBeGreaterThanOrEqual(Date.parse('2026-11-20T09:00:00.000Z'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('recognises the fork after a restart from checkpoints (the root index is persisted)', () => {
    const root = forkTree();
    try {
      const forkPath = join(root, 'projects', '-home-user-proj', `${F}.jsonl`);
      rmSync(forkPath);
      const first = readTree(root);
      copyFileSync(join(HERE, 'fork', 'projects', '-home-user-proj', `${F}.jsonl`), forkPath);
      const second = readTree(root, { checkpoints: first.checkpoints });
      const fork = of(second.events, 'session.started').filter((s) => s.session_id === F);
      expect(fork.map((s) => s.attrs.forked_from)).toEqual([P]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
