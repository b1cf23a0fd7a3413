import { z } from "zod";

// Scalar rules of spec section 1.

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const MONEY_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]{1,8})?$/;
export const DECIMAL_PATTERN = /^[0-9]+(\.[0-9]+)?$/;
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

const NORMALISED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Digits of `text` at [from, from + count) as a number (the text matched NORMALISED). */
const digits = (text: string, from: number, count: number): number => {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
};

/**
 * Whether a NORMALISED text names a real instant, as a `toISOString()` round
 * trip of `Date.parse` proves (Date.parse accepts 2011-02-30 and 24:00), without
 * writing the text again (issue 11). Year 0000 passes, as the round trip does.
 */
const normalisedInRange = (text: string): boolean => {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= (month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number)) &&
    digits(text, 11, 2) <= 23 &&
    digits(text, 14, 2) <= 59 &&
    digits(text, 17, 2) <= 59
  );
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export const DAY_MS = 86_400_000;

/** UTC day number of an instant: `Math.floor(ms / 86 400 000)`. */
export const floorDays = (ms: number): number => Math.floor(ms / DAY_MS);

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether `y-m-d` is a real Gregorian date (proleptic, years 0001-9999). */
export const isValidGregorianDate = (year: number, month: number, day: number): boolean =>
  year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);

/**
 * Parses an input time of spec 1 to UTC milliseconds, or `undefined` when it
 * does not match the pattern or names an impossible date or time. Digits below
 * the millisecond are truncated.
 */
export const parseTime = (text: string): number | undefined => {
  // One command parses its `at` several times (validation, idempotency, decision), with
  // a program's campaign bounds in between: a few recent texts are remembered (pure).
  const cached = recentTimes.get(text);
  if (cached !== undefined || recentTimes.has(text)) return cached;
  const ms = parseTimeOnce(text);
  if (recentTimes.size >= RECENT_TIMES) recentTimes.clear();
  recentTimes.set(text, ms);
  return ms;
};

const RECENT_TIMES = 64;
const recentTimes = new Map<string, number | undefined>();

const parseTimeOnce = (text: string): number | undefined => {
  // Fast path for the normalised form every stored event carries.
  if (text.length === 24 && NORMALISED.test(text) && normalisedInRange(text)) return Date.parse(text);
  const m = TIME_PATTERN.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isValidGregorianDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMin = 0;
  if (m[8] !== "Z") {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  return utc.getTime() - offsetMin * 60_000;
};

/** Writes UTC milliseconds as `toISOString()` does. */
export const toIso = (ms: number): string => {
  // Events of one command share their time, and a lot's availableAt and expiresAt
  // follow from it: a few recent conversions are remembered (pure).
  const cached = recentIsos.get(ms);
  if (cached !== undefined) return cached;
  const text = new Date(ms).toISOString();
  if (recentIsos.size >= RECENT_TIMES) recentIsos.clear();
  recentIsos.set(ms, text);
  return text;
};

const recentIsos = new Map<number, string>();

/** Parses a `YYYY-MM-DD` Gregorian date to its parts, or `undefined`. */
export const parseDate = (text: string): { year: number; month: number; day: number } | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidGregorianDate(year, month, day) ? { year, month, day } : undefined;
};

export const idSchema = z
  .string()
  .regex(ID_PATTERN, "must be an id: a letter or digit, then up to 127 of A-Z a-z 0-9 . _ : -");
export const MONEY_FORMAT_MESSAGE = "must be a decimal string with at most 8 fractional digits";
export const moneySchema = z.string().regex(MONEY_PATTERN, MONEY_FORMAT_MESSAGE);
export const plainDecimalSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/, "must be a plain decimal");
export const decimalSchema = z.string().regex(DECIMAL_PATTERN, "must be a decimal string like 1 or 1.25");
export const currencySchema = z.string().regex(CURRENCY_PATTERN, "must be a 3-letter currency code");
export const safeCount = z
  .number()
  .int("must be an integer")
  .refine(Number.isSafeInteger, "must be a safe integer");

/** An input time (spec 1); the parsed value stays a string, normalise with `parseTime`. */
export const timeInputSchema = z
  .string()
  .refine(
    (s) => parseTime(s) !== undefined,
    "must be an ISO time like 2011-01-04T10:00:00Z with a valid date",
  );

/** A normalised output time (`toISOString()` form). */
export const isoTimeOutSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, "must be a UTC ISO time with milliseconds")
  .refine((s) => parseTime(s) !== undefined, "must be a valid time");
