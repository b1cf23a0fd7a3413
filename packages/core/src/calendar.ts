import { UTCDate } from "@date-fns/utc";
// One module per function: the packages' indexes load hundreds of modules
// (about 0.2 s of CPU at every start, in each worker thread too).
import { getDate } from "date-fns/getDate";
import { getDaysInMonth } from "date-fns/getDaysInMonth";
import { getMonth } from "date-fns/getMonth";
import { getYear } from "date-fns/getYear";
import { set } from "date-fns/set";
import { setYear } from "date-fns/setYear";
import { startOfYear } from "date-fns/startOfYear";
import { getDate as jGetDate } from "date-fns-jalali/getDate";
import { getDaysInMonth as jGetDaysInMonth } from "date-fns-jalali/getDaysInMonth";
import { getMonth as jGetMonth } from "date-fns-jalali/getMonth";
import { getYear as jGetYear } from "date-fns-jalali/getYear";
import { set as jSet } from "date-fns-jalali/set";
import { setYear as jSetYear } from "date-fns-jalali/setYear";
import { startOfYear as jStartOfYear } from "date-fns-jalali/startOfYear";
import { DAY_MS, floorDays } from "./primitives.js";

// Calendar arithmetic on UTC instants (spec 1): every date is a UTCDate, so the
// process time zone never matters.

export type CalendarName = "gregorian" | "jalali";

const fns = {
  gregorian: { getYear, getMonth, getDate, setYear, startOfYear, set, getDaysInMonth },
  jalali: {
    getYear: jGetYear,
    getMonth: jGetMonth,
    getDate: jGetDate,
    setYear: jSetYear,
    startOfYear: jStartOfYear,
    set: jSet,
    getDaysInMonth: jGetDaysInMonth,
  },
} as const;

/**
 * Memoises a pure calendar function: date-fns on UTCDate costs microseconds a
 * call, and decisions repeat the same days. One map per argument, no key text
 * (a joined key cost as much as the look-up saved; issue 11).
 */
const memo = <A extends (string | number)[], R>(
  fn: (...args: A) => R,
  limit = 100_000,
): ((...args: A) => R) => {
  type Key = string | number;
  type Level = Map<Key, unknown>;
  let root: Level = new Map();
  let size = 0;
  const arity = fn.length;
  if (arity < 2 || arity > 4) throw new Error("memo: 2 to 4 parameters");
  const child = (level: Level, key: Key): Level => {
    let next = level.get(key) as Level | undefined;
    if (next === undefined) {
      next = new Map();
      level.set(key, next);
    }
    return next;
  };
  // Fixed parameters, not rest ones: no arguments array per call.
  const memoised = (a: Key, b: Key, c?: Key, d?: Key): R => {
    let level = child(root, a);
    let last: Key = b;
    if (arity > 2) {
      level = child(level, b);
      last = c as Key;
      if (arity > 3) {
        level = child(level, c as Key);
        last = d as Key;
      }
    }
    let value = level.get(last) as R | undefined;
    if (value === undefined) {
      value = (fn as unknown as (a: Key, b: Key, c?: Key, d?: Key) => R)(a, b, c, d);
      if (size >= limit) {
        root = new Map();
        size = 0;
        return value;
      }
      level.set(last, value);
      size++;
    }
    return value;
  };
  return memoised as unknown as (...args: A) => R;
};

/** The year of an instant in the calendar. */
export const calendarYear = (calendar: CalendarName, ms: number): number =>
  yearOfDay(calendar, floorDays(ms));
const yearOfDay = memo((calendar: CalendarName, day: number): number =>
  fns[calendar].getYear(new UTCDate(day * DAY_MS)),
);

/** 00:00 UTC of the first day of `year` in the calendar (1 January / 1 Farvardin). */
export const startOfCalendarYear = (calendar: CalendarName, year: number): number =>
  yearStart(calendar, year);
const yearStart = memo((calendar: CalendarName, year: number): number => {
  const f = fns[calendar];
  // Mid-year anchor: any day inside the target year works.
  const anchor = f.setYear(f.startOfYear(new UTCDate(Date.UTC(2000, 5, 15))), year);
  return f.startOfYear(anchor).getTime();
});

/** A Gregorian `YYYY-MM-DD` as {year, monthIndex, day} in the calendar. */
export const dateInCalendar = (
  calendar: CalendarName,
  gregorianDate: string,
): { year: number; monthIndex: number; day: number } => dateParts(calendar, gregorianDate);
const dateParts = memo(
  (calendar: CalendarName, gregorianDate: string): { year: number; monthIndex: number; day: number } => {
    const [y, m, d] = gregorianDate.split("-").map(Number) as [number, number, number];
    const at = new UTCDate(0);
    at.setUTCFullYear(y, m - 1, d);
    const f = fns[calendar];
    return { year: f.getYear(at), monthIndex: f.getMonth(at), day: f.getDate(at) };
  },
);

/**
 * Start of the day of the birthday in `year` of the calendar; a day the month
 * lacks that year (29 Feb, 30 Esfand) falls on the month's last day (spec 5.6).
 */
export const birthdayInYear = (
  calendar: CalendarName,
  birth: { monthIndex: number; day: number },
  year: number,
): number => birthday(calendar, birth.monthIndex, birth.day, year);
const birthday = memo(
  (calendar: CalendarName, monthIndex: number, dayOfMonth: number, year: number): number => {
    const f = fns[calendar];
    const monthStart = f.set(new UTCDate(startOfCalendarYear(calendar, year)), {
      month: monthIndex,
      date: 1,
    });
    const day = Math.min(dayOfMonth, f.getDaysInMonth(monthStart));
    return monthStart.getTime() + (day - 1) * DAY_MS;
  },
);

/** 00:00 UTC of the day of an instant. */
export const startOfUtcDay = (ms: number): number => floorDays(ms) * DAY_MS;
