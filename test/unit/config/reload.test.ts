/**
 * SIGHUP reload: log level and retention age are applied in place, other
 * changes are named as needing a restart, a broken config is refused and the
 * running one kept; a level change reaches every existing child logger.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DaemonOptions } from '../../../daemon/cli/daemon.js';
import { reloadDaemonConfig } from '../../../daemon/config/reload.js';
import { createRootLogger, setLogLevel } from '../../../daemon/logger.js';

const base: DaemonOptions = { home: '/h', socket: undefined, logLevel: 'info', promptText: 'keep', collectors: 'all', collectorFlags: {} };
const quiet = pino({ level: 'silent' });

function targets() {
  const calls: string[] = [];
  return { calls, setLogLevel: (l: string) => void calls.push(`level ${l}`), setRetentionDays: (d: number | undefined) => void calls.push(`days ${d}`) };
}

describe('config reload', () => {
  it('applies log level and retention, and names start-only changes', () => {
    const t = targets();
    const out = reloadDaemonConfig(base, () => ({ ...base, logLevel: 'debug', retentionDays: 7, collectorFlags: { 'otlp-http': 'off' } }), t, quiet);
    expect(t.calls).toEqual(['level debug', 'days 7']);
    expect(out).toMatchObject({ applied: ['log-level', 'retention-days'], needsRestart: ['otlp-http'], error: null });
    // Start-only settings keep their running values.
    expect(out.options.collectorFlags).toEqual({});
    expect(out.options.logLevel).toBe('debug');
  });

  it('names a changed log file as needing a restart, by its flag', () => {
    const out = reloadDaemonConfig(base, () => ({ ...base, logFile: '/var/log/dossier.log', home: '/other', eventCache: 0 }), targets(), quiet);
    expect(out.needsRestart).toEqual(['home', 'log-file', 'event-cache']);
    expect(out.options.logFile).toBeUndefined();
  });

  it('names a changed prompt-text setting as needing a restart and keeps the running one', () => {
    const out = reloadDaemonConfig(base, () => ({ ...base, promptText: 'drop' }), targets(), quiet);
    expect(out).toMatchObject({ applied: [], needsRestart: ['prompt-text'], error: null });
    expect(out.options.promptText).toBe('keep');
  });

  it('does nothing when nothing changed, and resets retention to the default when its setting goes away', () => {
    const t = targets();
    expect(reloadDaemonConfig(base, () => ({ ...base }), t, quiet).applied).toEqual([]);
    expect(t.calls).toEqual([]);
    reloadDaemonConfig({ ...base, retentionDays: 7 }, () => ({ ...base }), t, quiet);
    expect(t.calls).toEqual(['days undefined']);
  });

  it('refuses a config that no longer validates and keeps the running one', () => {
    const t = targets();
    const out = reloadDaemonConfig(base, () => {
      throw new Error('log-level: must be one of … (got "loud")');
    }, t, quiet);
    expect(out.options).toBe(base);
    expect(out.error).toMatch(/got "loud"/);
    expect(t.calls).toEqual([]);
  });
});

describe('setLogLevel', () => {
  it('reaches children and grandchildren made before the change', () => {
    const root = createRootLogger('info');
    const child = root.child({ component: 'a' });
    const grandchild = child.child({ part: 'b' });
    setLogLevel(root, 'debug');
    expect([root.level, child.level, grandchild.level]).toEqual(['debug', 'debug', 'debug']);
    setLogLevel(root, 'warn');
    expect(grandchild.isLevelEnabled('info')).toBe(false);
  });
});
