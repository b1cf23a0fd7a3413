import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VafaError } from "@vafa/core";
import { afterAll, describe, expect, it } from "vitest";
import { exportPath, exportText, loadProgram } from "../testing/audit-export.js";
import { auditNdjsonFile, readNdjsonLines } from "./ndjson.js";
import type { AuditLine } from "./types.js";

// Spec 8 export framing as the audit reads a file (spec 7): NDJSON split on
// "\n", 1-based line numbers, the file streamed in chunks.

const dir = mkdtempSync(join(tmpdir(), "vafa-framing-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fileWith = (text: string): string => {
  const path = join(dir, `f${++files}.ndjson`);
  writeFileSync(path, text, "utf8");
  return path;
};
const linesOf = async (path: string): Promise<AuditLine[]> => {
  const out: AuditLine[] = [];
  for await (const l of readNdjsonLines(path)) out.push(l);
  return out;
};

describe("8 readNdjsonLines", () => {
  it("splits on LF, numbers lines from 1 and keeps empty lines; a final LF ends the last line", async () => {
    expect(await linesOf(fileWith("a\nbc\n\nd\n"))).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: "bc" },
      { line: 3, text: "" },
      { line: 4, text: "d" },
    ]);
  });

  it("a last line with no LF is read; an empty file has no line", async () => {
    expect(await linesOf(fileWith("a\r\nb"))).toEqual([
      { line: 1, text: "a\r" },
      { line: 2, text: "b" },
    ]);
    expect(await linesOf(fileWith(""))).toEqual([]);
    expect(await linesOf(fileWith("\n"))).toEqual([{ line: 1, text: "" }]);
  });

  it("joins a line split across read chunks (64 KiB each), multi-byte characters too", async () => {
    // 80,000 bytes after 3: the first chunk ends inside an "é" (read as bytes, it would be garbled).
    const long = "é".repeat(40_000);
    // Line 4 spans four chunks, one of them with no LF at all.
    const across = "w".repeat(100_000) + long + "v".repeat(100_000);
    const text = `xy\n${long}\n${"y".repeat(70_000)}\n${across}\nz`;
    const got = await linesOf(fileWith(text));
    expect(got.map((l) => [l.line, l.text.length])).toEqual([
      [1, 2],
      [2, 40_000],
      [3, 70_000],
      [4, 240_000],
      [5, 1],
    ]);
    expect(got[1]?.text).toBe(long);
    expect(got[3]?.text).toBe(across);
  });

  it("a file that cannot be read is STORE_UNAVAILABLE, with the path and a hint", async () => {
    const missing = join(dir, "missing.ndjson");
    const error = await linesOf(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VafaError);
    expect(error).toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: `cannot read export file ${missing} (check the path given to --events)`,
      hint: "check the path given to --events",
    });
    expect((error as Error).cause).toMatchObject({ code: "ENOENT" });
    await expect(auditNdjsonFile(missing)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});

describe("7 auditNdjsonFile", () => {
  it("7 passes its options to the audit (a given program that differs from the published one)", async () => {
    const program = loadProgram("gregorian");
    const other = { ...program, name: `${program.name} (edited)` };
    const report = await auditNdjsonFile(exportPath("gregorian"), { programs: [other] });
    expect(report.findings.map((f) => `${f.code} ${f.streamId}@${f.revision}: ${f.message}`)).toEqual([
      `SCHEMA program-${program.programId}@0: version ${program.version} differs from the program given to the audit`,
    ]);
  });

  it("7 a line that is not JSON is an unplaced SCHEMA finding and the audit goes on", async () => {
    const text = exportText("gregorian");
    const path = fileWith(`${text}{oops\n`);
    const report = await auditNdjsonFile(path);
    const count = text.split("\n").filter((l) => l !== "").length;
    expect(report.events).toBe(count);
    expect(report.findings).toEqual([
      {
        streamId: null,
        revision: null,
        eventId: null,
        code: "SCHEMA",
        message: expect.stringMatching(new RegExp(`^line ${count + 1} is not JSON \\(.+\\)$`)),
      },
    ]);
  });
});
