import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../testing/memory-io.js";
import { EPOCH, runImport, validAtOf } from "./import.js";

const VECTORS = "fixtures/vectors";
const tmp = () => mkdtempSync(join(tmpdir(), "vafa-import-"));
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const ndjson = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));

const GREGORIAN_PROGRAM = `${VECTORS}/gregorian/program.json`;
const join1 = (id: string, at: string) => JSON.stringify({ type: "join", memberId: id, at, kind: "person" });

describe("8 import on the golden vectors (memory store, in process)", () => {
  for (const calendar of ["gregorian", "jalali"]) {
    it(`8 import --json: ${calendar} summary and rejects match the vectors`, async () => {
      const dir = tmp();
      const rejects = join(dir, "rejects.ndjson");
      const m = memoryIo();
      const code = await runImport(
        {
          program: `${VECTORS}/${calendar}/program.json`,
          store: "memory:",
          rejects,
          json: true,
          input: `${VECTORS}/${calendar}/commands.ndjson`,
        },
        m.io,
      );
      expect(code).toBe(3);
      expect(JSON.parse(m.stdout())).toEqual(readJson(`${VECTORS}/${calendar}/expected-summary.json`));
      const pick = (r: { line: number; code: string }) => ({ line: r.line, code: r.code });
      expect(ndjson(rejects).map(pick)).toEqual(
        ndjson(`${VECTORS}/${calendar}/expected-rejects.ndjson`).map(pick),
      );
      for (const r of ndjson(rejects)) expect(Object.keys(r)).toEqual(["line", "code", "message"]);
    });
  }

  it("8 import: standard input (-) gives the same result as the file", async () => {
    const m = memoryIo(readFileSync(`${VECTORS}/gregorian/commands.ndjson`, "utf8"));
    const code = await runImport(
      { program: GREGORIAN_PROGRAM, store: "memory:", json: true, input: "-" },
      m.io,
    );
    expect(code).toBe(3);
    expect(JSON.parse(m.stdout())).toEqual(readJson(`${VECTORS}/gregorian/expected-summary.json`));
  });
});

describe("8 import line rules", () => {
  it("8 import: BOM, CRLF and blank lines; line numbers are physical; not JSON / not an object is VALIDATION", async () => {
    const dir = tmp();
    const input = join(dir, "c.ndjson");
    const lines = [
      `\uFEFF${join1("a", "2011-01-01T00:00:00Z")}`,
      "   \t",
      "[1,2]",
      "",
      "{not json",
      join1("b", "2011-01-02T00:00:00Z"),
      "42",
    ];
    writeFileSync(input, `${lines.join("\r\n")}\r\n`);
    const rejects = join(dir, "r.ndjson");
    const m = memoryIo();
    const code = await runImport(
      { program: GREGORIAN_PROGRAM, store: "memory:", json: true, rejects, input },
      m.io,
    );
    expect(code).toBe(3);
    // 1 ProgramPublished + 2 joins with a 50-point signup bonus each.
    expect(JSON.parse(m.stdout())).toEqual({ accepted: 2, rejected: 3, events: 5 });
    expect(ndjson(rejects).map((r) => [r.line, r.code])).toEqual([
      [3, "VALIDATION"],
      [5, "VALIDATION"],
      [7, "VALIDATION"],
    ]);
  });

  it("8 import: all accepted exits 0 and prints a summary for a person without --json", async () => {
    const dir = tmp();
    const input = join(dir, "c.ndjson");
    writeFileSync(input, `${join1("a", "2011-01-01T00:00:00Z")}\n`);
    const m = memoryIo();
    expect(await runImport({ program: GREGORIAN_PROGRAM, store: "memory:", input }, m.io)).toBe(0);
    expect(m.stdout()).toBe("1 accepted, 0 rejected, 3 events appended\n");
  });

  it("8 import: without --rejects, rejections are listed on stderr for a person", async () => {
    const m = memoryIo("{}\n");
    expect(await runImport({ program: GREGORIAN_PROGRAM, store: "memory:", input: "-" }, m.io)).toBe(3);
    expect(m.stderr()).toMatch(/^line 1: VALIDATION /);
  });

  it("5.10 the publish date is the `at` of the first object line with a valid at, else the epoch", () => {
    expect(validAtOf('{"at":"2011-01-04T10:00:00+03:30"}')).toBe("2011-01-04T06:30:00.000Z");
    expect(validAtOf('{"at":"2011-02-30T10:00:00Z"}')).toBeUndefined();
    expect(validAtOf('[{"at":"2011-01-04T10:00:00Z"}]')).toBeUndefined();
    expect(validAtOf("nope")).toBeUndefined();
    expect(EPOCH).toBe("1970-01-01T00:00:00.000Z");
  });
});

