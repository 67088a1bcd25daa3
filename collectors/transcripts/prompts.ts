/**
 * Which `user` lines are real prompts. A user line is also how Claude Code
 * stores tool results, injected meta text, compaction summaries, the output
 * of local slash commands and bash-mode I/O; only what the person typed (or
 * pasted, or invoked as a slash command) counts as a prompt.
 */
import type { MessageFields, TranscriptLine } from './line-fields.js';
import { fitShort, fitText } from './map-values.js';
import { LIMITS } from '../../schema/limits.js';

/** Prefixes of user-line text that Claude Code writes itself (command output, bash mode, interruptions). */
const NOT_TYPED = ['<local-command-stdout>', '<local-command-stderr>', '<local-command-caveat>', '<bash-input>', '<bash-stdout>', '<bash-stderr>', '[Request interrupted by user'];

/** Content block types that carry something the user gave (besides text). */
const USER_MEDIA = new Set(['image', 'document']);

/** True when a `user` line (already known to carry no tool result) is a real prompt. */
export function isRealPrompt(line: TranscriptLine): boolean {
  if (line.isMeta === true || line.isCompactSummary === true || line.isVisibleInTranscriptOnly === true) return false;
  const m = line.message;
  if (!m || (m.role !== undefined && m.role !== 'user')) return false;
  const text = promptText(m);
  if (text.length === 0) return m.blocks.some((b) => USER_MEDIA.has(b.type));
  const head = text.trimStart();
  return !NOT_TYPED.some((p) => head.startsWith(p));
}

/** The attrs of a prompt: its length, the slash command it invoked, and its text only when allowed. */
export function promptFields(m: MessageFields, includeText: boolean): { length: number; command?: string; text?: string } {
  const text = promptText(m);
  const out: { length: number; command?: string; text?: string } = { length: text.length };
  const command = /<command-name>\s*([^<\s]+)\s*<\/command-name>/.exec(text)?.[1];
  if (command !== undefined) out.command = fitShort(command, LIMITS.maxNameLength);
  if (includeText && text.length > 0) out.text = fitText(text);
  return out;
}

function promptText(m: MessageFields): string {
  if (m.contentString !== undefined) return m.contentString;
  let text = '';
  for (const b of m.blocks) {
    if (b.type === 'text' && b.text !== undefined) text = text.length === 0 ? b.text : `${text}\n${b.text}`;
  }
  return text;
}
