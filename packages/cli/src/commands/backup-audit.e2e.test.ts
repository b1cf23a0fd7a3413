import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, tempDir } from "../testing/files.js";
import { cliEntry, type VafaResult, vafa } from "../testing/vafa.js";

// Issue 9: restore (docs/stores.md "Backup and restore"), the head digest
// (docs/auditing.md) and queries that verify the file they read.
const PROGRAM = fixture("online-retail/program.json");
const COMMANDS = fixture("online-retail/slice-commands.ndjson");
const GOLDEN = fixture("vectors/gregorian/expected-events.ndjson");

const oneLine = (r: VafaResult, code: number, pattern: RegExp) => {
  expect(r.code).toBe(code);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
};

beforeAll(async () => {
  await cliEntry();
}, 300_000);

describe("export of an import: head digest, restore, verified queries (Online Retail slice, PGlite)", () => {
  const work = tempDir("backup");
  const store = `pglite:${join(work, "db")}`;
  const exported = join(work, "events.ndjson");
  let head = "";

  beforeAll(async () => {
    const imported = await vafa(["import", "--program", PROGRAM, "--store", store, COMMANDS]);
    expect([0, 3]).toContain(imported.code);
    expect((await vafa(["export", "--store", store, "--out", exported])).code).toBe(0);
  }, 300_000);

  it("audit prints the head; the store and its export have the same head; --expect-head passes", async () => {
    const file = await vafa(["audit", "--events", exported]);
    expect(file.code).toBe(0);
    const match = /\nhead ([0-9a-f]{64})\n$/.exec(file.stdout);
    expect(file.stdout).toMatch(/^\d+ streams, \d+ events: clean\n/);
    head = match?.[1] as string;
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    const fromStore = await vafa(["audit", "--store", store, "--json", "--expect-head", head]);
    expect(fromStore.code).toBe(0);
    expect(JSON.parse(fromStore.stdout)).toMatchObject({ ok: true, head, headMatches: true });
  });

  it("the same export with its last 10 lines removed audits clean but fails --expect-head: HEAD_MISMATCH, exit 1", async () => {
    const lines = readFileSync(exported, "utf8").trimEnd().split("\n");
    const truncated = join(work, "truncated.ndjson");
    writeFileSync(truncated, `${lines.slice(0, -10).join("\n")}\n`);
    const plain = await vafa(["audit", "--events", truncated]);
    expect(plain.code).toBe(0); // the chain alone cannot see a cut-off end
    const r = await vafa(["audit", "--events", truncated, "--expect-head", head]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`\\nHEAD_MISMATCH: the log no longer reaches head ${head}`));
    const json = await vafa(["audit", "--events", truncated, "--expect-head", head, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, findings: [], headMatches: false });
    expect(json.code).toBe(1);
  });

  it("--head-at: the head of a grown log as it was when the head was taken", async () => {
    const lines = readFileSync(exported, "utf8").trimEnd().split("\n");
    const latest = lines
      .map((l) => (JSON.parse(l) as { recordedAt: string }).recordedAt)
      .sort()
      .at(-1) as string;
    // a sweep appends after the head was taken: the whole log moved on, its past did not
    const swept = await vafa([
      "sweep",
      "--program",
      PROGRAM,
      "--store",
      store,
      "--at",
      "2011-12-31T00:00:00Z",
    ]);
    expect(swept.code).toBe(0);
    expect((await vafa(["audit", "--store", store, "--expect-head", head])).code).toBe(1);
    const r = await vafa(["audit", "--store", store, "--expect-head", head, "--head-at", latest]);
    expect(r.stdout).toContain(`head ${head} (events recorded at or before ${latest})`);
    expect(r.code).toBe(0);
  });

  it("restore into a new PGlite store, export again: byte-identical; a second restore is STORE_NOT_EMPTY", async () => {
    const target = `pglite:${join(work, "restored")}`;
    const r = await vafa(["restore", "--store", target, exported]);
    expect(r.stdout).toMatch(/^restored \d+ events in \d+ streams into pglite:/);
    expect(r.code).toBe(0);
    const again = join(work, "again.ndjson");
    expect((await vafa(["export", "--store", target, "--out", again])).code).toBe(0);
    expect(readFileSync(again, "utf8")).toBe(readFileSync(exported, "utf8"));
    oneLine(
      await vafa(["restore", "--store", target, exported]),
      1,
      /^vafa: STORE_NOT_EMPTY: store pglite:.* already holds \d+ streams/,
    );
  }, 300_000);

  it("a tampered export: restore loads nothing, every query over it stops at the line with HASH_MISMATCH", async () => {
    const lines = readFileSync(exported, "utf8").trimEnd().split("\n");
    const index = lines.findIndex((l) => l.includes('"type":"PurchaseRecorded"'));
    lines[index] = (lines[index] as string).replace(/"amount":"[0-9.]+"/, '"amount":"99999"');
    const tampered = join(work, "tampered.ndjson");
    writeFileSync(tampered, `${lines.join("\n")}\n`);
    const line = new RegExp(
      `^vafa: HASH_MISMATCH (--events|restore) .*tampered\\.ndjson line ${index + 1}: member-`,
    );
    const target = join(work, "never");
    oneLine(await vafa(["restore", "--store", `pglite:${target}`, tampered]), 1, line);
    oneLine(await vafa(["audit", "--store", `pglite:${target}`]), 2, /^vafa: no store at /);
    const queries: string[][] = [
      ["balances", "--as-of", "2011-12-31T00:00:00Z"],
      ["rfm", "--as-of", "2011-12-31T00:00:00Z"],
      ["liability", "--as-of", "2011-12-31T00:00:00Z"],
      ["kpis", "--from", "2011-01-01T00:00:00Z", "--to", "2012-01-01T00:00:00Z"],
      ["rollforward", "--from", "2011-01-01T00:00:00Z", "--to", "2012-01-01T00:00:00Z"],
      ["report", "--as-of", "2011-12-31T00:00:00Z", "--out", join(work, "r.html")],
    ];
    for (const [name, ...args] of queries) {
      const r = await vafa([name as string, "--events", tampered, ...args]);
      oneLine(r, 1, line);
      expect(r.stdout).toBe("");
      // --no-verify reads it anyway
      expect((await vafa([name as string, "--events", tampered, "--no-verify", ...args])).code).toBe(0);
    }
  }, 300_000);
});

