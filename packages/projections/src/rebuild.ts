import { createReadStream } from "node:fs";
import { type EventStore, VafaError } from "@vafa/core";
import { LeanReader } from "./lean-envelope.js";
import type { Projection, ProjectionEvent } from "./projection.js";
import { idStartsWith, StreamIdReader, streamHash } from "./stream-route.js";
import { queryTime } from "./time.js";
import type { ChainEvent, ChainVerifier } from "./verify-chain.js";

export interface RebuildOptions {
  /**
   * Apply only member events with `occurredAt <= until` (a rebuild for one
   * as-of time; keeps memory to what T needs). Program events are always
   * applied: projections use the highest published version (spec 5.10).
   */
  until?: string;
  /**
   * Apply only events of these types, for a query that needs no others (see
   * `RFM_EVENT_TYPES`). From a file, a line whose envelope `type` (read from
   * its bytes, before `"data"`) is another is skipped without being parsed;
   * every other line is parsed and checked as usual.
   */
  types?: readonly string[];
  /**
   * From a file: check each event's link in the hash chain before it is
   * applied (see `verify-chain.ts`); the first break throws
   * `ChainBrokenError`. Every line is then parsed (`types` skips none unread).
   */
  chain?: ChainVerifier;
  /**
   * From a file: apply only the member streams whose id hashes to `index` of
   * `count` shards (`streamHash`), and every other stream (programs). A
   * worker per shard builds a part of the projection; each member is in one.
   */
  shard?: { index: number; count: number };
  /**
   * From a file: called with a stream's id when the next applied event is of
   * another stream, and for the last stream at the end. An export lists
   * streams one after another, so a caller can reduce a finished stream to
   * the answers it needs (see `LedgerProjection.settleStream`).
   */
  onStreamEnd?: (streamId: string) => void;
  /** From a file: read only bytes [start, end), which must begin and end at line starts (a worker's part). */
  range?: { start: number; end: number };
  /**
   * From a file, with `types` and without `chain`: the projection reads only
   * `streamId`, `type`, `occurredAt` and these string keys of `data` of the
   * events of these types, so their lines are read from their bytes
   * (`LeanReader`) instead of parsed whole. A line that is not exactly the
   * expected form is parsed and checked as usual: the result is the same.
   */
  lean?: { types: readonly string[]; dataKeys: readonly string[] };
}

/** What `rfmAsOf` reads (spec 6): members, purchases, refunds and the program's RFM window. */
export const RFM_EVENT_TYPES = [
  "MemberJoined",
  "PurchaseRecorded",
  "PurchaseRefunded",
  "ProgramPublished",
] as const;

/**
 * What `rfmAsOf` reads of its member events (`RebuildOptions.lean`): the
 * purchase ids and amounts (a member's `birthDate` is not read).
 */
export const RFM_LEAN = {
  types: ["MemberJoined", "PurchaseRecorded", "PurchaseRefunded"],
  dataKeys: ["purchaseId", "amount"],
} as const;

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

const NEWLINE = 10;
const QUOTE = 34;
const TYPE_KEY = Buffer.from('"type":"');
const DATA_KEY = Buffer.from('"data":');

const MEMBER = Buffer.from("member-");

