import { type CalendarName, dateInCalendar, type MessageLang } from "@vafa/core";

// Message text rendering (club-v1 §5, §10 "Rendering"): placeholders filled,
// dates as UTC days in the program calendar, Persian digits in `fa` for
// numbers and dates (never for ids, codes or names).

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

/** Latin digits as Persian digits (U+06F0..U+06F9); other characters kept. */
export const persianDigits = (text: string): string =>
  text.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)] as string);

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** The UTC day of `ms` in the calendar: `en` `YYYY-MM-DD`, `fa` `YYYY/MM/DD` in Persian digits. */
export const formatDay = (calendar: CalendarName, ms: number, lang: MessageLang): string => {
  const { year, monthIndex, day } = dateInCalendar(calendar, new Date(ms).toISOString().slice(0, 10));
  const sep = lang === "fa" ? "/" : "-";
  const text = `${pad(year, 4)}${sep}${pad(monthIndex + 1, 2)}${sep}${pad(day, 2)}`;
  return lang === "fa" ? persianDigits(text) : text;
};

/** The values a message can name; one its trigger does not give is left out (and renders empty). */
export interface MessageValues {
  memberId: string;
  name?: string;
  points?: number;
  tier?: string;
  /** A UTC day, ms. */
  expiresAt?: number;
  reward?: string;
  code?: string;
  draw?: string;
  rank?: number;
}

const PLACEHOLDER = /\{(memberId|name|points|tier|expiresAt|reward|code|draw|rank)\}/g;

/** `template` with the known placeholders filled; any other `{...}` stays as written. */
export const renderMessage = (
  template: string,
  values: MessageValues,
  lang: MessageLang,
  calendar: CalendarName,
): string =>
  template.replace(PLACEHOLDER, (_, name: keyof MessageValues) => {
    const value = values[name];
    if (value === undefined) return "";
    if (name === "expiresAt") return formatDay(calendar, value as number, lang);
    if (typeof value === "number") return lang === "fa" ? persianDigits(String(value)) : String(value);
    return value;
  });
