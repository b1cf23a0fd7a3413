import { UTCDate } from "@date-fns/utc";
import * as gregorian from "date-fns";
import * as jalali from "date-fns-jalali";

export type CalendarName = "gregorian" | "jalali";

type MonthFns = Pick<typeof gregorian, "startOfMonth" | "addMonths" | "getYear" | "getMonth">;
// UTCDate makes every calendar step independent of the process time zone (spec 1).
const fns: Record<CalendarName, MonthFns> = { gregorian, jalali };

/** 00:00 UTC of the first day of the month of `ms` in the calendar. */
export const startOfMonthMs = (calendar: CalendarName, ms: number): number =>
  fns[calendar].startOfMonth(new UTCDate(ms)).getTime();

const addMonthsMs = (calendar: CalendarName, ms: number, months: number): number =>
  fns[calendar].addMonths(new UTCDate(ms), months).getTime();

/** `YYYY-MM` of `ms` in the calendar (`2011-03`, Jalali `1390-12`). */
export const monthKey = (calendar: CalendarName, ms: number): string => {
  const date = new UTCDate(ms);
  const month = fns[calendar].getMonth(date) + 1;
  return `${fns[calendar].getYear(date)}-${String(month).padStart(2, "0")}`;
};

export interface MonthSpan {
  month: string;
  fromMs: number;
  toMs: number;
}

/**
 * The `count` calendar months that end at `endMs` (exclusive), oldest first;
 * the last one is cut at `endMs`. When `endMs` is a month start, that month
 * is not included (it would be empty).
 */
export const monthsEndingAt = (calendar: CalendarName, endMs: number, count: number): MonthSpan[] => {
  const last = startOfMonthMs(calendar, endMs - 1);
  const spans: MonthSpan[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const fromMs = addMonthsMs(calendar, last, -i);
    const toMs = Math.min(addMonthsMs(calendar, fromMs, 1), endMs);
    spans.push({ month: monthKey(calendar, fromMs), fromMs, toMs });
  }
  return spans;
};
