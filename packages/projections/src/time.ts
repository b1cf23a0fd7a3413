import { DAY_MS, parseTime, toIso, VafaError } from "@vafa/core";

/** A query time (any spec 1 input form) as `toISOString()` text, comparable as a string with stored times. */
export const queryTime = (text: string, name: string): string => {
  const ms = typeof text === "string" ? parseTime(text) : undefined;
  if (ms === undefined)
    throw new VafaError(
      "VALIDATION",
      `${name} must be an ISO time like 2011-05-15T00:00:00Z`,
      `got ${JSON.stringify(text)}`,
    );
  return toIso(ms);
};

/** A period [from, to) of spec 6, normalised; `from` must be before `to`. */
export const queryPeriod = (from: string, to: string): { from: string; to: string } => {
  const f = queryTime(from, "from");
  const t = queryTime(to, "to");
  if (!(f < t))
    throw new VafaError("VALIDATION", `from (${f}) must be before to (${t})`, "swap or widen the period");
  return { from: f, to: t };
};

/** `iso + days` as ISO text. */
export const addDaysIso = (iso: string, days: number): string => toIso(Date.parse(iso) + days * DAY_MS);
