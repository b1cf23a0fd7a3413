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
// each audited by one shard (shard.ts), which reads only its own range. Each
// range is read once before (`scanRange`, by the thread that audits it) for the
// plan: the programs read ahead, the ranges' first lines, the program lines
// each shard replays; only lines holding `program-` or a `\u` escape (the
// only way to spell a program stream id otherwise) are parsed.

const NEWLINE = 0x0a;
const PROGRAM_ID = Buffer.from("program-");
const BACKSLASH = 0x5c;
const U = 0x75;
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
async function* newlineChunks(
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
    for await (const read of input as AsyncIterable<Buffer>) {
      const first = read.indexOf(NEWLINE);
      if (first < 0) {
        carry = carry ? Buffer.concat([carry, read]) : Buffer.from(read);
        continue;
      }
      // The line cut by the read on its own, so the read is never copied whole.
      let from = 0;
      if (carry) {
        yield { bytes: Buffer.concat([carry, read.subarray(0, first + 1)]), final: false };
        from = first + 1;
      }
      const last = read.lastIndexOf(NEWLINE);
      if (last >= from) yield { bytes: read.subarray(from, last + 1), final: false };
      carry = last + 1 < read.length ? Buffer.from(read.subarray(last + 1)) : undefined;
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

/** Starts of the lines of `buf` that hold a `\u` escape (or `\\u`): a byte search, faster than a two-byte one. */
const linesEscaping = (buf: Buffer): number[] => {
  const starts: number[] = [];
  for (let at = buf.indexOf(BACKSLASH); at >= 0; ) {
    if (buf[at + 1] !== U) {
      at = buf.indexOf(BACKSLASH, at + 1);
      continue;
    }
    starts.push(buf.lastIndexOf(NEWLINE, at) + 1);
    const nl = buf.indexOf(NEWLINE, at);
    if (nl < 0) break;
    at = buf.indexOf(BACKSLASH, nl + 1);
  }
  return starts;
};

/** What one range holds that the plan needs: read by the thread that audits it (`scanRange`). */
export interface RangeScan {
  /** Newlines in the range. */
  lines: number;
  /** Program lines: byte offset in the file, line within the range (1-based). */
  programLines: { at: number; local: number; text: string; streamId: string }[];
  published: [string, Program | null][];
}

/** Reads bytes [start, end) of the file for the plan (`planFromScans`). */
export const scanRange = async (
  path: string,
  { start, end }: { start: number; end: number },
  chunkBytes?: number,
): Promise<RangeScan> => {
  const published = new PublishedPrograms();
  const programLines: RangeScan["programLines"] = [];
  let offset = start;
  let line = 0;
  for await (const { bytes: buf } of newlineChunks(path, { start, end }, chunkBytes)) {
    published.scan(buf, true);
    const candidates = [...new Set([...linesHolding(buf, PROGRAM_ID), ...linesEscaping(buf)])].sort(
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
    for (const at of candidates) {
      countTo(at);
      const nl = buf.indexOf(NEWLINE, at);
      // Only the file's line 1 has its BOM dropped.
      const global = start === 0 ? line + 1 : line + 2;
      const text = lineText(buf, at, nl < 0 ? buf.length : nl, global);
      const streamId = streamIdOf(text, global);
      if (streamId?.startsWith("program-"))
        programLines.push({ at: offset + at, local: line + 1, text, streamId });
    }
    countTo(buf.length);
    offset += buf.length;
  }
  return { lines: line, programLines, published: published.entries() };
};

/**
 * The plan of `cuts` (byte offsets at line starts, from 0 to the file's size)
 * from the scans of its ranges, in order; null when a program stream has
 * lines in two ranges (its replay would not be the one-thread audit's).
 */
export const planFromScans = (cuts: readonly number[], scans: readonly RangeScan[]): RangePlan | null => {
  const published = new PublishedPrograms();
  const programLines: { at: number; range: number; line: ProgramLine }[] = [];
  const firstLines: number[] = [];
  let lines = 0;
  for (const [k, scan] of scans.entries()) {
    firstLines.push(lines);
    published.add(scan.published);
    for (const { at, local, text, streamId } of scan.programLines)
      programLines.push({ at, range: k, line: { line: lines + local, text, streamId } });
    lines += scan.lines;
  }
  const rangeOf = new Map<string, number>();
  for (const p of programLines) {
    if ((rangeOf.get(p.line.streamId) ?? p.range) !== p.range) return null;
    rangeOf.set(p.line.streamId, p.range);
  }
  const ranges = cuts.slice(1).map(
    (end, k): Range => ({
      start: cuts[k] as number,
      end,
      firstLine: firstLines[k] as number,
      before: programLines.filter((p) => p.range < k).map((p) => p.line),
      after: programLines.filter((p) => p.range > k).map((p) => p.line),
    }),
  );
  return { ranges, programsAhead: published.programs() };
};

/** The plan of `cuts`, its ranges read one after another in this thread. */
export const planRanges = async (
  path: string,
  cuts: readonly number[],
  chunkBytes?: number,
): Promise<RangePlan | null> => {
  const scans: RangeScan[] = [];
  for (const [k, end] of cuts.slice(1).entries())
    scans.push(await scanRange(path, { start: cuts[k] as number, end }, chunkBytes));
  return planFromScans(cuts, scans);
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
