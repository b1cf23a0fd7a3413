import { createReadStream } from "node:fs";
import { VafaError } from "@vafa/core";
import { auditBatches, programsPublishedIn } from "./file-audit.js";
import type { AuditLine, AuditOptions, AuditReport } from "./types.js";

/**
 * The lines of an NDJSON file, split on "\n" and read as a stream (an export
 * of millions of events never sits in memory), a batch per read: the audit
 * takes them without an await per line. `line` is 1-based.
 */
async function* readNdjsonBatches(path: string): AsyncGenerator<AuditLine[]> {
  const input = createReadStream(path, { encoding: "utf8" });
  // Only the line a read cuts is joined: a chunk is never copied into a bigger string.
  let rest = "";
  let line = 0;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const batch: AuditLine[] = [];
      let start = 0;
      for (let nl = chunk.indexOf("\n"); nl >= 0; nl = chunk.indexOf("\n", start)) {
        const text = chunk.slice(start, nl);
        batch.push({ line: ++line, text: rest === "" ? text : rest + text });
        rest = "";
        start = nl + 1;
      }
      rest += chunk.slice(start);
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    throw new VafaError(
      "STORE_UNAVAILABLE",
      `cannot read export file ${path}`,
      "check the path given to --events",
      {
        cause: error,
      },
    );
  }
  if (rest !== "") yield [{ line: ++line, text: rest }];
}

/**
 * The lines of an NDJSON file, split on "\n" and read as a stream (an export
 * of millions of events never sits in memory). `line` is 1-based.
 */
export async function* readNdjsonLines(path: string): AsyncGenerator<AuditLine> {
  for await (const batch of readNdjsonBatches(path)) yield* batch;
}

/**
 * Audits an NDJSON export (spec 7, 8) line by line: a line that is not JSON
 * is a SCHEMA finding with a null stream, and the audit goes on. Memory
 * follows streams, not events, when the file lists each stream whole (an
 * export; file-audit.ts). Throws `VafaError` (STORE_UNAVAILABLE) only when
 * the file cannot be read.
 */
export const auditNdjsonFile = async (path: string, options: AuditOptions = {}): Promise<AuditReport> =>
  auditBatches(() => readNdjsonBatches(path), options, await programsPublishedIn(path));
