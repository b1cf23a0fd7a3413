import { birthdayInYear, type CalendarName, calendarYear, dateInCalendar, parseDate } from "@vafa/core";

/** A birth date as month and day of the program calendar, with the calendar year of birth. */
export interface CalendarBirth {
  year: number;
  monthIndex: number;
  day: number;
}

/** A Gregorian `YYYY-MM-DD` in the program calendar, or undefined when it is not a valid date. */
export const birthInCalendar = (calendar: CalendarName, birthDate: string): CalendarBirth | undefined => {
  if (typeof birthDate !== "string" || parseDate(birthDate) === undefined) return undefined;
  return dateInCalendar(calendar, birthDate);
};

/**
 * Whether the UTC day starting at `dayStartMs` is the member's birthday in
 * the program calendar (spec 5.6: 29 Feb -> 28 Feb and 30 Esfand -> 29 Esfand
 * in common years; years from the birth year on). Works on UTC instants
 * (core calendar helpers use UTCDate), so the process TZ never matters.
 */
export const isBirthdayOn = (calendar: CalendarName, birth: CalendarBirth, dayStartMs: number): boolean => {
  const year = calendarYear(calendar, dayStartMs);
  if (year < birth.year) return false;
  return birthdayInYear(calendar, birth, year) === dayStartMs;
};
