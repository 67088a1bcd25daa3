import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../../../daemon/cli/io.js';
import { renderTable, textWidth, type Column } from '../../../../daemon/cli/format/table.js';

const ESC = '\u001b[';

const columns: Column[] = [
  { header: 'ID' },
  { header: 'STATUS' },
  { header: 'BRANCH', minWidth: 6, dropRank: 2 },
  { header: 'TOKENS', align: 'right', dropRank: 1 },
  { header: 'TITLE', minWidth: 8 },
];
const rows = [
  ['abcd1234', { text: 'busy', style: 'yellow' as const }, 'feature/very-long-branch-name', '12.3k', 'Refactor the session merge engine for clarity'],
  ['ef567890', { text: 'ended', style: 'dim' as const }, 'main', '1.2M', 'Short'],
];

describe('renderTable', () => {
  it('uses natural widths when no width is given, aligned in columns', () => {
    const lines = renderTable(columns, rows, { color: false });
    expect(lines).toEqual([
      'ID        STATUS  BRANCH                         TOKENS  TITLE',
      'abcd1234  busy    feature/very-long-branch-name   12.3k  Refactor the session merge engine for clarity',
      'ef567890  ended   main                             1.2M  Short',
    ]);
  });

  it('fits every line into the width, shrinking the column with the most slack first', () => {
    for (const width of [100, 80, 60]) {
      const lines = renderTable(columns, rows, { width, color: false });
      for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(width);
      expect(lines[0]).toContain('TOKENS');
    }
    const at80 = renderTable(columns, rows, { width: 80, color: false });
    expect(at80[1]).toContain('…');
    expect(at80[1]).toContain('feature/very-long-branch-name');
  });

  it('drops the highest-ranked columns once shrinking is not enough, never the unranked ones', () => {
    const narrow = renderTable(columns, rows, { width: 40, color: false });
    expect(narrow[0]).toMatch(/^ID\s+STATUS\s+TOKENS\s+TITLE$/);
    for (const line of narrow) expect(textWidth(line)).toBeLessThanOrEqual(40);
    const tiny = renderTable(columns, rows, { width: 30, color: false });
    expect(tiny[0]).toMatch(/^ID\s+STATUS\s+TITLE$/);
    for (const line of tiny) expect(textWidth(line)).toBeLessThanOrEqual(30);
  });

  it('adds colour only when asked, and colour never changes the layout', () => {
    const plain = renderTable(columns, rows, { width: 70, color: false });
    const colored = renderTable(columns, rows, { width: 70, color: true });
    expect(plain.join('\n')).not.toContain(ESC);
    expect(colored[1]).toContain(`${ESC}33m`);
    // eslint-disable-next-line no-control-regex
    expect(colored.map((l) => l.replace(/\u001b\[\d+m/g, ''))).toEqual(plain);
  });
});

describe('colorEnabled', () => {
  it('is on only for a terminal without NO_COLOR', () => {
    expect(colorEnabled({ isTTY: true, env: {} })).toBe(true);
    expect(colorEnabled({ isTTY: false, env: {} })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
  });
});
