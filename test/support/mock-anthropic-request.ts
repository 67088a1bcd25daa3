/**
 * Reads a Messages API request body the way the mock needs it: which user
 * prompt the turn answers, how many assistant steps of that turn are already
 * done, and whether it is a side request (compaction summary) rather than a
 * conversation step.
 */

/** What the mock learned from one request body. */
export interface RequestShape {
  model: string;
  stream: boolean;
  nMessages: number;
  /** Text of the user prompt this turn answers (reminder blocks left out); '' when there is none. */
  promptText: string;
  /** Assistant messages after that prompt: 0 for the turn's first request, 1 after one tool round, … */
  stepsDone: number;
  /** Tool results the request carries after the prompt. */
  toolResultsAfterPrompt: number;
  /** `compaction` for the summary request of `/compact` or auto-compaction, else `conversation`. */
  purpose: 'conversation' | 'compaction';
  /** Length of the system prompt, to tell the main agent (long) from a subagent (short). */
  systemChars: number;
}

interface Block {
  type?: unknown;
  text?: unknown;
}
interface Message {
  role?: unknown;
  content?: unknown;
}

/** The compaction prompt of Claude Code 2.1.197 says this (observed on the wire). */
const COMPACTION_MARKER = 'create a detailed summary of the conversation';

function blocksOf(message: Message): Block[] {
  const c = message.content;
  if (typeof c === 'string') return [{ type: 'text', text: c }];
  return Array.isArray(c) ? (c.filter((b) => typeof b === 'object' && b !== null) as Block[]) : [];
}

function isReminder(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('<system-reminder>') || t.startsWith('<local-command-caveat>');
}

/** The user-visible text of a message: text blocks that are not injected reminders. */
function promptTextOf(message: Message): string {
  return blocksOf(message)
    .filter((b) => b.type === 'text' && typeof b.text === 'string' && !isReminder(b.text))
    .map((b) => b.text as string)
    .join('\n');
}

function hasToolResult(message: Message): boolean {
  return blocksOf(message).some((b) => b.type === 'tool_result');
}

function systemLength(system: unknown): number {
  if (typeof system === 'string') return system.length;
  if (!Array.isArray(system)) return 0;
  let n = 0;
  for (const b of system) if (typeof b === 'object' && b !== null && typeof (b as Block).text === 'string') n += ((b as Block).text as string).length;
  return n;
}

/**
 * Describes a parsed request body. Never throws: a body of the wrong shape
 * gives an empty prompt, which the mock answers with its default reply.
 */
export function describeRequest(body: unknown): RequestShape {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const messages = (Array.isArray(b.messages) ? b.messages : []).filter((m): m is Message => typeof m === 'object' && m !== null);
  let promptIndex = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user' && !hasToolResult(m) && promptTextOf(m).trim() !== '') {
      promptIndex = i;
      break;
    }
  }
  const after = messages.slice(promptIndex + 1);
  const promptText = promptIndex >= 0 ? promptTextOf(messages[promptIndex]!) : '';
  return {
    model: typeof b.model === 'string' ? b.model : 'unknown',
    stream: b.stream === true,
    nMessages: messages.length,
    promptText,
    stepsDone: after.filter((m) => m.role === 'assistant').length,
    toolResultsAfterPrompt: after.reduce((n, m) => n + blocksOf(m).filter((x) => x.type === 'tool_result').length, 0),
    purpose: promptText.includes(COMPACTION_MARKER) ? 'compaction' : 'conversation',
    systemChars: systemLength(b.system),
  };
}
