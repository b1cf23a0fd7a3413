import { parseTime, toIso } from "@vafa/core";
import { usageError } from "./errors.js";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses a time given on the command line (`--at`, `--as-of`, `--from`, `--to`)
 * to the normalised ISO form. A plain date `YYYY-MM-DD` means 00:00 UTC of that day.
 */
export const parseTimeFlag = (flag: string, text: string): string => {
  const ms = parseTime(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if (ms === undefined)
    throw usageError(
      `${flag} ${JSON.stringify(text)}: not a valid time; write it like 2011-05-15T00:00:00Z or 2011-05-15`,
    );
  return toIso(ms);
};
