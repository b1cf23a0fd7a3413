import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli.js";
import { memoryIo } from "./testing/memory-io.js";

const run = async (args: string[], stdin = "") => {
  const m = memoryIo(stdin);
  const code = await runCli(args, m.io);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
};

const oneLine = (text: string) => {
  const lines = text.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
  return lines[0] as string;
};

describe("8 command line: usage errors are one line, exit 2", () => {
  it("an unknown option names it and points at --help", async () => {
    const r = await run(["balances", "--as-of", "2011-01-01", "--colour"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(
      /^vafa balances: unknown option '--colour'.*; see vafa balances --help$/,
    );
  });

  it("a missing required option names it", async () => {
    const r = await run(["kpis", "--from", "2011-01-01"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain("--to <time>");
  });

  it("an unknown command is a usage error", async () => {
    const r = await run(["balance"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/unknown command 'balance'/);
  });

  it("a bad --format value lists the choices", async () => {
    const r = await run(["rfm", "--as-of", "2011-01-01", "--format", "xml"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/json, csv, table/);
  });

  it("a bad time names the flag and shows the expected form", async () => {
    const r = await run(["balances", "--events", "x.ndjson", "--as-of", "2011-02-30T00:00:00Z"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/--as-of "2011-02-30T00:00:00Z": not a valid time/);
  });

  it("--from not before --to is a usage error", async () => {
    const r = await run(["kpis", "--events", "x", "--from", "2011-02-01", "--to", "2011-01-01"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/--from .* must be before --to/);
  });

  it("--store and --events together conflict", async () => {
    const r = await run(["audit", "--store", "memory:", "--events", "x.ndjson"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/--events.*cannot be used with.*--store/);
  });

  it("an unknown store URL says which forms exist", async () => {
    const r = await run(["export", "--store", "mysql://x"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/--store "mysql:\/\/x": unknown store; use pglite:<dir>/);
  });

  it("a missing commands file names the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-cli-"));
    const program = join(dir, "p.json");
    writeFileSync(program, "{}");
    const r = await run([
      "import",
      "--program",
      "fixtures/vectors/gregorian/program.json",
      "--store",
      "memory:",
      join(dir, "nope.ndjson"),
    ]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/commands .*nope\.ndjson: no such file; check the path/);
  });

  it("a malformed program names the file and the key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-cli-"));
    const program = join(dir, "p.json");
    writeFileSync(program, JSON.stringify({ programId: "club" }));
    const r = await run(["import", "--program", program, "--store", "memory:", "-"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/program .*p\.json: version: .*fix the program/);
  });

  it("a program that is not JSON says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-cli-"));
    const program = join(dir, "p.json");
    writeFileSync(program, "{ nope");
    const r = await run(["sweep", "--program", program, "--store", "memory:", "--at", "2011-01-01"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/program .*p\.json: not valid JSON/);
  });
});

describe("8 command line: help", () => {
  it("every command has --help with an example, exit 0", async () => {
    for (const command of [
      "import",
      "sweep",
      "export",
      "audit",
      "balances",
      "rfm",
      "liability",
      "kpis",
      "rollforward",
      "report",
    ]) {
      const r = await run([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`vafa ${command}`);
      expect(r.stdout).toMatch(/Examples:\n {2}\$ vafa /);
    }
  });

  it("no command prints the help and is a usage error", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: vafa");
  });
});
