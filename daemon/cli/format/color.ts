/**
 * ANSI styles for terminal output. Callers decide once whether colour is on
 * (see `colorEnabled`) and pass that flag; with it off, text is unchanged.
 */
import type { SessionStatus } from '../../../schema/index.js';

/** Styles the CLI uses. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'magenta' | 'cyan';

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  cyan: [36, 39],
};

/** Wraps `text` in the style's escape codes when `enabled`. */
export function paint(text: string, style: Style | undefined, enabled: boolean): string {
  if (!enabled || style === undefined || text === '') return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/** The colour of each session status: waiting needs the user, so it shouts. */
export function statusStyle(status: SessionStatus): Style {
  switch (status) {
    case 'busy':
      return 'yellow';
    case 'waiting':
      return 'magenta';
    case 'idle':
      return 'green';
    case 'ended':
      return 'dim';
  }
}
