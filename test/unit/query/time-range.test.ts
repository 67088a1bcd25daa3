import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant, resolveRange } from '../../../core/query/time-range.js';
import { ZoneCalendar } from '../../../core/query/time-zone.js';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const H = 3_600_000;

describe('ZoneCalendar', () => {
  it('finds the first instant of a day across DST changes and skipped midnights', () => {
    const ny = new ZoneCalendar('America/New_York');
    expect(ny.startOfDay({ year: 2026, month: 3, day: 8 })).toBe(Date.UTC(2026, 2, 8, 5));
    expect(ny.startOfDay({ year: 2026, month: 3, day: 9 })).toBe(Date.UTC(2026, 2, 9, 4));
    expect(ny.startOfDay({ year: 2026, month: 11, day: 1 })).toBe(Date.UTC(2026, 10, 1, 4));
    expect(ny.startOfDay({ year: 2026, month: 11, day: 2 })).toBe(Date.UTC(2026, 10, 2, 5));
    // Santiago skips 00:00-01:00 when DST starts (first Sunday of September 2026).
    const santiago = new ZoneCalendar('America/Santiago');
    const start = santiago.startOfDay({ year: 2026, month: 9, day: 6 });
    expect(santiago.dayKey(start)).toBe('2026-09-06');
    expect(santiago.dayKey(start - 1)).toBe('2026-09-05');
  });

  it('gives the calendar day of an instant in the zone', () => {
    expect(new ZoneCalendar('Asia/Tokyo').dayKey(Date.UTC(2026, 10, 20, 15, 0))).toBe('2026-11-21');
    expect(new ZoneCalendar('Asia/Tokyo').dayKey(Date.UTC(2026, 10, 20, 14, 59))).toBe('2026-11-20');
    expect(new ZoneCalendar('UTC').dayKey(Date.UTC(2026, 0, 1))).toBe('2026-01-01');
  });
});

describe('resolveRange', () => {
  const utc = new ZoneCalendar('UTC');
  const kolkata = new ZoneCalendar('Asia/Kolkata');
  it('resolves every name at a fixed now', () => {
    expect(resolveRange('today', NOW, utc)).toEqual({ since: Date.UTC(2026, 10, 21), until: null });
    expect(resolveRange('yesterday', NOW, utc)).toEqual({ since: Date.UTC(2026, 10, 20), until: Date.UTC(2026, 10, 21) });
    expect(resolveRange('7d', NOW, utc)).toEqual({ since: NOW - 7 * 24 * H, until: null });
    expect(resolveRange('30d', NOW, utc)).toEqual({ since: NOW - 30 * 24 * H, until: null });
    expect(resolveRange('thismonth', NOW, utc)).toEqual({ since: Date.UTC(2026, 10, 1), until: null });
    expect(resolveRange('lastmonth', NOW, utc)).toEqual({ since: Date.UTC(2026, 9, 1), until: Date.UTC(2026, 10, 1) });
    expect(resolveRange('all', NOW, utc)).toEqual({ since: null, until: null });
    expect(resolveRange('today', NOW, kolkata)).toEqual({ since: Date.UTC(2026, 10, 21) - 5.5 * H, until: null });
  });

  it('lastmonth in January is December of the year before', () => {
    expect(resolveRange('lastmonth', Date.UTC(2027, 0, 15), utc)).toEqual({ since: Date.UTC(2026, 11, 1), until: Date.UTC(2027, 0, 1) });
  });
});

describe('parseInstant and parseDuration', () => {
  const paris = new ZoneCalendar('Europe/Paris');
  it('reads every documented form', () => {
    expect(parseInstant('1700000000000', NOW, paris)).toBe(1_700_000_000_000);
    expect(parseInstant('2h', NOW, paris)).toBe(NOW - 2 * H);
    expect(parseInstant('2026-11-21', NOW, paris)).toBe(Date.UTC(2026, 10, 20, 23));
    expect(parseInstant('2026-07-01', NOW, paris)).toBe(Date.UTC(2026, 5, 30, 22));
    expect(parseInstant('2026-11-21T10:30:00Z', NOW, paris)).toBe(Date.UTC(2026, 10, 21, 10, 30));
    expect(parseInstant('2026-11-21T10:30:00.250+02:00', NOW, paris)).toBe(Date.UTC(2026, 10, 21, 8, 30, 0, 250));
    expect(parseInstant('2026-11-21T10:30', NOW, paris)).toBe(Date.UTC(2026, 10, 21, 9, 30));
  });

  it('refuses what is not a real instant', () => {
    for (const bad of ['', 'yesterday', '2026-02-30', '2026-13-01', '2026-11-21T25:00Z', '21/11/2026', '-5', '2h ago']) {
      expect(parseInstant(bad, NOW, paris), bad).toBeNull();
    }
  });

  it('reads durations with units and refuses others', () => {
    expect(parseDuration('1500')).toBe(1500);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1.5h')).toBe(1.5 * H);
    expect(parseDuration('2w')).toBe(14 * 24 * H);
    for (const bad of ['', 'h', '-1s', '5y', '1 h']) expect(parseDuration(bad), bad).toBeNull();
  });
});
