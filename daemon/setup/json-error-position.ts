/**
 * Where a JSON text first goes wrong, for error messages that name a line
 * and column: `JSON.parse` in current V8 often says only "Unexpected token"
 * with a snippet. A small recursive-descent checker of the JSON grammar; it
 * is run only after `JSON.parse` has already failed.
 */

/** 1-based line and column of the first syntax error, or undefined when the text is valid JSON. */
export function jsonErrorPosition(text: string): { line: number; column: number } | undefined {
  const offset = new Checker(text).firstError();
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

class Checker {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  firstError(): number | undefined {
    try {
      this.#value();
      this.#ws();
      if (this.#at < this.#text.length) throw new Bad();
      return undefined;
    } catch (error) {
      if (error instanceof Bad) return this.#at;
      throw error;
    }
  }

  #value(): void {
    this.#ws();
    const c = this.#text[this.#at];
    if (c === '{') return this.#container('}', true);
    if (c === '[') return this.#container(']', false);
    if (c === '"') return this.#string();
    for (const word of ['true', 'false', 'null']) {
      if (this.#text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return;
      }
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.#text.slice(this.#at, this.#at + 400));
    if (!number) throw new Bad();
    this.#at += number[0].length;
  }

  #container(close: string, keyed: boolean): void {
    this.#at += 1;
    this.#ws();
    if (this.#text[this.#at] === close) {
      this.#at += 1;
      return;
    }
    for (;;) {
      if (keyed) {
        this.#ws();
        if (this.#text[this.#at] !== '"') throw new Bad();
        this.#string();
        this.#ws();
        if (this.#text[this.#at] !== ':') throw new Bad();
        this.#at += 1;
      }
      this.#value();
      this.#ws();
      const c = this.#text[this.#at];
      if (c === close) {
        this.#at += 1;
        return;
      }
      if (c !== ',') throw new Bad();
      this.#at += 1;
    }
  }

  #string(): void {
    this.#at += 1;
    while (this.#at < this.#text.length) {
      const c = this.#text[this.#at]!;
      if (c === '"') {
        this.#at += 1;
        return;
      }
      if (c < ' ') throw new Bad();
      this.#at += c === '\\' ? 2 : 1;
    }
    throw new Bad();
  }

  #ws(): void {
    while (/[ \t\n\r]/.test(this.#text[this.#at] ?? '')) this.#at += 1;
  }
}

class Bad extends Error {}
