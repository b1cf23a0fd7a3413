import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, tempDir } from "./testing/files.js";
import { cliEntry, type VafaResult, vafa } from "./testing/vafa.js";

// Issue 9 items 2 and 3: one process per PGlite folder, and readers never create a store.
const PROGRAM = fixture("vectors/gregorian/program.json");

/** Joins then purchases in time order: enough work that an import runs for seconds. */
const makeCommands = (members: number): string => {
  const lines: string[] = [];
  const at = (d: number, m: number) =>
    new Date(Date.UTC(2011, 0, 1) + d * 86_400_000 + m * 60_000).toISOString();
  for (let i = 0; i < members; i++)
    lines.push(JSON.stringify({ type: "join", memberId: `m${i}`, at: at(0, i), kind: "person" }));
  for (let p = 0; p < 3; p++)
    for (let i = 0; i < members; i++)
      lines.push(
        JSON.stringify({
          type: "purchase",
          memberId: `m${i}`,
          at: at(1 + p, i),
          purchaseId: `m${i}-${p}`,
          amount: "25.50",
        }),
      );
  return `${lines.join("\n")}\n`;
};

const LOCKED = (dir: string, pid: number) =>
  new RegExp(
    `^vafa: store pglite:.*: the PGlite store ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is in use by process ${pid} \\(`,
  );

const expectLockedLine = (r: VafaResult, dir: string, pid: number) => {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(LOCKED(dir, pid));
};

const waitFor = async (test: () => boolean, timeoutMs: number): Promise<boolean> => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (test()) return true;
    await sleep(20);
  }
  return false;
};

beforeAll(async () => {
  await cliEntry();
}, 300_000);

describe("one writer per PGlite folder (issue 9 item 2)", () => {
  it("two imports at once: one runs, the other exits 1 naming the folder and the holder; a query while it runs too; the store audits clean after", async () => {
    const work = tempDir("lock");
    const dir = join(work, "db");
    const store = `pglite:${dir}`;
    const commands = join(work, "commands.ndjson");
    writeFileSync(commands, makeCommands(300));
    const args = ["import", "--program", PROGRAM, "--store", store, "--json", commands];
    const { startVafa } = await import("./testing/vafa.js");
    const [a, b] = await Promise.all([startVafa(args), startVafa(args)]);
    // The first to take the lock writes its pid into the lock file.
    expect(await waitFor(() => existsSync(join(dir, "vafa.lock")), 60_000)).toBe(true);
    const holder = (JSON.parse(readFileSync(join(dir, "vafa.lock"), "utf8")) as { pid: number }).pid;
    expect([a.pid, b.pid]).toContain(holder);
    const query = await vafa(["balances", "--store", store, "--as-of", "2011-02-01T00:00:00Z"]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const [winner, loser] = a.pid === holder ? [ra, rb] : [rb, ra];
    expect(winner.code).toBe(0);
    expect(JSON.parse(winner.stdout)).toMatchObject({ accepted: 1200, rejected: 0 });
    expectLockedLine(loser, dir, holder);
    // the query ran while the import held the folder (it held it until it exited)
    expectLockedLine(query, dir, holder);

    expect(existsSync(join(dir, "vafa.lock"))).toBe(false);
    const audit = await vafa(["audit", "--store", store, "--json"]);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, findings: [] });
  }, 300_000);
});

describe("only commands that write create a store (issue 9 item 3)", () => {
  const work = tempDir("nostore");
  const readers: [string, string[]][] = [
    ["audit", []],
    ["export", []],
    ["balances", ["--as-of", "2011-01-01T00:00:00Z"]],
    ["kpis", ["--from", "2011-01-01T00:00:00Z", "--to", "2011-02-01T00:00:00Z"]],
    ["report", ["--as-of", "2011-01-01T00:00:00Z", "--out", join(work, "r.html")]],
  ];
  for (const [command, extra] of readers)
    it(`${command} on a mistyped pglite path: exit 2, no store at <path>, nothing created`, async () => {
      const path = join(work, "stt", command);
      const r = await vafa([command, "--store", `pglite:${path}`, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `vafa: no store at ${path}; check --store, or create it with vafa import (or vafa restore)\n`,
      );
      expect(existsSync(join(work, "stt"))).toBe(false);
    });

  const pgUrl = process.env.VAFA_PG_URL;
  if (pgUrl)
    it("audit on a PostgreSQL schema with no Vafa tables: exit 2, nothing created", async () => {
      const url = new URL(pgUrl);
      url.searchParams.set("schema", `nostore_${Date.now().toString(36)}`);
      const r = await vafa(["audit", "--store", url.toString()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^vafa: no store at .*; check --store/);
      const again = await vafa(["audit", "--store", url.toString()]);
      expect(again.code).toBe(2); // the first run created no schema or table
    });
  else it.skip("PostgreSQL missing schema: skipped because VAFA_PG_URL is not set", () => {});

  it("a file with no program events: the library hint never reaches the CLI user", async () => {
    const file = join(work, "no-program.ndjson");
    const events = readFileSync(fixture("vectors/gregorian/expected-events.ndjson"), "utf8")
      .split("\n")
      .filter((l) => l !== "" && !l.includes('"ProgramPublished"'));
    writeFileSync(file, `${events.join("\n")}\n`);
    const r = await vafa(["balances", "--events", file, "--no-verify", "--as-of", "2011-12-31T00:00:00Z"]);
    expect(r.stderr).not.toContain("createLedgerProjection");
    expect(r.stderr).toMatch(
      /^vafa: PROGRAM_NOT_PUBLISHED: the events hold no ProgramPublished; give a whole export/,
    );
    expect(r.code).toBe(1);
  });
});
