import { UTCDate } from "@date-fns/utc";
import * as greg from "date-fns";
import * as jal from "date-fns-jalali";
import { DAY_MS, floorDays } from "./primitives.js";

// Calendar arithmetic on UTC instants (spec 1): every date is a UTCDate, so the
// process time zone never matters.

export type CalendarName = "gregorian" | "jalali";

type Fns = Pick<
  typeof greg,
  "getYear" | "getMonth" | "getDate" | "setYear" | "startOfYear" | "set" | "getDaysInMonth"
>;
const fns: Record<CalendarName, Fns> = { gregorian: greg, jalali: jal };

/**
 * Memoises a pure calendar function: date-fns on UTCDate costs microseconds a
 * call, and decisions repeat the same days. One map per argument, no key text
 * (a joined key cost as much as the look-up saved; issue 11).
 */
const memo = <A extends (string | number)[], R>(
  fn: (...args: A) => R,
  limit = 100_000,
): ((...args: A) => R) => {
  let root = new Map<string | number, unknown>();
  let size = 0;
  return (...args: A): R => {
    let level = root;
    const last = args.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(args[i] as string | number) as Map<string | number, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(args[i] as string | number, next);
      }
      level = next;
    }
    let value = level.get(args[last] as string | number) as R | undefined;
    if (value === undefined) {
      value = fn(...args);
      if (size >= limit) {
        root = new Map();
        size = 0;
        return value;
      }
      level.set(args[last] as string | number, value);
      size++;
    }
    return value;
  };
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
