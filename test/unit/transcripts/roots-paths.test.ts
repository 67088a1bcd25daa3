/**
 * Where transcripts are looked for, and what a path under a root is.
 */
import { describe, expect, it } from 'vitest';
import { resolveRoots } from '../../../collectors/transcripts/roots.js';
import { classifyTranscript, metaPathOf } from '../../../collectors/transcripts/paths.js';

describe('Claude roots', () => {
  it('uses ~/.claude, every CLAUDE_CONFIG_DIR entry and each --claude-dir, without duplicates', () => {
    const roots = resolveRoots({ useDefaults: true, extra: ['/data/claude', '~/alt'], env: { CLAUDE_CONFIG_DIR: '/work/a, ~/.claude,/work/b/' }, home: '/home/u' });
    expect(roots).toEqual(['/home/u/.claude', '/work/a', '/work/b', '/data/claude', '/home/u/alt']);
  });

  it('uses only the given directories when defaults are off', () => {
    expect(resolveRoots({ useDefaults: false, extra: ['/x'], env: { CLAUDE_CONFIG_DIR: '/ignored' }, home: '/home/u' })).toEqual(['/x']);
    expect(resolveRoots({ useDefaults: true, extra: [], env: {}, home: '/home/u' })).toEqual(['/home/u/.claude']);
  });
});

describe('transcript paths', () => {
  const root = '/home/u/.claude';
  it('recognises main transcripts and (nested) subagent transcripts', () => {
    expect(classifyTranscript(root, `${root}/projects/-home-u-repo/5e5e0000-0000-4000-8000-000000000001.jsonl`)).toEqual({
      path: `${root}/projects/-home-u-repo/5e5e0000-0000-4000-8000-000000000001.jsonl`, kind: 'main', sessionId: '5e5e0000-0000-4000-8000-000000000001', agentId: null,
    });
    expect(classifyTranscript(root, `${root}/projects/p/sess-1/subagents/agent-abc.jsonl`)).toMatchObject({ kind: 'subagent', sessionId: 'sess-1', agentId: 'abc' });
    expect(classifyTranscript(root, `${root}/projects/p/sess-1/subagents/deeper/subagents/agent-x9.jsonl`)).toMatchObject({ kind: 'subagent', sessionId: 'sess-1', agentId: 'x9' });
    expect(classifyTranscript(root, `${root}/projects/p/agent-legacy.jsonl`)).toMatchObject({ kind: 'subagent', agentId: 'legacy' });
  });

  it('ignores everything else', () => {
    for (const p of [`${root}/history.jsonl`, `${root}/projects/p/s/tool-results/x.jsonl`, `${root}/projects/p/notes.txt`, `/elsewhere/projects/p/s.jsonl`, `${root}/projects/top.jsonl`]) {
      expect(classifyTranscript(root, p), p).toBeNull();
    }
    expect(metaPathOf('/a/agent-1.jsonl')).toBe('/a/agent-1.meta.json');
  });
});

describe('Claude roots on disk', () => {
  it('treats a symlinked directory and its target as one root', async () => {
    const { mkdtempSync, mkdirSync, symlinkSync, rmSync, realpathSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const base = mkdtempSync(join(tmpdir(), 'dossier-roots-'));
    try {
      mkdirSync(join(base, 'real'));
      symlinkSync(join(base, 'real'), join(base, 'link'));
      expect(resolveRoots({ useDefaults: false, extra: [join(base, 'real'), join(base, 'link')], env: {} })).toEqual([realpathSync(join(base, 'real'))]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
