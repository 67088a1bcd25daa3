/**
 * Where the captured Claude Code data lives: `../shared/fixtures` beside the
 * checkout (CI clones main with shared/ next to it, wherever that is).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The Claude Code 2.1.197 capture folder; throws a clear error if shared/ is not beside the checkout. */
export const CLAUDE_FIXTURES = resolve(repoRoot, '../shared/fixtures/claude-code-2.1.197');

if (!existsSync(CLAUDE_FIXTURES)) {
  throw new Error(`captured fixtures not found at ${CLAUDE_FIXTURES}: shared/ must sit beside the checkout`);
}
