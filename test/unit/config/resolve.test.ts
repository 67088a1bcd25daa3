/**
 * Config precedence and validation: defaults < file < environment < flags,
 * every value's source recorded, unknown keys and bad values refused as
 * `key: reason (got value)` naming where they were set.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layeredOptions } from '../../../daemon/cli/daemon.js';
import { COLLECTORS } from '../../../daemon/components.js';
import { configKeys, envNameOf } from '../../../daemon/config/keys.js';
import { configFilePath, resolveConfig } from '../../../daemon/config/resolve.js';
import { DEFAULT_EVENT_CACHE_EVENTS } from '../../../daemon/event-cache-flag.js';
import { tempDirsPerTest } from '../../support/temp-dirs.js';

const tempDir = tempDirsPerTest('dsr-cfg-');

function configFile(content: unknown): { dir: string; path: string } {
  const dir = tempDir();
  const path = join(dir, 'config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return { dir, path };
}

const source = (r: ReturnType<typeof resolveConfig>, key: string) => r.settings.find((s) => s.key.name === key)!;

describe('config keys', () => {
  it('every daemon flag, collectors\' included, is a key with an environment name', () => {
    const names = configKeys(COLLECTORS).map((k) => k.name);
    for (const name of ['home', 'socket', 'log-level', 'collectors', 'retention-days', 'otlp-http', 'claude-dir', 'claude-dirs-only', 'prompt-text']) expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
    expect(envNameOf('otlp-http')).toBe('DOSSIER_OTLP_HTTP');
    expect(envNameOf('prompt-text')).toBe('DOSSIER_PROMPT_TEXT');
    expect(names).not.toContain('keep-prompt-text');
  });

  it('finds the file: --config, then DOSSIER_CONFIG, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(configFilePath('/a.json', { DOSSIER_CONFIG: '/b.json' })).toEqual({ path: '/a.json', explicit: true });
    expect(configFilePath(undefined, { DOSSIER_CONFIG: '/b.json' })).toEqual({ path: '/b.json', explicit: true });
    expect(configFilePath(undefined, { XDG_CONFIG_HOME: '/x' })).toEqual({ path: '/x/dossier/config.json', explicit: false });
    expect(configFilePath(undefined, {}, '/home/u')).toEqual({ path: '/home/u/.config/dossier/config.json', explicit: false });
  });
});

describe('precedence', () => {
  it('flags win over the environment, which wins over the file, which wins over defaults', () => {
    const { path } = configFile({ 'log-level': 'warn', 'retention-days': 30, 'otlp-http': '127.0.0.1:5318', 'claude-dir': ['/c1', '/c2'], 'claude-dirs-only': true });
    const env = { DOSSIER_CONFIG: path, DOSSIER_LOG_LEVEL: 'error', DOSSIER_RETENTION_DAYS: '60' };
    const r = resolveConfig({ argv: ['--log-level', 'debug'], env, plans: COLLECTORS });
    expect(source(r, 'log-level')).toMatchObject({ value: 'debug', source: { kind: 'flag' } });
    expect(source(r, 'retention-days')).toMatchObject({ value: '60', source: { kind: 'env', variable: 'DOSSIER_RETENTION_DAYS' } });
    expect(source(r, 'otlp-http')).toMatchObject({ value: '127.0.0.1:5318', source: { kind: 'file', path } });
    expect(source(r, 'claude-dir').value).toEqual(['/c1', '/c2']);
    expect(source(r, 'collectors')).toMatchObject({ value: 'all', source: { kind: 'default' } });
    expect(source(r, 'otlp-grpc')).toMatchObject({ value: null, source: { kind: 'default' } });

    const options = layeredOptions(['--log-level', 'debug'], env);
    expect(options.logLevel).toBe('debug');
    expect(options.retentionDays).toBe(60);
    expect(options.collectorFlags).toMatchObject({ 'otlp-http': '127.0.0.1:5318', 'claude-dir': ['/c1', '/c2'], 'claude-dirs-only': true });
  });

  it('prompt-text defaults to keep and comes from the file, then the environment, then the flag', () => {
    const empty = tempDir();
    const defaults = resolveConfig({ argv: [], env: { XDG_CONFIG_HOME: empty }, plans: COLLECTORS });
    expect(source(defaults, 'prompt-text')).toMatchObject({ value: 'keep', source: { kind: 'default' } });
    expect(layeredOptions([], { XDG_CONFIG_HOME: empty }).promptText).toBe('keep');

    const { path } = configFile({ 'prompt-text': 'drop' });
    const fromFile = resolveConfig({ argv: [], env: { DOSSIER_CONFIG: path }, plans: COLLECTORS });
    expect(source(fromFile, 'prompt-text')).toMatchObject({ value: 'drop', source: { kind: 'file', path } });
    expect(layeredOptions([], { DOSSIER_CONFIG: path }).promptText).toBe('drop');

    const env = { DOSSIER_CONFIG: path, DOSSIER_PROMPT_TEXT: 'keep' };
    expect(source(resolveConfig({ argv: [], env, plans: COLLECTORS }), 'prompt-text')).toMatchObject({ value: 'keep', source: { kind: 'env', variable: 'DOSSIER_PROMPT_TEXT' } });
    expect(layeredOptions([], env).promptText).toBe('keep');

    const flagged = resolveConfig({ argv: ['--prompt-text', 'drop'], env, plans: COLLECTORS });
    expect(source(flagged, 'prompt-text')).toMatchObject({ value: 'drop', source: { kind: 'flag' } });
    expect(layeredOptions(['--prompt-text', 'drop'], env).promptText).toBe('drop');
  });

  it('event-cache is unset by default (the store default applies) and comes from the file, the environment or the flag', () => {
    const empty = tempDir();
    expect(source(resolveConfig({ argv: [], env: { XDG_CONFIG_HOME: empty }, plans: COLLECTORS }), 'event-cache')).toMatchObject({ value: String(DEFAULT_EVENT_CACHE_EVENTS), source: { kind: 'default' } });
    expect(layeredOptions([], { XDG_CONFIG_HOME: empty }).eventCache).toBeUndefined();
    const { path } = configFile({ 'event-cache': '10000' });
    expect(layeredOptions([], { DOSSIER_CONFIG: path }).eventCache).toBe(10_000);
    expect(layeredOptions([], { DOSSIER_CONFIG: path, DOSSIER_EVENT_CACHE: '0' }).eventCache).toBe(0);
    expect(layeredOptions(['--event-cache', '250000'], { DOSSIER_CONFIG: path }).eventCache).toBe(250_000);
    expect(() => layeredOptions(['--event-cache', '1e5'], {})).toThrow('--event-cache: must be a whole number of events from 0 to 5000000 (got "1e5")');
    expect(() => layeredOptions([], { DOSSIER_EVENT_CACHE: '9999999' })).toThrow(/event-cache: .*\(got "9999999"\) \[from env DOSSIER_EVENT_CACHE\]/);
  });

  it('a collector value the collector itself refuses (a non-loopback OTLP address) is blamed on where it was set', () => {
    const { path } = configFile({ 'otlp-http': '0.0.0.0:4318' });
    expect(() => layeredOptions([], { DOSSIER_CONFIG: path })).toThrow(new RegExp(`otlp-http: .*loopback.* \\[from file ${path}\\]`));
    expect(() => layeredOptions([], { DOSSIER_OTLP_GRPC: '10.0.0.1:4317' })).toThrow(/otlp-grpc: .*loopback.* \[from env DOSSIER_OTLP_GRPC\]/);
    expect(() => layeredOptions(['--otlp-http', '0.0.0.0:4318'], {})).toThrow(/--otlp-http: .*loopback/);
    // A collector left out is not checked: its flags are not used.
    expect(layeredOptions(['--collectors', 'transcripts'], { DOSSIER_CONFIG: path }).collectorFlags).toMatchObject({ 'otlp-http': '0.0.0.0:4318' });
  });

  it('an environment boolean can turn off what the file turned on; lists split on commas', () => {
    const { path } = configFile({ 'claude-dirs-only': true });
    const options = layeredOptions([], { DOSSIER_CONFIG: path, DOSSIER_CLAUDE_DIRS_ONLY: 'false', DOSSIER_CLAUDE_DIR: '/a, /b' });
    expect(options.collectorFlags['claude-dirs-only']).toBeUndefined();
    expect(options.collectorFlags['claude-dir']).toEqual(['/a', '/b']);
  });

  it('no file at the default place is fine; empty variables count as unset', () => {
    const dir = tempDir();
    const options = layeredOptions([], { XDG_CONFIG_HOME: dir, DOSSIER_LOG_LEVEL: '' });
    expect(options.logLevel).toBe('info');
  });
});

describe('validation', () => {
  it('refuses an unknown key, naming it, its value and the file', () => {
    const { path } = configFile({ 'log-levle': 'debug' });
    expect(() => resolveConfig({ argv: [], env: { DOSSIER_CONFIG: path }, plans: COLLECTORS })).toThrow(`log-levle: unknown key in ${path} (got "debug")`);
  });

  it('refuses values of the wrong type in the file and in the environment', () => {
    const bool = configFile({ 'claude-dirs-only': 'yes' });
    expect(() => resolveConfig({ argv: [], env: { DOSSIER_CONFIG: bool.path }, plans: COLLECTORS })).toThrow(`claude-dirs-only: must be true or false in ${bool.path} (got "yes")`);
    const obj = configFile({ 'otlp-http': { host: 'x' } });
    expect(() => resolveConfig({ argv: [], env: { DOSSIER_CONFIG: obj.path }, plans: COLLECTORS })).toThrow(/otlp-http: must be a non-empty string or a number in .* \(got \{"host":"x"\}\)/);
    expect(() => resolveConfig({ argv: [], env: { DOSSIER_CLAUDE_DIRS_ONLY: 'maybe' }, plans: COLLECTORS })).toThrow('claude-dirs-only: must be true or false in DOSSIER_CLAUDE_DIRS_ONLY (got "maybe")');
  });

  it('refuses a file that is not a JSON object, and a named file that is missing', () => {
    const broken = configFile('{ "log-level": ');
    expect(() => resolveConfig({ argv: [], env: { DOSSIER_CONFIG: broken.path }, plans: COLLECTORS })).toThrow(/not valid JSON/);
    const list = configFile([1]);
    expect(() => resolveConfig({ argv: [], env: { DOSSIER_CONFIG: list.path }, plans: COLLECTORS })).toThrow(/must be a JSON object of settings \(got \[1\]\)/);
    expect(() => resolveConfig({ argv: ['--config', '/nonexistent/dossier.json'], env: {}, plans: COLLECTORS })).toThrow(/cannot read the config file \(ENOENT\)/);
  });

  it('a bad value from the file or environment names the key, the reason, the value and its origin', () => {
    const { path } = configFile({ 'log-level': 'loud' });
    expect(() => layeredOptions([], { DOSSIER_CONFIG: path })).toThrow(new RegExp(`log-level: must be one of .* \\(got "loud"\\) \\[from file ${path}\\]`));
    expect(() => layeredOptions([], { DOSSIER_RETENTION_DAYS: '-3' })).toThrow(/retention-days: .*\(got "-3"\) \[from env DOSSIER_RETENTION_DAYS\]/);
    expect(() => layeredOptions([], { DOSSIER_PROMPT_TEXT: 'maybe' })).toThrow('prompt-text: must be one of keep, drop (got "maybe") [from env DOSSIER_PROMPT_TEXT]');
    const bad = configFile({ 'prompt-text': 'maybe' });
    expect(() => layeredOptions([], { DOSSIER_CONFIG: bad.path })).toThrow(`prompt-text: must be one of keep, drop (got "maybe") [from file ${bad.path}]`);
    expect(() => layeredOptions(['--prompt-text', 'maybe'], {})).toThrow('--prompt-text: must be one of keep, drop (got "maybe")');
    // Typed on the command line it stays a usage error about the flag.
    expect(() => layeredOptions(['--log-level', 'loud'], {})).toThrow(/--log-level: must be one of/);
  });

  it('an unknown flag is a usage error', () => {
    expect(() => resolveConfig({ argv: ['--no-such-flag'], env: {}, plans: COLLECTORS })).toThrow(/Unknown option '--no-such-flag'/);
  });
});