describe("8 import interruption", () => {
  it("8 import: Ctrl-C stops after the current command, exits 1 and says it is safe to run again", async () => {
    const line = (i: number) => `${join1(`m${i}`, "2011-01-01T00:00:00Z")}\n`;
    let press = () => {};
    // Ctrl-C arrives while line 40 is read (the stream reads a little ahead of the import).
    async function* input() {
      for (let i = 1; i <= 100; i++) {
        if (i === 40) press();
        yield Buffer.from(line(i));
      }
    }
    const m = memoryIo(Readable.from(input()));
    press = m.interrupt;
    const code = await runImport(
      { program: GREGORIAN_PROGRAM, store: "memory:", json: true, input: "-" },
      m.io,
    );
    expect(code).toBe(1);
    expect(m.stdout()).toBe("");
    const said =
      /^interrupted after line (\d+) \((\d+) accepted, 0 rejected, (\d+) events appended\); it is safe to run the same import again/.exec(
        m.stderr(),
      );
    expect(said).not.toBeNull();
    const [lastLine, accepted, events] = (said ?? []).slice(1).map(Number) as [number, number, number];
    // Stopped near the press, well before the end; nothing ran after the reported line.
    expect(lastLine).toBeGreaterThanOrEqual(20);
    expect(lastLine).toBeLessThan(100);
    expect(accepted).toBe(lastLine);
    expect(events).toBe(1 + 2 * accepted); // ProgramPublished, then MemberJoined + signup bonus each
    expect(m.stderr().trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("8 import progress", () => {
  const input = `${VECTORS}/gregorian/commands.ndjson`;

  it("8 import: a terminal gets a progress bar with rate and ETA on stderr", async () => {
    const m = memoryIo("", { tty: true });
    await runImport(
      { program: GREGORIAN_PROGRAM, store: "memory:", rejects: join(tmp(), "r.ndjson"), input },
      m.io,
    );
    expect(m.stderr()).toMatch(/commands\/s \| ETA /);
    expect(m.stdout()).toBe("33 accepted, 15 rejected, 68 events appended\n");
  });

  it("8 import: no progress with --json, nor when output is not a terminal", async () => {
    const json = memoryIo("", { tty: true });
    await runImport({ program: GREGORIAN_PROGRAM, store: "memory:", json: true, input }, json.io);
    expect(json.stderr()).toBe("");
    const piped = memoryIo("", { tty: false });
    await runImport(
      { program: GREGORIAN_PROGRAM, store: "memory:", rejects: join(tmp(), "r.ndjson"), input },
      piped.io,
    );
    expect(piped.stderr()).toBe("");
  });
});

describe("8 import: a changed program under a published version (issue 9)", () => {
  it("exits 2 and says to raise version, not to run the same import again", async () => {
    const dir = tmp();
    const store = `pglite:${join(dir, "db")}`;
    const input = join(dir, "commands.ndjson");
    writeFileSync(input, `${join1("a", "2011-01-01T10:00:00Z")}\n`);
    const first = memoryIo();
    expect(await runImport({ program: GREGORIAN_PROGRAM, store, json: true, input }, first.io)).toBe(0);

    const changed = join(dir, "program.json");
    writeFileSync(changed, JSON.stringify({ ...readJson(GREGORIAN_PROGRAM), currency: "EUR" }));
    const m = memoryIo();
    const error = await runImport({ program: changed, store, json: true, input }, m.io).catch((e) => e);
    expect(error).toMatchObject({ exitCode: 2 });
    expect(error.message).toBe(
      `program ${changed}: program vectors-gbp version 1 was already published with other content (a changed program needs a new version: raise "version" to 2, or use version 1 as published); nothing was imported`,
    );
    expect(error.message).not.toMatch(/run the same import again/);
  });
});
