import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAuditor } from "./main.js";

describe("examples/auditor", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vafa-auditor-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const result = await runAuditor(dir, (l) => lines.push(l));

  it("7 a clean ledger audits clean, from the store and from its export", () => {
    expect(result.storeAudit).toMatchObject({ ok: true, findings: [] });
    expect(result.exportAudit).toMatchObject({ ok: true, findings: [], events: result.exported });
    expect(result.storeAudit.events).toBe(result.exported);
    expect(result.storeAudit.streams).toBe(301); // 300 members + the program stream
    expect(lines).toContain(`audit of the store: clean (301 streams, ${result.exported} events)`);
  });

  it("7 one changed number gives exactly one HASH_MISMATCH, on that event", () => {
    const hashes = result.tamperedAudit.findings.filter((f) => f.code === "HASH_MISMATCH");
    expect(hashes).toHaveLength(1);
    expect(hashes[0]).toMatchObject(result.tampered);
    expect(result.tamperedAudit.ok).toBe(false);
    // the content checks may add findings, but only on the tampered stream
    for (const f of result.tamperedAudit.findings as { streamId: string | null }[])
      expect(f.streamId).toBe(result.tampered.streamId);
  });

  it("6 the report's roll-forward adds up and its liability is bucketed", () => {
    const report = readFileSync(result.reportPath, "utf8");
    const row = report.split("\n").find((l) => /^\| \d/.test(l)) as string;
    const [opening, earned, redeemed, reversed, expired, clawed, debited, closing] = row
      .split("|")
      .slice(1, 9)
      .map((c) => Number(c.trim())) as [number, number, number, number, number, number, number, number];
    expect(opening + earned - redeemed + reversed - expired - clawed - debited).toBe(closing);
    expect(earned).toBeGreaterThan(0);
    expect(report).toMatch(/Outstanding \d+ points worth [0-9.]+ GBP/);
    for (const bucket of ["le30", "d31_90", "d91_180", "d181_365", "gt365", "never"])
      expect(report).toContain(`| ${bucket} |`);
  });
});
