import { describe, expect, it } from 'vitest';
import { DossierError } from '../../../../schema/index.js';
import { parseDaemonArgs } from '../../../../daemon/cli/daemon.js';
import * as events from '../../../../daemon/cli/events.js';
import * as ls from '../../../../daemon/cli/ls.js';
import * as rebuild from '../../../../daemon/cli/rebuild.js';
import * as show from '../../../../daemon/cli/show.js';
import * as status from '../../../../daemon/cli/status.js';
import { collector, type CollectorPlan } from '../../../../daemon/components.js';

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DossierError);
    expect((error as DossierError).code).toBe('DOSSIER_E_CLI_USAGE');
    return (error as DossierError).message;
  }
  throw new Error('expected a usage error');
}

describe('ls parse', () => {
  it('has defaults', () => {
    expect(ls.parse([])).toEqual({ filters: {}, sort: undefined, asc: false, limit: 50, json: false, socket: undefined, home: undefined });
  });

  it('reads every option', () => {
    expect(ls.parse(['--all', '--status', 'busy,waiting', '--limit', '7', '--json', '--socket', '/s.sock', '--home', '/h', '--sort', 'cost', '--asc', '-q', 'fix'])).toEqual({
      filters: { all: true, status: 'busy,waiting', search: 'fix' },
      sort: 'cost',
      asc: true,
      limit: 7,
      json: true,
      socket: '/s.sock',
      home: '/h',
    });
  });

  it('refuses bad values and unknown options, naming them', () => {
    expect(usageMessage(() => ls.parse(['--status', 'busy,asleep']))).toContain('--status: unknown value "asleep"');
    expect(usageMessage(() => ls.parse(['--limit', 'ten']))).toContain('--limit: must be an integer');
    expect(usageMessage(() => ls.parse(['--limit', '0']))).toContain('--limit');
    expect(usageMessage(() => ls.parse(['--colour']))).toContain('unknown option --colour');
    expect(usageMessage(() => ls.parse(['extra']))).toContain('unexpected argument "extra"');
  });
});

describe('show and events parse', () => {
  it('need exactly one id', () => {
    expect(show.parse(['abc', '--json'])).toMatchObject({ id: 'abc', json: true });
    expect(usageMessage(() => show.parse([]))).toContain('missing <id>');
    expect(usageMessage(() => show.parse(['a', 'b']))).toContain('unexpected argument "b"');
  });

  it('events reads kind and source lists against the schema', () => {
    expect(events.parse(['abc', '--kind', 'tool.called,api.request', '--source', 'hook'])).toMatchObject({
      id: 'abc',
      kind: ['tool.called', 'api.request'],
      source: ['hook'],
      json: false,
    });
    expect(usageMessage(() => events.parse(['abc', '--kind', 'tool.exploded']))).toContain('--kind: unknown value "tool.exploded"');
    expect(usageMessage(() => events.parse(['abc', '--source', 'email']))).toContain('--source: unknown value "email"');
  });

  it('status and rebuild take only --json (rebuild also --rescan) and the connection flags', () => {
    expect(status.parse(['--json'])).toEqual({ json: true, socket: undefined, home: undefined });
    expect(rebuild.parse([])).toEqual({ json: false, rescan: false, socket: undefined, home: undefined });
    expect(rebuild.parse(['--rescan', '--json'])).toMatchObject({ json: true, rescan: true });
    expect(usageMessage(() => status.parse(['now']))).toContain('unexpected argument');
  });
});

describe('daemon parse', () => {
  const fakeCollector: CollectorPlan = collector<{ port: number; enabled: boolean }>({
    factory: {
      type: 'fake',
      stability: 'development',
      defaultConfig: () => ({ port: 4318, enabled: true }),
      create: () => ({ start: async () => {}, shutdown: async () => {} }),
    },
    flags: { 'fake-port': { type: 'string', description: 'port', valueName: 'PORT' }, 'fake-off': { type: 'boolean', description: 'off' } },
    configure: (defaults, flags) => ({ port: flags['fake-port'] === undefined ? defaults.port : Number(flags['fake-port']), enabled: flags['fake-off'] !== true }),
  });

  it('has defaults', () => {
    expect(parseDaemonArgs([], [])).toEqual({ home: undefined, socket: undefined, logLevel: 'info', promptText: 'keep', collectors: 'all', collectorFlags: {} });
  });

  it('reads the base flags and the collector list', () => {
    expect(parseDaemonArgs(['--home', '/h', '--socket', '/s', '--log-level', 'debug', '--collectors', 'a,b'], [])).toMatchObject({
      home: '/h',
      socket: '/s',
      logLevel: 'debug',
      collectors: ['a', 'b'],
    });
    expect(parseDaemonArgs(['--collectors', 'none'], []).collectors).toEqual([]);
  });

  it('offers each collector its own flags and passes their values through', () => {
    const opts = parseDaemonArgs(['--fake-port', '9999', '--fake-off'], [fakeCollector]);
    expect(opts.collectorFlags).toEqual({ 'fake-port': '9999', 'fake-off': true });
    const prepared = fakeCollector.prepare(opts.collectorFlags, { env: {}, home: '/h', promptText: opts.promptText });
    expect(prepared.type).toBe('fake');
    expect(usageMessage(() => parseDaemonArgs(['--fake-port', '1'], []))).toContain('unknown option --fake-port');
  });

  it('refuses an unknown log level', () => {
    expect(usageMessage(() => parseDaemonArgs(['--log-level', 'loud'], []))).toContain('--log-level: must be one of');
  });

  it('reads --prompt-text keep or drop and refuses anything else', () => {
    expect(parseDaemonArgs(['--prompt-text', 'drop'], []).promptText).toBe('drop');
    expect(parseDaemonArgs(['--prompt-text', 'keep'], []).promptText).toBe('keep');
    expect(usageMessage(() => parseDaemonArgs(['--prompt-text', 'maybe'], []))).toContain('--prompt-text: must be one of keep, drop (got "maybe")');
  });
});
