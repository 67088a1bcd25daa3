/**
 * Deterministic filler for generated transcripts: a seeded PRNG and pools of
 * code-like and prose-like text already JSON-escaped, so the generator can
 * write gigabytes quickly while the bytes look like what Claude Code stores
 * (source files with quotes, tabs and newlines; some non-ASCII characters).
 */
import { seededRandom } from '../../test/support/seeded-random.js';

/** The shared seeded PRNG with the helpers the generator draws with. Same seed, same sequence. */
export class Rng {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Log-normal-ish size around `median`, clamped to [lo, hi]. */
  size(median: number, lo: number, hi: number): number {
    const u = Math.max(1e-9, this.next());
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(lo, Math.min(hi, Math.round(median * Math.exp(z * 0.9))));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** A random UUID v4 string. */
  uuid(): string {
    const h = (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) s += ((this.next() * 16) | 0).toString(16);
      return s;
    };
    return `${h(8)}-${h(4)}-4${h(3)}-${this.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
  }

  /** A base62-ish id of `n` characters (message, request and tool ids). */
  id(n: number): string {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += abc[(this.next() * abc.length) | 0];
    return s;
  }
}

const WORDS = [
  'const', 'return', 'function', 'if', 'else', 'await', 'import', 'export', 'value', 'result', 'session',
  'transcript', 'error', 'config', 'options', 'buffer', 'offset', 'length', 'index', 'items', 'map', 'filter',
  'the', 'a', 'to', 'of', 'and', 'in', 'is', 'for', 'with', 'this', 'that', 'file', 'line', 'test', 'expect',
];
const PUNCT = ['(', ')', '{', '}', ';', '.', ',', ' = ', ' => ', '"', "'", ': ', '[', ']', ' + ', '\t'];
const UNICODE = ['—', 'é', '✓', '→', 'ü', '…'];

function codeText(rng: Rng, chars: number, nonAscii: boolean): string {
  const parts: string[] = [];
  let n = 0;
  let col = 0;
  while (n < chars) {
    const w = rng.chance(0.3) ? rng.pick(PUNCT) : `${rng.pick(WORDS)} `;
    parts.push(w);
    n += w.length;
    col += w.length;
    if (col > 60 + rng.int(0, 40)) {
      parts.push('\n');
      n++;
      col = 0;
    }
    if (nonAscii && rng.chance(0.002)) parts.push(rng.pick(UNICODE));
  }
  return parts.join('');
}

/** JSON-escaped strings (without surrounding quotes) of many sizes, drawn by approximate length. */
export class TextPool {
  readonly #buckets: string[][] = [];
  static readonly SIZES = [40, 120, 400, 1200, 4000, 12_000, 40_000, 120_000];

  constructor(rng: Rng) {
    for (const size of TextPool.SIZES) {
      const list: string[] = [];
      for (let i = 0; i < 12; i++) list.push(JSON.stringify(codeText(rng, size, rng.chance(0.25))).slice(1, -1));
      this.#buckets.push(list);
    }
  }

  /** An escaped text of roughly `chars` characters (nearest bucket at or above). */
  text(rng: Rng, chars: number): string {
    let i = TextPool.SIZES.findIndex((s) => s >= chars);
    if (i < 0) i = TextPool.SIZES.length - 1;
    return rng.pick(this.#buckets[i]!);
  }
}
