/**
 * Choosing the transcript line scanner: the flag and config value, what
 * `auto` resolves to when the addon is built (as `npm ci` builds it), and
 * the collector reporting the scanner it runs, with either one reading the
 * same events.
 */
import { describe, expect, it } from 'vitest';
import { isDossierError } from '../../../schema/index.js';
import { defaultTranscriptsConfig, validateTranscriptsConfig } from '../../../collectors/transcripts/config.js';
import { loadNativeScanner, resolveScanner } from '../../../collectors/transcripts/native-scanner.js';
import { transcriptsEntry } from '../../../daemon/flags/transcripts.js';
import { harnessesPerTest, makeCollector, tempRoot } from './support/harness.js';

const context = { env: {}, home: '/tmp/h', promptText: 'keep' as const };

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isDossierError(err, 'DOSSIER_E_CONFIG_INVALID')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected a DOSSIER_E_CONFIG_INVALID error');
}

describe('transcripts scanner choice', () => {
  const track = harnessesPerTest();

  it('defaults to auto; --transcripts-scanner sets it and refuses other values, naming the flag', () => {
    expect(defaultTranscriptsConfig().scanner).toBe('auto');
    expect(transcriptsEntry.configure(defaultTranscriptsConfig(), { 'transcripts-scanner': 'js' }, context).scanner).toBe('js');
    expect(transcriptsEntry.configure(defaultTranscriptsConfig(), { 'transcripts-scanner': 'native' }, context).scanner).toBe('native');
    expect(configError(() => transcriptsEntry.configure(defaultTranscriptsConfig(), { 'transcripts-scanner': 'fast' }, context))).toMatch(/--transcripts-scanner: must be auto, native or js \(got "fast"\)/);
    expect(configError(() => validateTranscriptsConfig({ ...defaultTranscriptsConfig(), scanner: 'simd' as never }))).toMatch(/transcripts\.scanner/);
  });

  it('auto resolves to the native scanner once it is built, js stays js', () => {
    expect(loadNativeScanner().error).toBeNull();
    expect(resolveScanner('auto')).toBe('native');
    expect(resolveScanner('native')).toBe('native');
    expect(resolveScanner('js')).toBe('js');
  });

  it('the collector reports its scanner, and both read the same events', async () => {
    const keys: Record<string, string[]> = {};
    for (const scanner of ['js', 'native'] as const) {
      const h = track(makeCollector(tempRoot('h-extras'), { scanner, reader: 'inline' }));
      await h.collector.start();
      await h.sink.until(() => h.collector.status().phase === 'live', 'backfill');
      expect(h.collector.status().scanner).toBe(scanner);
      keys[scanner] = [...h.sink.events.keys()].sort();
    }
    expect(keys.js!.length).toBeGreaterThan(10);
    expect(keys.native).toEqual(keys.js);
  });
});
