import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, ndjson, readJson, readNdjson, tempDir, withoutRecordedAt } from "../testing/files.js";
import { cliEntry, vafa } from "../testing/vafa.js";

// Club spec §3, §7, §8 through the built CLI on PGlite: the draw vectors
// (fixtures/club-vectors/draws-gregorian), every new rejection code through
// `vafa import` with the store left unchanged, `vafa draw` and `vafa draw-verify`.

const dir = fixture("club-vectors/draws-gregorian");
const PROGRAM = join(dir, "program.json");
const COMMANDS = join(dir, "commands.ndjson");
const lines = readFileSync(COMMANDS, "utf8").split("\n").filter(Boolean);
const lineAndCode = (rows: Record<string, unknown>[]) => rows.map((r) => ({ line: r.line, code: r.code }));

beforeAll(async () => {
  await cliEntry();
}, 300_000);

const exportOf = async (store: string) => {
  const r = await vafa(["export", "--store", store]);
  expect(r.code).toBe(0);
  return r.stdout;
};

describe("club §3 draws through vafa", () => {
  const work = tempDir("draws");
  const store = `pglite:${join(work, "db")}`;
  const exportFile = join(work, "events.ndjson");

  it("§8 import: the expected summary, rejections and events; the export audits clean", async () => {
    const rejects = join(work, "rejects.ndjson");
    const r = await vafa([
      "import",
      "--program",
      PROGRAM,
      "--store",
      store,
      "--json",
      "--rejects",
      rejects,
      COMMANDS,
    ]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual(readJson(join(dir, "expected-summary.json")));
    expect(lineAndCode(readNdjson(rejects))).toEqual(
      lineAndCode(readNdjson(join(dir, "expected-rejects.ndjson"))),
    );
    const exported = await exportOf(store);
    writeFileSync(exportFile, exported);
    expect(withoutRecordedAt(ndjson(exported))).toEqual(
      withoutRecordedAt(readNdjson(join(dir, "expected-events.ndjson"))),
    );
    const audit = await vafa(["audit", "--events", exportFile, "--json"]);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, findings: [] });
    expect(audit.code).toBe(0);
  });

  it("§7 every draw rejection code through import, with the store unchanged", async () => {
    // A store with the entry window still open: joins, purchases and ali's first entry.
    const open = `pglite:${join(work, "open")}`;
    const prefix = join(work, "prefix.ndjson");
    writeFileSync(prefix, `${lines.slice(0, 9).join("\n")}\n`);
    expect((await vafa(["import", "--program", PROGRAM, "--store", open, prefix])).code).toBe(3);
    const at = "2011-02-06T10:00:00Z";
    const enter = (memberId: string, drawId: string, tickets: number) =>
      JSON.stringify({ type: "enter-draw", memberId, at, drawId, entryId: "x1", tickets });
    const draw = (drawId: string, seed: string, when = "2011-03-01T00:00:00Z", beacon?: string) =>
      JSON.stringify({ type: "draw", at: when, drawId, seed, ...(beacon ? { beacon } : {}) });
    const cases: [string, string, string][] = [
      [open, enter("ali", "winter", 1), "UNKNOWN_DRAW"],
      [
        open,
        JSON.stringify({ ...JSON.parse(enter("ali", "spring", 1)), at: "2011-03-01T00:00:00Z" }),
        "DRAW_CLOSED",
      ],
      [open, enter("ali", "by-spend", 1), "VALIDATION"],
      [open, enter("ali", "silver-night", 1), "TIER_NOT_ELIGIBLE"],
      [open, enter("ali", "spring", 8), "TICKET_LIMIT"],
      [open, enter("reza", "spring", 3), "INSUFFICIENT_POINTS"],
      [open, enter("nina", "dear", 2), "VALIDATION"],
      [open, draw("spring", "spring-seed", "2011-02-28T23:59:59Z"), "DRAW_NOT_CLOSED"],
      [open, draw("spring", "wrong"), "SEED_MISMATCH"],
      [open, draw("summer", "x"), "UNKNOWN_DRAW"],
      [store, draw("spring", "spring-seed", "2011-03-01T00:00:00Z", "round-43"), "ALREADY_DRAWN"],
      [store, draw("spring", "wrong", "2011-03-01T00:00:00Z", "round-42"), "ALREADY_DRAWN"],
    ];
    // One import per store: each line is refused with its code (by line), and the store stays as it was.
    for (const target of [open, store]) {
      const mine = cases.filter(([t]) => t === target);
      const before = await exportOf(target);
      const file = join(work, "bad.ndjson");
      const rejects = join(work, "bad-rejects.ndjson");
      writeFileSync(file, `${mine.map(([, line]) => line).join("\n")}\n`);
      const r = await vafa([
        "import",
        "--program",
        PROGRAM,
        "--store",
        target,
        "--rejects",
        rejects,
        "--json",
        file,
      ]);
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout)).toEqual({ accepted: 0, rejected: mine.length, events: 0 });
      expect(lineAndCode(readNdjson(rejects))).toEqual(mine.map(([, , code], i) => ({ line: i + 1, code })));
      expect(await exportOf(target)).toBe(before);
    }
  }, 120_000);

  it("§8 vafa draw holds a draw once; the same flags again are a no-op; other flags are ALREADY_DRAWN", async () => {
    const s = `pglite:${join(work, "draw-cmd")}`;
    const prefix = join(work, "entries.ndjson");
    writeFileSync(prefix, `${lines.slice(0, 24).join("\n")}\n`);
    expect((await vafa(["import", "--program", PROGRAM, "--store", s, prefix])).code).toBe(3);
    const args = ["draw", "--program", PROGRAM, "--store", s, "--draw", "spring", "--seed", "spring-seed"];
    const first = await vafa([...args, "--beacon", "round-42", "--at", "2011-03-01T00:00:00Z", "--json"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const expectedHeld = readNdjson(join(dir, "expected-events.ndjson")).find(
      (e) => e.streamId === "draw-spring",
    );
    const held = expectedHeld?.data as { tickets: number; entrants: number; winners: unknown[] };
    expect(JSON.parse(first.stdout)).toEqual({
      drawId: "spring",
      at: "2011-03-01T00:00:00.000Z",
      tickets: held.tickets,
      entrants: held.entrants,
      winners: held.winners,
      events: 5,
    });
    const again = await vafa([...args, "--beacon", "round-42", "--at", "2011-03-01T00:00:00Z", "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).events).toBe(0);
    const other = await vafa([...args, "--at", "2011-03-01T00:00:00Z"]);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/^draw spring: ALREADY_DRAWN /);
    const bad = await vafa([...args, "--at", "yesterday"]);
    expect(bad.code).toBe(2);
  });

  it("§8 draw-verify re-derives from the store and from an export alone (exit 0)", async () => {
    const fromStore = await vafa(["draw-verify", "--store", store, "--draw", "spring"]);
    expect(fromStore.code).toBe(0);
    expect(fromStore.stdout).toMatch(/^draw spring re-derives: 12 tickets of 4 entrants; rank 1 nina/);
    const r = await vafa(["draw-verify", "--events", exportFile, "--draw", "spring", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, drawId: "spring", problems: [] });
    for (const id of ["by-spend", "silver-night"])
      expect((await vafa(["draw-verify", "--events", exportFile, "--draw", id])).code).toBe(0);
    const missing = await vafa(["draw-verify", "--events", exportFile, "--draw", "dear"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/has not been held/);
  });

  it("§3 changing one ticket purchase in the export makes draw-verify fail, naming the member and the rank", async () => {
    const changed = readFileSync(exportFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        const e = JSON.parse(l);
        if (e.type === "DrawEntered" && e.data.entryId === "er3") e.data.tickets = 8;
        return JSON.stringify(e);
      });
    const file = join(work, "changed.ndjson");
    writeFileSync(file, `${changed.join("\n")}\n`);
    const r = await vafa(["draw-verify", "--events", file, "--draw", "spring"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/member-reza revision \d+: DrawEntered does not match its hash chain/);
    expect(r.stdout).toMatch(/rank 1: recorded nina \(5 tickets\), re-derived sara \(2 tickets\)/);
    const json = JSON.parse(
      (await vafa(["draw-verify", "--events", file, "--draw", "spring", "--json"])).stdout,
    );
    expect(json.ok).toBe(false);
    expect(json.problems).toContainEqual(expect.objectContaining({ memberId: "nina", rank: 1 }));
    expect(json.problems).toContainEqual(expect.objectContaining({ memberId: "reza" }));
    // The audit says the same: DRAW_MISMATCH on the draw, HASH_MISMATCH on the changed entry,
    // and DRAW_MISMATCH on the entry (its points no longer equal tickets × ticketCost, §3).
    const audit = JSON.parse((await vafa(["audit", "--events", file, "--json"])).stdout);
    expect(audit.findings.map((f: { code: string; streamId: string }) => `${f.code} ${f.streamId}`)).toEqual([
      "DRAW_MISMATCH draw-spring",
      "DRAW_MISMATCH draw-spring",
      "DRAW_MISMATCH draw-spring",
      "HASH_MISMATCH member-reza",
      "DRAW_MISMATCH member-reza",
    ]);
  });
});
