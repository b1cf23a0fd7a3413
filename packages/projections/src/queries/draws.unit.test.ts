import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { StoredEvent } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { feed } from "../testing/compare.js";

// Club spec §3: DrawEntered.points counts as redeemed in balances, KPIs,
// liability and the roll-forward (fixtures/club-vectors/draws-gregorian:
// ali 3 tickets at 20 = 60, reza 2 = 40, nina 1 = 20 plus 2 silver-night tickets at 10, all in February 2011).

const path = fileURLToPath(
  new URL("../../../../fixtures/club-vectors/draws-gregorian/expected-events.ndjson", import.meta.url),
);
const events = readFileSync(path, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l, i) => ({ ...JSON.parse(l), position: BigInt(i + 1) }) as StoredEvent);

describe("club §3 draw tickets count as redeemed", () => {
  const p = feed(events);
  it("balances: redeemed per member, available after the tickets", () => {
    const rows = p.balancesAsOf("2011-02-28T00:00:00.000Z");
    const redeemed = Object.fromEntries(rows.map((r) => [r.memberId, r.redeemed]));
    expect(redeemed).toEqual({ ali: 60, nina: 40, reza: 40, sara: 0 });
    const ali = rows.find((r) => r.memberId === "ali");
    expect(ali?.available).toBe(50 + 400 - 60);
  });
  it("KPIs and the roll-forward count them in the period; liability leaves them out", () => {
    const from = "2011-02-01T00:00:00.000Z";
    const to = "2011-03-01T00:00:00.000Z";
    expect(p.kpis(from, to).pointsRedeemed).toBe(140);
    const rf = p.rollforward(from, to);
    expect(rf.redeemed).toBe(140);
    expect(rf.opening + rf.earned - rf.redeemed + rf.reversed - rf.expired - rf.clawedBack - rf.debited).toBe(
      rf.closing,
    );
    const balances = p.balancesAsOf("2011-02-28T00:00:00.000Z");
    const outstanding = balances.reduce((s, r) => s + r.available + r.pending, 0);
    expect(p.liabilityAsOf("2011-02-28T00:00:00.000Z").points).toBe(outstanding);
  });
});
