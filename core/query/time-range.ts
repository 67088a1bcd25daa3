/**
 * Time values in queries: named ranges (`today`, `7d`, `lastmonth`, …),
 * instants (`2026-11-21`, ISO date-times, epoch ms, `2h` ago) and durations
 * (`90s`, `30m`, `2h`, `1d`, or ms). Parsers return null for a value they
 * cannot read, so the caller names the parameter in its error.
 */
import { RANGE_NAMES, type RangeName } from '../../schema/api.js';
import { ZoneCalendar } from './time-zone.js';

export { RANGE_NAMES, type RangeName };

/** A half-open interval [since, until) of ms; null: unbounded on that side. */
export interface TimeRange {
  since: number | null;
  until: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/** The interval a range name covers at `now`, with days and months of `calendar`'s zone. */
export function resolveRange(name: RangeName, now: number, calendar: ZoneCalendar): TimeRange {
  const today = calendar.partsOf(now);
  const midnight = (dayOffset: number): number => calendar.startOfDay({ year: today.year, month: today.month, day: today.day + dayOffset });
  const firstOfMonth = (monthOffset: number): number => calendar.startOfDay({ year: today.year, month: today.month + monthOffset, day: 1 });
  switch (name) {
    case 'today':
      return { since: midnight(0), until: null };
    case 'yesterday':
      return { since: midnight(-1), until: midnight(0) };
    case '7d':
      return { since: now - 7 * DAY_MS, until: null };
    case '30d':
      return { since: now - 30 * DAY_MS, until: null };
    case 'thismonth':
      return { since: firstOfMonth(0), until: null };
    case 'lastmonth':
      return { since: firstOfMonth(-1), until: firstOfMonth(0) };
    case 'all':
      return { since: null, until: null };
  }
}

/**
 * A duration in ms: a non-negative integer of ms, or a number with a unit
 * `ms`, `s`, `m`, `h`, `d`, `w` (`90s`, `1.5h`). Null when unreadable.
 */
export function parseDuration(text: string): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const match = /^(\d{1,9}(?:\.\d{1,6})?)(ms|s|m|h|d|w)$/.exec(text);
  if (!match) return null;
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}

/**
 * An instant in ms: epoch ms (digits), a duration meaning that long before
 * `now` (`2h`, `7d`), a date `YYYY-MM-DD` (its midnight in `calendar`'s zone),
 * or an ISO 8601 date-time with `Z` or an offset (a date-time without one is
 * read in `calendar`'s zone). Null when unreadable or not a real date.
 */
export function parseInstant(text: string, now: number, calendar: ZoneCalendar): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const ago = /^\d/.test(text) && !text.includes('-') ? parseDuration(text) : null;
  if (ago !== null) return now - ago;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!isRealDate(year, month, day)) return null;
    return calendar.startOfDay({ year, month, day });
  }
  const dateTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!dateTime) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(dateTime[i]));
  const second = Number(dateTime[6] ?? 0);
  const ms = Number((dateTime[7] ?? '0').padEnd(3, '0'));
  if (!isRealDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second > 59) return null;
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second, ms);
  const zone = dateTime[8];
  if (zone === undefined) return wall - calendar.offsetAt(wall - calendar.offsetAt(wall));
  if (zone === 'Z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
