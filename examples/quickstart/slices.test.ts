import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { programSchema, validateCommand } from "@vafa/core";
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";

// The committed real-data slices (fixtures/*/) are the input of the demo and the
// examples: every line must be a valid spec 5 command, and the file must make sense
// as a history (a member joins before anything else, a refund names an earlier purchase
// and never refunds more than it cost).

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

for (const name of ["online-retail", "cdnow"]) {
  describe(`fixtures/${name}`, () => {
    const text = readFileSync(fixture(`${name}/slice-commands.ndjson`), "utf8");
    const lines = text.trimEnd().split("\n");
    const commands = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

    it("is small enough to commit and big enough to mean something", () => {
      expect(statSync(fixture(`${name}/slice-commands.ndjson`)).size).toBeLessThan(500_000);
      expect(lines.length).toBeGreaterThanOrEqual(1000);
      expect(lines.length).toBeLessThanOrEqual(3000);
    });

    it("5: every line is a valid command", () => {
      const invalid = commands
        .map((c, i) => ({ line: i + 1, result: validateCommand(c) }))
        .filter((r) => !r.result.ok);
      expect(invalid).toEqual([]);
    });

    it("3: its program is valid", () => {
      const program = programSchema.safeParse(
        JSON.parse(readFileSync(fixture(`${name}/program.json`), "utf8")),
      );
      expect(program.success).toBe(true);
    });

    it("is sorted by time, and joins come before a member's other commands", () => {
      const joined = new Set<string>();
      let last = Number.NEGATIVE_INFINITY;
      for (const c of commands) {
        const at = Date.parse(String(c.at));
        expect(at).toBeGreaterThanOrEqual(last);
        last = at;
        if (c.type === "join") {
          if (c.referredBy !== undefined) expect(joined.has(String(c.referredBy))).toBe(true);
          expect(joined.has(String(c.memberId))).toBe(false);
          joined.add(String(c.memberId));
        } else if (c.type !== "sweep") expect(joined.has(String(c.memberId))).toBe(true);
      }
    });

    it("has unique ids, and refunds never exceed what is left of an earlier purchase of the same member", () => {
      const purchases = new Map<string, { memberId: unknown; left: Decimal }>();
      const seen = new Set<string>();
      for (const c of commands) {
        const id = c.type === "purchase" ? c.purchaseId : c.type === "refund" ? c.refundId : c.redemptionId;
        if (id !== undefined) {
          expect(seen.has(`${c.type}:${String(id)}`)).toBe(false);
          seen.add(`${c.type}:${String(id)}`);
        }
        if (c.type === "purchase")
          purchases.set(String(c.purchaseId), { memberId: c.memberId, left: new Decimal(String(c.amount)) });
        if (c.type === "refund") {
          const p = purchases.get(String(c.purchaseId));
          expect(p?.memberId).toBe(c.memberId);
          if (!p) continue;
          p.left = p.left.minus(String(c.amount));
          expect(p.left.gte(0)).toBe(true);
        }
      }
    });

    it("exercises joins, purchases, redemptions, sweeps, birthdays and referrals", () => {
      const types = new Set(commands.map((c) => c.type));
      for (const t of ["join", "purchase", "redeem", "sweep"]) expect(types).toContain(t);
      expect(commands.some((c) => c.birthDate !== undefined)).toBe(true);
      expect(commands.some((c) => c.referredBy !== undefined)).toBe(true);
    });
  });
}

it("fixtures/online-retail has refunds of cancellations (C invoices)", () => {
  const text = readFileSync(fixture("online-retail/slice-commands.ndjson"), "utf8");
  expect(text).toMatch(/"type":"refund","memberId":"\d+","at":"[^"]+","purchaseId":"\d+","refundId":"C\d+"/);
});
