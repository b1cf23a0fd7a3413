import { tzOffset } from "@date-fns/tz";
import { UTCDate } from "@date-fns/utc";
import { parseTime } from "@vafa/core";
import { parse } from "date-fns";
import { type CsvMapping, hasOffsetToken } from "./mapping.js";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const REFERENCE = new UTCDate(0);
const inUtc = (value: Date | number | string) => new UTCDate(value as number);

/**
 * The instant at which the clocks of `zone` show `wallMs` (a wall-clock time
 * written as if it were UTC). A wall time that occurs twice (clocks going back)
 * is its first occurrence; one that never occurs (clocks going forward) is
 * undefined. Independent of the process time zone.
 */
export const wallClockToUtcMs = (wallMs: number, zone: string): number | undefined => {
  if (zone === "UTC") return wallMs;
  // The offsets a day either side cover any one transition near this wall time.
  const offsets = new Set([
    tzOffset(zone, new Date(wallMs - DAY_MS)),
    tzOffset(zone, new Date(wallMs + DAY_MS)),
  ]);
  let found: number | undefined;
  for (const offsetMinutes of offsets) {
    const ms = wallMs - offsetMinutes * MINUTE_MS;
    if (tzOffset(zone, new Date(ms)) === offsetMinutes && (found === undefined || ms < found)) found = ms;
  }
  return found;
};

/** The calendar day (`yyyyMMdd`) the clocks of `zone` show at an instant. */
export const localDayOf = (ms: number, zone: string): string => {
  const wall = zone === "UTC" ? ms : ms + tzOffset(zone, new Date(ms)) * MINUTE_MS;
  return new Date(wall).toISOString().slice(0, 10).replaceAll("-", "");
};

export type TimeReading = { ms: number } | { error: string };

const CACHE_LIMIT = 8192;

/**
 * A reader of the time column: text to UTC milliseconds, per the mapping's
 * `time` (format, zone of naive times, time of day for dates). Repeated texts
 * (the lines of one invoice, the orders of one day) are answered from a small
 * cache, since a date-fns parse costs tens of microseconds.
 */
export const createTimeReader = (time: CsvMapping["time"]): ((text: string) => TimeReading) => {
  const cache = new Map<string, TimeReading>();
  const absolute = time.format === "iso" || hasOffsetToken(time.format);
  const pattern = time.timeOfDay === undefined ? time.format : `${time.format} HH:mm`;
  const read = (text: string): TimeReading => {
    if (text === "") return { error: "the time is empty" };
    if (time.format === "iso") {
      const ms = parseTime(text);
      return ms === undefined
        ? {
            error: `${JSON.stringify(text)} is not a time like 2011-01-04T10:00:00Z or 2011-01-04T13:30:00+03:30`,
          }
        : { ms };
    }
    const full = time.timeOfDay === undefined ? text : `${text} ${time.timeOfDay}`;
    const date = parse(full, pattern, REFERENCE, { in: inUtc });
    const wallMs = date.getTime();
    if (Number.isNaN(wallMs))
      return {
        error: `${JSON.stringify(text)} does not match the time format ${JSON.stringify(time.format)}`,
      };
    const ms = absolute ? wallMs : wallClockToUtcMs(wallMs, time.zone);
    if (ms === undefined)
      return {
        error: `${JSON.stringify(text)} does not exist in ${time.zone} (the clocks went forward then)`,
      };
    const year = new Date(ms).getUTCFullYear();
    if (year < 1 || year > 9999)
      return { error: `${JSON.stringify(text)} is outside the years 0001 to 9999` };
    return { ms };
  };
  return (raw) => {
    const text = raw.trim();
    const hit = cache.get(text);
    if (hit) return hit;
    const reading = read(text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, reading);
    return reading;
  };
};

/** The `at` of a converted command: ISO 8601 UTC, without milliseconds when they are 0 (as the spec's examples). */
export const atOf = (ms: number): string => {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
};
