/** A Bash tool call whose command names a GitHub issue or PR becomes a `github.ref` event. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../../schema/index.js';
import { readTree } from './support/read-tree.js';

const S = '6a6a0000-0000-4000-8000-000000000001';
const root = mkdtempSync(join(tmpdir(), 'dossier-ghref-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function toolLine(uuid: string, parent: string, toolUseId: string, command: string): string {
  return JSON.stringify({
    parentUuid: parent, isSidechain: false, type: 'assistant', uuid, timestamp: '2026-11-21T10:00:01.000Z', sessionId: S,
    cwd: '/home/user/proj', gitBranch: 'main', version: '2.1.197', entrypoint: 'sdk-cli', userType: 'external', requestId: `req_${uuid}`,
    message: {
      id: `msg_${uuid}`, type: 'message', role: 'assistant', model: 'claude-opus-4-8', stop_reason: 'tool_use', stop_sequence: null,
      content: [{ type: 'tool_use', id: toolUseId, name: 'Bash', input: { command, description: 'x' } }],
      usage: { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    },
  });
}

describe('transcripts: github.ref from tool commands', () => {
  const dir = join(root, 'projects', '-home-user-proj');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${S}.jsonl`),
    [
      toolLine('00000000-0000-4000-8000-0000000000b1', 'null', 'toolu_1', 'gh pr view 17 -R acme/widgets --comments'),
      toolLine('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000b1', 'toolu_2', 'curl -s https://github.com/acme/widgets/issues/3'),
      toolLine('00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000b2', 'toolu_3', 'ls -la'),
    ].join('\n') + '\n',
  );
  const { events } = readTree(root);
  const refs = events.filter((e) => e.kind === 'github.ref');

  it('emits one valid github.ref per named issue or PR, none for other commands', () => {
    expect(refs.map((e) => e.attrs)).toMatchObject([
      { ref_type: 'pr', number: 17, repo: 'acme/widgets' },
      { ref_type: 'issue', number: 3, repo: 'acme/widgets' },
    ]);
    for (const e of refs) expect(validateEvent(e)).toMatchObject({ ok: true });
  });

  it('re-reading the file gives the same keys', () => {
    const again = readTree(root).events.filter((e) => e.kind === 'github.ref');
    expect(again.map((e) => e.dedupe_key)).toEqual(refs.map((e) => e.dedupe_key));
  });
});
