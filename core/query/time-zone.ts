/**
 * Calendar arithmetic in a named IANA time zone, with nothing but `Intl`:
 * the calendar day of an instant, and the instant a calendar day begins.
 * Stats group by the user's day, and named ranges ("today", "lastmonth")
 * begin at the user's midnight, not UTC's.
 */

/** Every time zone offset in use is a whole number of 15-minute steps, so instants in one step share a day. */
const OFFSET_STEP_MS = 15 * 60 * 1000;

/** A calendar date: year, month (1–12), day (1–31). */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Whether `tz` is a time zone name this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Date and wall-clock parts of instants in one zone, with a memo per 15-minute step (stats call it per session). */
export class ZoneCalendar {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #dayMemo = new Map<number, string>();

  /** Throws a RangeError for an unknown zone; check with {@link isValidTimeZone} first. */
  constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** The calendar date and wall time of an instant in this zone. */
  partsOf(ts: number): CalendarDate & { hour: number; minute: number; second: number } {
    const parts: Record<string, number> = {};
    for (const p of this.#format.formatToParts(new Date(ts))) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
    return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
  }

  /** The instant's calendar day in this zone as `YYYY-MM-DD`. */
  dayKey(ts: number): string {
    const step = Math.floor(ts / OFFSET_STEP_MS);
    let key = this.#dayMemo.get(step);
    if (key === undefined) {
      const d = this.partsOf(step * OFFSET_STEP_MS);
      key = `${d.year}-${pad(d.month)}-${pad(d.day)}`;
      if (this.#dayMemo.size > 50_000) this.#dayMemo.clear();
      this.#dayMemo.set(step, key);
    }
    return key;
  }

  /** The zone's offset from UTC at an instant, ms (east positive). */
  offsetAt(ts: number): number {
    const p = this.partsOf(ts);
    const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return wallAsUtc - Math.floor(ts / 1000) * 1000;
  }

  /**
   * The first instant of a calendar day in this zone (month and day may
   * overflow, as in `Date.UTC`). Where a transition skips midnight, the
   * first instant after the gap.
   */
  startOfDay(date: CalendarDate): number {
    const wall = Date.UTC(date.year, date.month - 1, date.day);
    // Two passes settle the offset on either side of a transition.
    let guess = wall - this.offsetAt(wall);
    guess = wall - this.offsetAt(guess);
    // A gap at midnight lands on the day before: step to the first instant of the day itself.
    for (let i = 0; i < 8 && this.#wallDayOf(guess) < wall; i++) guess += OFFSET_STEP_MS;
    return guess;
  }

  #wallDayOf(ts: number): number {
    const p = this.partsOf(ts);
    return Date.UTC(p.year, p.month - 1, p.day);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
