/**
 * Loads the optional native line scanner (native/transcript-scan.c, built by
 * node-gyp on `npm ci` into build/Release). It finds the structure of a
 * transcript line in C, where skipping a large string or object is a memchr
 * and not a JS loop; line-spans.ts turns its output into the same
 * `TranscriptLine` the JS scanner (line-fields.ts) returns. When the addon
 * is missing (no compiler at install time) the JS scanner does the work.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DossierError } from '../../schema/errors.js';
import { SKIP_REST_TYPES } from './line-fields.js';

/** The addon's interface; see native/transcript-scan.c. */
export interface NativeScanner {
  /**
   * Scans bytes `[start, end)` of `buffer` as one line into `out` as
   * (field, start, end) triples; returns the int32s written, -1 when the line
   * is malformed where it had to be read, -2 when the JS scanner must read it.
   */
  scanLine(buffer: Uint8Array, start: number, end: number, out: Int32Array): number;
  configure(skipTypes: readonly string[]): void;
}

/** A line scanner: the native addon or the JS one (line-fields.ts). */
export type LineScanner = 'native' | 'js';

/** The values `transcripts.scanner` takes: `auto` is the native scanner when it is built. */
export const SCANNER_CHOICES = ['auto', 'native', 'js'] as const satisfies readonly ('auto' | LineScanner)[];

/** Which scanner reads transcript lines; see {@link SCANNER_CHOICES}. */
export type ScannerChoice = (typeof SCANNER_CHOICES)[number];

/** True when `value` is one of {@link SCANNER_CHOICES}. */
export function isScannerChoice(value: unknown): value is ScannerChoice {
  return (SCANNER_CHOICES as readonly unknown[]).includes(value);
}

const ADDON = 'build/Release/transcript_scan.node';

/** The package root holding `build/`: two levels above this file in the sources, three in `dist/`. */
function addonPath(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const candidate = resolve(here, up, ADDON);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

let loaded: { scanner: NativeScanner | null; error: string | null } | undefined;

/**
 * The native scanner, configured, or null with the reason it is unavailable.
 * Loads once per thread (a worker loads its own instance).
 */
export function loadNativeScanner(): { scanner: NativeScanner | null; error: string | null } {
  if (loaded !== undefined) return loaded;
  const path = addonPath();
  if (path === null) {
    loaded = { scanner: null, error: `${ADDON} is not built (npm ci builds it with node-gyp)` };
    return loaded;
  }
  try {
    const scanner = createRequire(import.meta.url)(path) as NativeScanner;
    scanner.configure([...SKIP_REST_TYPES]);
    loaded = { scanner, error: null };
  } catch (err) {
    loaded = { scanner: null, error: `${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return loaded;
}

/** The native scanner; throws `DOSSIER_E_CONFIG_INVALID` with the reason when it cannot load. */
export function requireNativeScanner(): NativeScanner {
  const { scanner, error } = loadNativeScanner();
  if (scanner === null) throw new DossierError('DOSSIER_E_CONFIG_INVALID', `transcripts.scanner: native, but the native scanner is unavailable (${error})`);
  return scanner;
}

/**
 * Resolves a configured choice to the scanner to use: `native` insists on
 * the addon (throws with the reason when it cannot load), `auto` falls back
 * to `js`.
 */
export function resolveScanner(choice: ScannerChoice): LineScanner {
  if (choice === 'js') return 'js';
  if (choice === 'native') {
    requireNativeScanner();
    return 'native';
  }
  return loadNativeScanner().scanner === null ? 'js' : 'native';
}
