import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, tempDir } from "./testing/files.js";
import { cliEntry, type VafaResult, vafa } from "./testing/vafa.js";

// Spec 8: every error a person can cause prints one clear line naming the
// thing, exits non-zero, and never shows a stack trace.
const expectOneLine = (r: VafaResult, code: number, pattern: RegExp) => {
  expect(r.code).toBe(code);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
  expect(lines[0]).toMatch(pattern);
};

const PROGRAM = fixture("vectors/gregorian/program.json");
const COMMANDS = fixture("vectors/gregorian/commands.ndjson");

beforeAll(async () => {
  await cliEntry();
}, 300_000);

describe("8 errors a person can cause", () => {
  const work = tempDir("errors");

  it("a missing commands file: exit 2, names the file", async () => {
    const r = await vafa([
      "import",
      "--program",
      PROGRAM,
      "--store",
      "memory:",
      join(work, "missing.ndjson"),
    ]);
    expectOneLine(r, 2, /missing\.ndjson: no such file; check the path/);
  });

  it("a missing program file: exit 2, names it", async () => {
    const r = await vafa(["import", "--program", join(work, "nope.json"), "--store", "memory:", COMMANDS]);
    expectOneLine(r, 2, /program .*nope\.json: no such file/);
  });

  it("a missing --events file: exit 2, names it", async () => {
    const r = await vafa(["balances", "--events", join(work, "none.ndjson"), "--as-of", "2011-01-01"]);
    expectOneLine(r, 2, /--events .*none\.ndjson: no such file/);
  });

  it("a bad flag: exit 2, names it", async () => {
    const r = await vafa(["export", "--outfile", "x"]);
    expectOneLine(r, 2, /unknown option '--outfile'.*see vafa export --help/);
  });

  it("an unreachable store: exit 1, names the store", async () => {
    const r = await vafa(["import", "--program", PROGRAM, "--store", "postgres://127.0.0.1:1/x", COMMANDS]);
    expectOneLine(r, 1, /store postgres:\/\/127\.0\.0\.1:1\/x: .*ECONNREFUSED/);
  });

  it("an unreachable store for a query: exit 1", async () => {
    const r = await vafa(["balances", "--store", "postgres://127.0.0.1:1/x", "--as-of", "2011-01-01"]);
    expectOneLine(r, 1, /store postgres:\/\/127\.0\.0\.1:1\/x/);
  });

  it("a malformed program: exit 2, names the key", async () => {
    const program = join(work, "bad-program.json");
    writeFileSync(program, JSON.stringify({ ...JSON.parse('{"programId":"x","version":0}') }));
    const r = await vafa(["import", "--program", program, "--store", "memory:", COMMANDS]);
    expectOneLine(r, 2, /program .*bad-program\.json: version: /);
  });

  it("a malformed line is a VALIDATION rejection with its line number, exit 3", async () => {
    const commands = join(work, "bad-line.ndjson");
    writeFileSync(
      commands,
      '{"type":"join","memberId":"a","at":"2011-01-01T00:00:00Z","kind":"person"}\n{oops\n',
    );
    const r = await vafa(["import", "--program", PROGRAM, "--store", "memory:", commands]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("1 accepted, 1 rejected, 3 events appended\n");
    expectOneLine(r, 3, /^line 2: VALIDATION line: not valid JSON/);
  });

  it("a damaged export given to a query: exit 2, names the file and line", async () => {
    const events = join(work, "damaged.ndjson");
    writeFileSync(events, "{nope\n");
    const r = await vafa(["balances", "--events", events, "--as-of", "2011-01-01"]);
    expectOneLine(r, 2, /--events .*damaged\.ndjson line 1: not valid JSON; run vafa audit/);
  });

  it("an --out path in a missing directory: exit 2", async () => {
    const r = await vafa(["export", "--store", "memory:", "--out", join(work, "no/such/dir.ndjson")]);
    expectOneLine(r, 2, /--out .*dir\.ndjson: no such file; check the path/);
  });
});