const isEnvelope = (v: unknown): v is ProjectionEvent => {
  if (v === null || typeof v !== "object") return false;
  const e = v as Record<string, unknown>;
  // The fields of a spec 2 envelope (as the CLI's strict reader checks them).
  return (
    typeof e.streamId === "string" &&
    typeof e.revision === "number" &&
    typeof e.type === "string" &&
    typeof e.occurredAt === "string" &&
    typeof e.data === "object" &&
    e.data !== null &&
    typeof e.metadata === "object" &&
    e.metadata !== null
  );
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
    onEvent(value);
  };
  const onEvent = (value: ProjectionEvent): void => {
    options.chain?.push(value as unknown as ChainEvent);
    if (shard !== undefined && !ownsStream(value.streamId)) {
      result.skipped++;
      return;
    }
    if (
      (until !== undefined && value.occurredAt > until && value.type !== "ProgramPublished") ||
      (wanted !== undefined && !wanted.has(value.type))
    )
      result.skipped++;
    else if (projection.apply(value)) {
      result.applied++;
      if (onStreamEnd !== undefined && value.streamId !== current) {
        if (current !== undefined) onStreamEnd(current);
        current = value.streamId;
      }
    } else result.skipped++;
  };
  const onStreamEnd = options.onStreamEnd;
  let current: string | undefined;
  const skipLine = (): void => {
    result.lines++;
    result.skipped++;
  };
  const wanted = options.types === undefined ? undefined : new Set(options.types);
  const shard = options.shard;
  const reader = new StreamIdReader();
  const ownsStream = (streamId: string): boolean =>
    shard === undefined ||
    !streamId.startsWith("member-") ||
    streamHash(streamId) % shard.count === shard.index;
  /** A member line of another shard, told from its bytes (a line that cannot be told is parsed). */
  const otherShard = (chunk: Buffer, start: number, end: number): boolean => {
    // A verified chain needs every line parsed, so nothing is skipped unread.
    if (shard === undefined || options.chain !== undefined) return false;
    const id = reader.read(chunk, start, end);
    return id !== null && id.hash % shard.count !== shard.index && idStartsWith(chunk, id, MEMBER);
  };
  const wantedNames = options.chain ? undefined : options.types?.map((t) => Buffer.from(t, "latin1"));
  /**
   * Whether a line may hold a wanted event. The envelope's `"type":"` comes
   * before `"data":` (spec 2 key order), so its value is read without parsing;
   * a line where that cannot be told is kept (and parsed).
   */
  const mayBeWanted = (chunk: Buffer, start: number, end: number): boolean => {
    if (!wantedNames) return true;
    const t = chunk.indexOf(TYPE_KEY, start);
    if (t < 0 || t >= end) return true;
    const d = chunk.indexOf(DATA_KEY, start);
    if (d >= 0 && d < t) return true;
    const nameStart = t + TYPE_KEY.length;
    const nameEnd = chunk.indexOf(QUOTE, nameStart);
    if (nameEnd < 0 || nameEnd >= end) return true;
    for (const name of wantedNames)
      if (
        name.length === nameEnd - nameStart &&
        chunk.compare(name, 0, name.length, nameStart, nameEnd) === 0
      )
        return true;
    return false;
  };
  const lean =
    options.lean === undefined || options.chain !== undefined || wanted === undefined
      ? undefined
      : new LeanReader(options.lean.types, options.lean.dataKeys, options.types ?? []);
  /** One line of `chunk`, `[start, end)`, not the file's last unless it ends with a newline. */
  const line = (chunk: Buffer, start: number, end: number): void => {
    if (otherShard(chunk, start, end)) {
      skipLine();
      return;
    }
    if (lean !== undefined) {
      const read = lean.read(chunk, start, end);
      if (read.kind === "event") {
        result.lines++;
        onEvent(read.event);
        return;
      }
      // Its type read from its bytes as `mayBeWanted` reads it.
      if (read.kind === "unwanted") {
        skipLine();
        return;
      }
    }
    if (mayBeWanted(chunk, start, end)) onLine(chunk.toString("utf8", start, end));
    else skipLine();
  };
  // Split on the newline byte before decoding: UTF-8 never uses byte 10 inside
  // a character, and decoding line by line is several times faster than
  // decoding whole chunks to strings and searching those.
  let rest: Buffer | undefined;
  try {
    const range = options.range;
    const bytes = range === undefined ? {} : { start: range.start, end: range.end - 1 };
    for await (const read of createReadStream(path, { highWaterMark: 1 << 20, ...bytes })) {
      const chunk = read as Buffer;
      let start = 0;
      let nl = chunk.indexOf(NEWLINE);
      if (rest !== undefined) {
        // Only the line cut by the previous chunk is joined (a small copy).
        if (nl < 0) {
          rest = Buffer.concat([rest, chunk]);
          continue;
        }
        const joined = Buffer.concat([rest, chunk.subarray(0, nl)]);
        reader.newChunk();
        line(joined, 0, joined.length);
        rest = undefined;
        start = nl + 1;
        nl = chunk.indexOf(NEWLINE, start);
      }
      reader.newChunk();
      for (; nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
        line(chunk, start, nl);
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
  if (onStreamEnd !== undefined && current !== undefined) onStreamEnd(current);
  return result;
};
