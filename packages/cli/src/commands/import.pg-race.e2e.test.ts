import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, tempDir } from "../testing/files.js";
import { startVafa, vafa } from "../testing/vafa.js";

// Issue 4 acceptance (spec 5.9): two processes redeeming from the same member
// at the same moment against the PostgreSQL server never overdraw it.
const url = process.env.VAFA_PG_URL;
const PROGRAM = fixture("vectors/jalali/program.json"); // pendingDays 0: points are available at once
const REDEMPTIONS = 40;
const POINTS = 10_000; // minPoints of that program

describe.skipIf(!url)(
  `two processes redeem at once on PostgreSQL${url ? "" : " (skipped: set VAFA_PG_URL)"}`,
  () => {
    it("never overdraw: exactly the points the member had are redeemed, and the audit is clean", async () => {
      const dir = tempDir("pg-race");
      const schema = `race_${randomUUID().replaceAll("-", "")}`;
      const store = `${url}${(url as string).includes("?") ? "&" : "?"}schema=${schema}`;
      // The member earns 1000 signup + 100000 from the purchase: 101000 points, ten redemptions' worth.
      const setup = join(dir, "setup.ndjson");
      writeFileSync(
        setup,
        [
          { type: "join", memberId: "m", at: "2012-01-01T00:00:00Z", kind: "person" },
          {
            type: "purchase",
            memberId: "m",
            at: "2012-01-02T00:00:00Z",
            purchaseId: "p",
            amount: "1000000000",
          },
        ]
          .map((c) => JSON.stringify(c))
          .join("\n"),
      );
      const first = await vafa(["import", "--program", PROGRAM, "--store", store, "--json", setup]);
      expect(first.code, first.stderr).toBe(0);
      const files = ["a", "b"].map((who) => {
        const path = join(dir, `${who}.ndjson`);
        const lines = Array.from({ length: REDEMPTIONS }, (_, i) =>
          JSON.stringify({
            type: "redeem",
            memberId: "m",
            at: "2012-01-03T00:00:00Z",
            redemptionId: `${who}-${i}`,
            points: POINTS,
          }),
        );
        writeFileSync(path, lines.join("\n"));
        return path;
      });
      const runs = await Promise.all(
        files.map((f) => startVafa(["import", "--program", PROGRAM, "--store", store, "--json", f])),
      );
      const results = await Promise.all(runs.map((r) => r.done));
      const summaries = results.map((r) => JSON.parse(r.stdout) as { accepted: number; rejected: number });
      // Both processes ran to the end; together they redeemed exactly what the member held.
      expect(summaries.map((s) => s.accepted + s.rejected)).toEqual([REDEMPTIONS, REDEMPTIONS]);
      expect((summaries[0]?.accepted ?? 0) + (summaries[1]?.accepted ?? 0)).toBe(10);
      const balances = await vafa([
        "balances",
        "--store",
        store,
        "--as-of",
        "2012-01-04T00:00:00Z",
        "--format",
        "json",
      ]);
      const [m] = JSON.parse(balances.stdout) as { available: number; redeemed: number }[];
      expect(m).toMatchObject({ available: 1_000, redeemed: 100_000 });
      const audit = await vafa(["audit", "--store", store, "--json"]);
      expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, findings: [] });
    });
  },
);
