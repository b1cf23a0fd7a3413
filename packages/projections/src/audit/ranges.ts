import { createReadStream } from "node:fs";
import { type Program, VafaError } from "@vafa/core";
import type { AuditPass } from "./audit.js";
import { PublishedPrograms } from "./file-audit.js";
import {
  lineText,
  type ProgramLine,
  ShardAuditor,
  type ShardHeadOptions,
  type ShardResult,
} from "./shard.js";
import type { AuditOptions } from "./types.js";

// The parallel audit's ranges: byte ranges of the file cut at stream changes,
// each audited by one shard (shard.ts), which reads only its own range. One
// pass over the file before (`planRanges`, with the programs read ahead)
// numbers the ranges' first lines and finds the program lines each shard
// replays; only lines holding `program-` or a `\u` escape (the only way to
// spell a program stream id otherwise) are parsed.

const NEWLINE = 0x0a;
const PROGRAM_ID = Buffer.from("program-");
const ESCAPE_U = Buffer.from("\\u");
const CHUNK_BYTES = 1 << 20;

/** One shard's part of the file: bytes [start, end), the lines before it, the program lines around it. */
export interface Range {
  start: number;
  end: number;
  /** Lines of the file before `start`. */
  firstLine: number;
  before: ProgramLine[];
  after: ProgramLine[];
}

export interface RangePlan {
  ranges: Range[];
  /** The programs the file publishes (`programsPublishedIn`). */
  programsAhead: Program[];
}

/**
 * The chunks of bytes [start, end) of a file, each ending with a newline but
 * the last (`final`, a line without one). Only the line cut by a read is copied.
 */
export async function* newlineChunks(
  path: string,
  range: { start?: number; end?: number } = {},
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<{ bytes: Buffer; final: boolean }> {
  const { start = 0, end } = range;
  if (end !== undefined && end <= start) return;
  let carry: Buffer | undefined;
  try {
    const input = createReadStream(path, {
      start,
      ...(end !== undefined ? { end: end - 1 } : {}),
      highWaterMark: chunkBytes,
    });
    for await (const read of input) {
      const chunk = carry ? Buffer.concat([carry, read as Buffer]) : (read as Buffer);
      const last = chunk.lastIndexOf(NEWLINE);
      if (last < 0) {
        carry = chunk;
        continue;
      }
      carry = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : undefined;
      yield { bytes: chunk.subarray(0, last + 1), final: false };
    }
  } catch (cause) {
    if (cause instanceof VafaError) throw cause;
    throw new VafaError(
      "STORE_UNAVAILABLE",
      `cannot read export file ${path}`,
      "check the path given to --events",
      {
        cause,
      },
    );
  }
  if (carry) yield { bytes: carry, final: true };
}

/** The stream a line names, read as `Auditor.push` reads it (its own BOM and CR rules on `lineText`'s text). */
const streamIdOf = (text: string, line: number): string | null => {
  let t = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (line === 1 && t.startsWith("\uFEFF")) t = t.slice(1);
  try {
    const v: unknown = JSON.parse(t);
    if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
    const id = (v as { streamId?: unknown }).streamId;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
};

/** Starts of the lines of `buf` (whole lines) that hold `needle`, in order. */
const linesHolding = (buf: Buffer, needle: Buffer): number[] => {
  const starts: number[] = [];
  for (let at = buf.indexOf(needle); at >= 0; ) {
    starts.push(buf.lastIndexOf(NEWLINE, at) + 1);
    const nl = buf.indexOf(NEWLINE, at);
    if (nl < 0) break;
    at = buf.indexOf(needle, nl + 1);
  }
  return starts;
};

/**
 * The plan of `cuts` (byte offsets at line starts, from 0 to the file's size)
 * read from the whole file in one pass; null when a program stream has lines
 * in two ranges (its replay would not be the one-thread audit's).
 */
export const planRanges = async (
  path: string,
  cuts: readonly number[],
  chunkBytes?: number,
): Promise<RangePlan | null> => {
  const published = new PublishedPrograms();
  const firstLines = [0];
  const programLines: { at: number; line: ProgramLine }[] = [];
  let offset = 0;
  let line = 0;
  let nextCut = 1;
  for await (const { bytes: buf } of newlineChunks(path, {}, chunkBytes)) {
    published.scan(buf, true);
    const candidates = [...new Set([...linesHolding(buf, PROGRAM_ID), ...linesHolding(buf, ESCAPE_U)])].sort(
      (a, b) => a - b,
    );
    let pos = 0;
    /** Counts the lines that end before `target` (a line start). */
    const countTo = (target: number) => {
      for (let nl = buf.indexOf(NEWLINE, pos); nl >= 0 && nl < target; nl = buf.indexOf(NEWLINE, pos)) {
        line++;
        pos = nl + 1;
      }
    };
    const end = offset + buf.length;
    for (const start of candidates) {
      for (; nextCut < cuts.length - 1 && (cuts[nextCut] as number) <= offset + start; nextCut++) {
        countTo((cuts[nextCut] as number) - offset);
        firstLines.push(line);
      }
      countTo(start);
      const nl = buf.indexOf(NEWLINE, start);
      const text = lineText(buf, start, nl < 0 ? buf.length : nl, line + 1);
      const streamId = streamIdOf(text, line + 1);
      if (streamId?.startsWith("program-"))
        programLines.push({ at: offset + start, line: { line: line + 1, text, streamId } });
    }
    for (; nextCut < cuts.length - 1 && (cuts[nextCut] as number) < end; nextCut++) {
      countTo((cuts[nextCut] as number) - offset);
      firstLines.push(line);
    }
    countTo(buf.length);
    offset = end;
  }
  for (; nextCut < cuts.length - 1; nextCut++) firstLines.push(line);
  const ranges = cuts.slice(1).map((end, k): Range => {
    const start = cuts[k] as number;
    return {
      start,
      end,
      firstLine: firstLines[k] as number,
      before: programLines.filter((p) => p.at < start).map((p) => p.line),
      after: programLines.filter((p) => p.at >= end).map((p) => p.line),
    };
  });
  const rangeOf = new Map<string, number>();
  for (const p of programLines) {
    const k = ranges.findIndex((r) => p.at < r.end);
    if ((rangeOf.get(p.line.streamId) ?? k) !== k) return null;
    rangeOf.set(p.line.streamId, k);
  }
  return { ranges, programsAhead: published.programs() };
};

/** What a shard is given besides its range. */
export interface ShardJob {
  options: AuditOptions;
  head?: ShardHeadOptions;
  pass: AuditPass;
}

/** Audits one range of the file: the program lines before it, its lines, the program lines after. */
export const auditRange = async (
  path: string,
  range: Range,
  job: ShardJob,
  chunkBytes?: number,
): Promise<ShardResult> => {
  const shard = new ShardAuditor(range.firstLine, job.options, job.head, job.pass);
  for (const p of range.before) shard.replay(p);
  for await (const { bytes, final } of newlineChunks(path, range, chunkBytes)) shard.pushChunk(bytes, final);
  for (const p of range.after) shard.replay(p);
  return shard.finish();
};
