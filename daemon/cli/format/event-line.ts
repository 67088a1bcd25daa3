/**
 * One timeline line per event for `dossier events`: time, source, kind,
 * agent, and the daemon's one-line summary of what happened.
 */
import type { TimelineEvent } from '../../../schema/index.js';
import { formatTimestamp } from './human.js';

/** Longest event kind name, so the summary column lines up. */
const KIND_WIDTH = 17;
const SOURCE_WIDTH = 10;

/** The line for one event (no trailing newline), cut to `width` when given. */
export function formatEventLine(e: Omit<TimelineEvent, 'summary'> & { summary?: string }, width?: number): string {
  const agent = e.agent_id === null ? '' : ` [${e.agent_id.slice(0, 12)}]`;
  const line = `${formatTimestamp(e.ts)}  ${e.source.padEnd(SOURCE_WIDTH)}  ${e.kind.padEnd(KIND_WIDTH)}${agent}  ${e.summary ?? ''}`.trimEnd();
  if (width === undefined || [...line].length <= width) return line;
  return `${[...line].slice(0, Math.max(0, width - 1)).join('')}…`;
}
