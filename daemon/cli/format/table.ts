/**
 * Aligned text tables that fit a terminal width: flexible columns shrink
 * (with an ellipsis) to their minimum first, then the least important
 * columns are dropped. Colour is applied after padding so escape codes never
 * count towards a width.
 */
import { paint, type Style } from './color.js';

/** How one column is laid out. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** A column may shrink to this width (cutting text with `…`); without it, it never shrinks. */
  minWidth?: number;
  /** Never drawn wider than this. */
  maxWidth?: number;
  /** When the table cannot fit, the visible column with the highest rank is dropped first; 0 or absent: never dropped. */
  dropRank?: number;
}

/** One cell: text, optionally styled. */
export type Cell = string | { text: string; style?: Style };

/** Layout options. */
export interface TableOptions {
  /** Fit into this many columns; undefined: natural widths (pipes, files). */
  width?: number | undefined;
  color: boolean;
}

const GAP = '  ';

/** Renders header and rows as lines (no trailing newline on each). */
export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], options: TableOptions): string[] {
  const natural = columns.map((col, i) => {
    const widest = Math.max(textWidth(col.header), ...rows.map((row) => textWidth(cellText(row[i]))));
    return Math.min(col.maxWidth ?? Number.POSITIVE_INFINITY, widest);
  });
  const layout = fit(columns, natural, options.width);
  const line = (cells: readonly Cell[], header: boolean): string => {
    const parts = layout.map(({ index, width }, n) => {
      const cell = cells[index];
      const text = fitText(cellText(cell), width, columns[index]!.align ?? 'left', n === layout.length - 1);
      const style = header ? 'bold' : typeof cell === 'object' ? cell.style : undefined;
      return paint(text, style, options.color);
    });
    return parts.join(GAP).trimEnd();
  };
  return [line(columns.map((c) => c.header), true), ...rows.map((row) => line(row, false))];
}

/** The visible columns and their widths for a target width. */
function fit(columns: readonly Column[], natural: readonly number[], width: number | undefined): { index: number; width: number }[] {
  let visible = columns.map((_, i) => i);
  for (;;) {
    const widths = new Map(visible.map((i) => [i, natural[i]!]));
    if (width === undefined) return visible.map((i) => ({ index: i, width: widths.get(i)! }));
    let excess = total(widths) - width;
    // Shrink the columns with the most room to give first, so a long title gives way before a short branch.
    const shrinkable = visible
      .filter((i) => columns[i]!.minWidth !== undefined)
      .sort((a, b) => natural[b]! - columns[b]!.minWidth! - (natural[a]! - columns[a]!.minWidth!));
    for (const i of shrinkable) {
      if (excess <= 0) break;
      const slack = Math.max(0, widths.get(i)! - columns[i]!.minWidth!);
      const cut = Math.min(slack, excess);
      widths.set(i, widths.get(i)! - cut);
      excess -= cut;
    }
    if (excess <= 0) return visible.map((i) => ({ index: i, width: widths.get(i)! }));
    const droppable = visible.filter((i) => (columns[i]!.dropRank ?? 0) > 0);
    if (droppable.length === 0) return visible.map((i) => ({ index: i, width: widths.get(i)! }));
    const drop = droppable.reduce((a, b) => (columns[b]!.dropRank! > columns[a]!.dropRank! ? b : a));
    visible = visible.filter((i) => i !== drop);
  }
}

function total(widths: Map<number, number>): number {
  let sum = 0;
  for (const w of widths.values()) sum += w;
  return sum + GAP.length * Math.max(0, widths.size - 1);
}

function fitText(text: string, width: number, align: 'left' | 'right', last: boolean): string {
  const chars = [...text];
  if (chars.length > width) return width <= 0 ? '' : `${chars.slice(0, width - 1).join('')}…`;
  const pad = ' '.repeat(width - chars.length);
  if (align === 'right') return pad + text;
  return last ? text : text + pad;
}

function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  return typeof cell === 'string' ? cell : cell.text;
}

/** Display width of plain text, counted in code points (no escape codes expected). */
export function textWidth(text: string): number {
  return [...text].length;
}
