import { createReadStream } from "node:fs";
import { type EventStore, VafaError } from "@vafa/core";
import type { Projection, ProjectionEvent } from "./projection.js";
import { queryTime } from "./time.js";

export interface RebuildOptions {
  /**
   * Apply only member events with `occurredAt <= until` (a rebuild for one
   * as-of time; keeps memory to what T needs). Program events are always
   * applied: projections use the highest published version (spec 5.10).
   */
  until?: string;
}

export interface RebuildResult {
  /** Events applied. */
  applied: number;
  /** Events left out by `until` or ignored as already applied (by position). */
  skipped: number;
}

export interface NdjsonRebuildResult extends RebuildResult {
  /** Physical lines read. */
  lines: number;
  /** 1-based numbers of the lines that are not an event envelope (the first 100). */
  badLines: number[];
  /** How many lines were not an event envelope. */
  badLineCount: number;
}

const untilOf = (options: RebuildOptions): string | undefined =>
  options.until === undefined ? undefined : queryTime(options.until, "until");

/** Rebuilds a projection from scratch (or from its position) by reading a store in global order. */
export const rebuildFromStore = async (
  store: EventStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> => {
  const until = untilOf(options);
  let applied = 0;
  let skipped = 0;
  const after = projection.position;
  for await (const event of store.readAll(after === undefined ? {} : { after })) {
    if (until !== undefined && event.occurredAt > until && event.type !== "ProgramPublished") skipped++;
    else if (projection.apply(event)) applied++;
    else skipped++;
  }
  return { applied, skipped };
};

const isFileError = (e: unknown): boolean =>
  e instanceof Error && !(e instanceof VafaError) && typeof (e as NodeJS.ErrnoException).code === "string";

const isEnvelope = (v: unknown): v is ProjectionEvent => {
  if (v === null || typeof v !== "object") return false;
  const e = v as Record<string, unknown>;
  return typeof e.streamId === "string" && typeof e.type === "string" && typeof e.occurredAt === "string";
};

/**
 * Rebuilds a projection from an NDJSON export (spec 8 `vafa export`), streaming
 * the file in chunks so memory stays bounded by the projection, not the file.
 * A line that is blank is skipped; one that is not a JSON envelope is counted
 * in `badLines` and skipped (an audit reports it), never fatal.
 */
export const rebuildFromNdjson = async (
  path: string,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<NdjsonRebuildResult> => {
  const until = untilOf(options);
  const result: NdjsonRebuildResult = { applied: 0, skipped: 0, lines: 0, badLines: [], badLineCount: 0 };
  const onLine = (raw: string): void => {
    result.lines++;
    let line = raw;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (result.lines === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!isEnvelope(value)) {
      result.badLineCount++;
      if (result.badLines.length < 100) result.badLines.push(result.lines);
      return;
    }
    if (until !== undefined && value.occurredAt > until && value.type !== "ProgramPublished")
      result.skipped++;
    else if (projection.apply(value)) result.applied++;
    else result.skipped++;
  };
  // Split on the newline byte before decoding: UTF-8 never uses byte 10 inside
  // a character, and decoding line by line is several times faster than
  // decoding whole chunks to strings and searching those.
  let rest: Buffer | undefined;
  try {
    for await (const read of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const chunk = rest === undefined ? (read as Buffer) : Buffer.concat([rest, read as Buffer]);
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        onLine(chunk.toString("utf8", start, nl));
        start = nl + 1;
      }
      rest = start < chunk.length ? chunk.subarray(start) : undefined;
    }
  } catch (cause) {
    if (!isFileError(cause)) throw cause;
    throw new VafaError(
      "STORE_UNAVAILABLE",
      `cannot read events file ${path}`,
      "check the path and its permissions",
      {
        cause,
      },
    );
  }
  if (rest !== undefined) onLine(rest.toString("utf8"));
  return result;
};
