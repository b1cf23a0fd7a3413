import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { Decimal } from "decimal.js";
import { afterAll, describe, expect, it } from "vitest";
import { runAnalyst, SEGMENTS } from "./main.js";

// Cross-checks the CSVs against the commands themselves (fixtures/cdnow).
const commands = readFileSync(new URL("../../fixtures/cdnow/slice-commands.ndjson", import.meta.url), "utf8")
  .trimEnd()
  .split("\n")
  .map((l) => JSON.parse(l) as { type: string; at: string; memberId?: string; amount?: string });
const purchases = commands.filter((c) => c.type === "purchase");

describe("examples/analyst", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vafa-analyst-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files = await runAnalyst({ year: 1997, outDir: dir });
  const read = (name: string) =>
    parse(readFileSync(join(dir, name), "utf8"), { columns: true }) as Record<string, string>[];

  it("writes the three CSV files", () => {
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      "kpis-1997.csv",
      "segments-1997.csv",
      "rfm-1997-12-31.csv",
    ]);
  });

  it("6 kpis: one row per month; revenue is the month's purchases (CDNOW has no refunds)", () => {
    const kpis = read("kpis-1997.csv");
    expect(kpis.map((k) => k.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `1997-${String(i + 1).padStart(2, "0")}`),
    );
    for (const k of kpis) {
      const expected = purchases
        .filter((p) => p.at.startsWith(k.month as string))
        .reduce((sum, p) => sum.plus(p.amount as string), new Decimal(0));
      expect(new Decimal(k.revenue as string).eq(expected)).toBe(true);
      const active = new Set(
        purchases.filter((p) => p.at.startsWith(k.month as string)).map((p) => p.memberId),
      ).size;
      expect(Number(k.activeMembers)).toBe(active);
      const share = Number(k.top20RevenueShare);
      expect(share).toBeGreaterThanOrEqual(0.2); // the top 20% hold at least 20% of revenue
      expect(share).toBeLessThanOrEqual(1);
      // tier counts add up to the members
      expect(Number(k.tier_bronze) + Number(k.tier_silver) + Number(k.tier_gold)).toBe(Number(k.members));
    }
    expect(kpis.reduce((n, k) => n + Number(k.newMembers), 0)).toBe(
      commands.filter((c) => c.type === "join").length,
    );
  });

  it("6 rfm: each month end's segments count every member who bought by then", () => {
    const segments = read("segments-1997.csv");
    for (const row of segments) {
      const monthEnd = new Date(
        Date.UTC(1997, Number((row.monthEnd as string).slice(5)), 1) - 1,
      ).toISOString();
      const buyers = new Set(
        purchases.filter((p) => new Date(p.at).toISOString() <= monthEnd).map((p) => p.memberId),
      ).size;
      expect(SEGMENTS.reduce((n, s) => n + Number(row[s]), 0)).toBe(buyers);
    }
  });

  it("6 rfm: the year-end table has one row per buyer, sorted by memberId, scores 1..5", () => {
    const rfm = read("rfm-1997-12-31.csv");
    const ids = rfm.map((r) => r.memberId as string);
    expect(ids).toEqual([...ids].sort());
    expect(ids.length).toBe(new Set(purchases.filter((p) => p.at < "1998").map((p) => p.memberId)).size);
    for (const r of rfm) for (const k of ["r", "f", "m"]) expect(Number(r[k])).toBeGreaterThanOrEqual(1);
    expect(new Set(rfm.map((r) => r.segment)).size).toBeGreaterThan(3);
  });
});
