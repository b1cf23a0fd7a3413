import { createReadStream } from "node:fs";
import { type Program, VafaError } from "@vafa/core";
import { Auditor, type AuditPass } from "./audit.js";
import { parseEventData } from "./data-check.js";
import type { AuditInput, AuditOptions, AuditReport } from "./types.js";

// An export lists each stream whole, `member-*` before `program-*`. Read as it
// comes, the audit would hold every member's replay, and every check waiting
// for its program, to the end: memory per event. A file can be read twice, so
// the audit first reads the programs it publishes, then drops each member's
// replay when its stream ends. A file that is not stream by stream, or whose
// program turns out other than the one read ahead, is audited again the plain
// way: the report is always the one `auditEvents` gives.

const MARK = Buffer.from('"ProgramPublished"');
const NEWLINE = 0x0a;

const readError = (path: string, cause: unknown) =>
  new VafaError("STORE_UNAVAILABLE", `cannot read export file ${path}`, "check the path given to --events", {
    cause,
  });

/** The program of one line that looks like a `ProgramPublished`, if its data is a valid one. */
const publishedProgram = (text: string): Program | undefined => {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
  // A line holding the mark is an object or an array (a JSON string has no inner quotes).
  const { type, data } = raw as { type?: unknown; data?: unknown };
  if (type !== "ProgramPublished") return undefined;
  const parsed = parseEventData("ProgramPublished", data);
  return parsed.success ? (parsed.data as { program: Program }).program : undefined;
};

/** The programs published by the lines scanned, each version published once. */
export class PublishedPrograms {
  private readonly found = new Map<string, Program | null>();

  /**
   * Scans the lines of `buf` holding the mark; returns where the lines left
   * unread start (a line cut by the end of `buf`, unless `final`).
   */
  scan(buf: Buffer, final: boolean): number {
    let from = 0;
    for (let at = buf.indexOf(MARK); at >= 0; at = buf.indexOf(MARK, from)) {
      const start = buf.lastIndexOf(NEWLINE, at) + 1;
      const nl = buf.indexOf(NEWLINE, at);
      if (nl < 0 && !final) return start;
      const end = nl < 0 ? buf.length : nl;
      const program = publishedProgram(buf.toString("utf8", start, end));
      if (program) {
        const key = `${program.programId}\u0000${program.version}`;
        this.found.set(key, this.found.has(key) ? null : program);
      }
      from = end + 1;
    }
    return buf.lastIndexOf(NEWLINE) + 1;
  }

  /** What was found, to be added to the programs found before it in the file (`add`). */
  entries(): [string, Program | null][] {
    return [...this.found];
  }

  /** Takes in what was found in a later part of the file. */
  add(entries: readonly [string, Program | null][]): void {
    for (const [key, program] of entries) this.found.set(key, this.found.has(key) ? null : program);
  }

  /** A version published twice is left out: its checks wait for the end, as usual. */
  programs(): Program[] {
    return [...this.found.values()].filter((p): p is Program => p !== null);
  }
}

/**
 * The programs a file publishes, each version published once (a version
 * published twice is left out: its checks wait for the end, as usual). Only
 * lines holding the text `"ProgramPublished"` are parsed.
 */
export const programsPublishedIn = async (path: string): Promise<Program[]> => {
  const found = new PublishedPrograms();
  let carry: Buffer | undefined;
  try {
    for await (const read of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const buf = carry ? Buffer.concat([carry, read as Buffer]) : (read as Buffer);
      carry = Buffer.from(buf.subarray(found.scan(buf, false)));
    }
  } catch (cause) {
    throw readError(path, cause);
  }
  if (carry) found.scan(carry, true);
  return found.programs();
};

/**
 * Audits a log that `open` can read again from the start (a file): first in
 * memory per stream, then, only if that pass must be redone, the plain way.
 * `programsAhead`: the programs the log publishes (`programsPublishedIn`).
 */
export const auditReadable = async (
  open: () => AsyncIterable<AuditInput>,
  options: AuditOptions,
  programsAhead: readonly Program[],
): Promise<AuditReport> =>
  auditPasses(
    async (auditor, untilRedo) => {
      for await (const item of open()) {
        auditor.push(item);
        if (untilRedo && auditor.mustRedo) return;
      }
    },
    options,
    programsAhead,
  );

/** @internal `auditReadable` of a log read in batches of items (ndjson.ts: the lines of one read). */
export const auditBatches = async (
  open: () => AsyncIterable<readonly AuditInput[]>,
  options: AuditOptions,
  programsAhead: readonly Program[],
): Promise<AuditReport> =>
  auditPasses(
    async (auditor, untilRedo) => {
      for await (const batch of open())
        for (const item of batch) {
          auditor.push(item);
          if (untilRedo && auditor.mustRedo) return;
        }
    },
    options,
    programsAhead,
  );

/** The passes of `auditReadable`: `feed` reads the log into an auditor (until it must be redone). */
const auditPasses = async (
  feed: (auditor: Auditor, untilRedo: boolean) => Promise<void>,
  options: AuditOptions,
  programsAhead: readonly Program[],
): Promise<AuditReport> => {
  const pass: AuditPass = { streamsWhole: true, programsAhead };
  const auditor = new Auditor(options, undefined, pass);
  await feed(auditor, true);
  if (!auditor.mustRedo) {
    const report = auditor.finish();
    if (!auditor.mustRedo) return report;
  }
  const plain = new Auditor(options);
  await feed(plain, false);
  return plain.finish();
};
