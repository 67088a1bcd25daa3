/**
 * A small, forgiving reader of shell command lines: enough of POSIX shell
 * quoting to find the words of each simple command in what an agent ran
 * (`a && b | c; d`), including commands inside `$(…)` and backticks, and
 * skipping here-document bodies (agents write PR bodies with
 * `--body "$(cat <<'EOF' … EOF)"`, whose text must not be read as commands).
 * It never throws: unbalanced quotes simply end at the end of the text.
 */

/** Marks a word part that came from a command substitution, so it never reads as a number. */
const SUBSTITUTION = '\u0000';

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
}

/**
 * Splits `text` into simple commands, each the list of its words with quotes
 * and escapes removed. Separators are `;`, `&`, `|`, newlines and
 * parentheses; redirections (`> file`, `2>&1`) are dropped. Commands found
 * inside substitutions are listed too (after the command containing them).
 */
export function splitShellCommands(text: string): string[][] {
  const lexer = new Lexer(text);
  lexer.list(null);
  return lexer.commands;
}

class Lexer {
  readonly commands: string[][] = [];
  #i = 0;
  readonly #s: string;

  constructor(text: string) {
    this.#s = text;
  }

  /** Reads commands until `end` (consumed) or the end of the text. */
  list(end: ')' | '`' | null): void {
    const s = this.#s;
    let words: string[] = [];
    let word = '';
    let inWord = false;
    let skipNextWord = false;
    const heredocs: Heredoc[] = [];
    const endWord = (): void => {
      if (inWord && !skipNextWord) words.push(word);
      if (inWord) skipNextWord = false;
      word = '';
      inWord = false;
    };
    const endCommand = (): void => {
      endWord();
      skipNextWord = false;
      if (words.length > 0) this.commands.push(words);
      words = [];
    };
    while (this.#i < s.length) {
      const c = s[this.#i]!;
      if (end !== null && c === end) {
        this.#i++;
        endCommand();
        return;
      }
      if (c === '\n') {
        this.#i++;
        endCommand();
        for (const doc of heredocs.splice(0)) this.#skipHeredocBody(doc);
      } else if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
        this.#i++;
        endCommand();
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.#i++;
        endWord();
      } else if (c === '#' && !inWord) {
        while (this.#i < s.length && s[this.#i] !== '\n') this.#i++;
      } else if (c === '<' && s.startsWith('<<', this.#i) && !s.startsWith('<<<', this.#i)) {
        endWord();
        this.#i += 2;
        const doc = this.#readHeredocDelimiter();
        if (doc) heredocs.push(doc);
      } else if (c === '<' || c === '>') {
        // A redirection: drop it and its target (`2>&1`, `> out.txt`, `<in`).
        if (/^\d+$/.test(word)) {
          word = '';
          inWord = false;
        }
        endWord();
        while (this.#i < s.length && '<>&'.includes(s[this.#i]!)) this.#i++;
        const digits = /^\d+|^-/.exec(s.slice(this.#i, this.#i + 12));
        if (digits && s[this.#i - 1] === '&') this.#i += digits[0].length;
        else skipNextWord = true;
      } else {
        inWord = true;
        word += this.#wordPart();
      }
    }
    endCommand();
  }

  /** Reads one unquoted char, quoted string, escape or substitution; returns its literal text. */
  #wordPart(): string {
    const s = this.#s;
    const c = s[this.#i]!;
    if (c === "'") {
      const close = s.indexOf("'", this.#i + 1);
      const stop = close === -1 ? s.length : close;
      const part = s.slice(this.#i + 1, stop);
      this.#i = stop + 1;
      return part;
    }
    if (c === '"') {
      this.#i++;
      return this.#doubleQuoted();
    }
    if (c === '\\') {
      const next = s[this.#i + 1];
      this.#i += 2;
      return next === undefined || next === '\n' ? '' : next;
    }
    if (c === '$' && s[this.#i + 1] === '(') {
      this.#i += 2;
      this.list(')');
      return SUBSTITUTION;
    }
    if (c === '`') {
      this.#i++;
      this.list('`');
      return SUBSTITUTION;
    }
    this.#i++;
    return c;
  }

  #doubleQuoted(): string {
    const s = this.#s;
    let out = '';
    while (this.#i < s.length) {
      const c = s[this.#i]!;
      if (c === '"') {
        this.#i++;
        return out;
      }
      if (c === '\\' && this.#i + 1 < s.length && '$`"\\\n'.includes(s[this.#i + 1]!)) {
        if (s[this.#i + 1] !== '\n') out += s[this.#i + 1];
        this.#i += 2;
      } else if (c === '$' && s[this.#i + 1] === '(') {
        this.#i += 2;
        this.list(')');
        out += SUBSTITUTION;
      } else if (c === '`') {
        this.#i++;
        this.list('`');
        out += SUBSTITUTION;
      } else {
        out += c;
        this.#i++;
      }
    }
    return out;
  }

  /** After `<<`: reads `-`, then the delimiter word (quoted or not). */
  #readHeredocDelimiter(): Heredoc | null {
    const s = this.#s;
    const stripTabs = s[this.#i] === '-';
    if (stripTabs) this.#i++;
    while (s[this.#i] === ' ' || s[this.#i] === '\t') this.#i++;
    let delimiter = '';
    while (this.#i < s.length && !' \t\n;&|()<>'.includes(s[this.#i]!)) {
      const c = s[this.#i]!;
      if (c === "'" || c === '"') {
        const close = s.indexOf(c, this.#i + 1);
        const stop = close === -1 ? s.length : close;
        delimiter += s.slice(this.#i + 1, stop);
        this.#i = stop + 1;
      } else {
        if (c !== '\\') delimiter += c;
        this.#i++;
      }
    }
    return delimiter === '' ? null : { delimiter, stripTabs };
  }

  /** Skips body lines up to and including the line holding only the delimiter. */
  #skipHeredocBody(doc: Heredoc): void {
    const s = this.#s;
    while (this.#i < s.length) {
      const eol = s.indexOf('\n', this.#i);
      const stop = eol === -1 ? s.length : eol;
      let line = s.slice(this.#i, stop);
      if (doc.stripTabs) line = line.replace(/^\t+/, '');
      if (line === doc.delimiter) {
        // Leave the newline (or a `)` right after the delimiter) to the caller.
        this.#i = stop;
        return;
      }
      if (line.startsWith(doc.delimiter) && /^[)\s;&|]/.test(line.slice(doc.delimiter.length))) {
        this.#i += (s.slice(this.#i, stop).length - line.length) + doc.delimiter.length;
        return;
      }
      this.#i = eol === -1 ? s.length : eol + 1;
    }
  }
}