const pgUrl = process.env.VAFA_PG_URL;
describe("restore on PostgreSQL", () => {
  if (!pgUrl) {
    it.skip("skipped because VAFA_PG_URL is not set (no server to test against)", () => {});
    return;
  }
  it("export -> restore -> export is byte-identical in a fresh schema; a second restore is STORE_NOT_EMPTY", async () => {
    const work = tempDir("restore-pg");
    const url = new URL(pgUrl);
    url.searchParams.set("schema", `restore_${Date.now().toString(36)}`);
    const target = url.toString();
    const r = await vafa(["restore", "--store", target, GOLDEN]);
    expect(r.code).toBe(0);
    const out = join(work, "again.ndjson");
    expect((await vafa(["export", "--store", target, "--out", out])).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(GOLDEN, "utf8"));
    oneLine(await vafa(["restore", "--store", target, GOLDEN]), 1, /STORE_NOT_EMPTY/);
  }, 120_000);
});

describe("restore of the golden export on PGlite", () => {
  it("restores to the same bytes", async () => {
    const work = tempDir("restore-golden");
    const target = `pglite:${join(work, "db")}`;
    expect((await vafa(["restore", "--store", target, GOLDEN])).code).toBe(0);
    const out = join(work, "again.ndjson");
    expect((await vafa(["export", "--store", target, "--out", out])).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(GOLDEN, "utf8"));
  }, 120_000);
});
