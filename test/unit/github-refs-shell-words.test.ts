import { describe, expect, it } from 'vitest';
import { splitShellCommands } from '../../collectors/shell-words.js';

describe('splitShellCommands', () => {
  it.each<[string, string[][]]>([
    ['a b && c "d e" | f;g', [['a', 'b'], ['c', 'd e'], ['f'], ['g']]],
    ["echo 'it''s' \"x\\\"y\" z\\ w", [['echo', 'its', 'x"y', 'z w']]],
    ['cmd 2>&1 > out.txt < in.txt arg', [['cmd', 'arg']]],
    ['cmd # a comment\nnext', [['cmd'], ['next']]],
    ['(cd sub && make) || echo failed', [['cd', 'sub'], ['make'], ['echo', 'failed']]],
    ['line \\\ncontinued', [['line', 'continued']]],
  ])('%j', (text, expected) => {
    expect(splitShellCommands(text)).toEqual(expected);
  });

  it('skips a here-document body and keeps reading after it', () => {
    const text = "cat > f <<'EOF'\nrm -rf / ; echo \"unbalanced\nEOF\nls -la";
    expect(splitShellCommands(text)).toEqual([['cat'], ['ls', '-la']]);
  });

  it('strips leading tabs before the delimiter of <<-', () => {
    expect(splitShellCommands('cat <<-END\n\tbody\n\tEND\ndone')).toEqual([['cat'], ['done']]);
  });

  it('lists commands inside substitutions and hides them from the outer word', () => {
    const commands = splitShellCommands('echo "n=$(wc -l < f)" `date`');
    expect(commands).toContainEqual(['wc', '-l']);
    expect(commands).toContainEqual(['date']);
    const echo = commands.find((c) => c[0] === 'echo')!;
    expect(echo[1]).toBe('n=\u0000');
  });
});
