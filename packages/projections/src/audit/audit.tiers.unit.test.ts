import { DAY_MS, initialMemberState, type MemberState, type ProposedEvent, type Purchase } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { program } from "../../../core/src/testing/program.js";
import { type EventLocation, Findings } from "./findings.js";
import { ProgramBook } from "./programs.js";
import { TierCheck } from "./tier-checks.js";

// Spec 5.7 and 7 TIER_MISMATCH on TierCheck itself: a TierChanged against the
// member's state before it, and a check run late (its program published after
// the member stream) counting only the purchases and refunds recorded before it.

const tiers = program(); // bronze from 0, silver from 500 (spend over 365 days)
const T = Date.parse("2011-03-01T10:00:00.000Z");
const units = (amount: number) => BigInt(amount) * 100_000_000n;
const purchase = (purchaseId: string, amount: number, refunds: [string, number][] = []): Purchase => ({
  purchaseId,
  amount: String(amount),
  amountUnits: units(amount),
  at: T - DAY_MS,
  refunded: "0",
  refundedUnits: 0n,
  refunds: refunds.map(([refundId, a]) => ({ refundId, amount: String(a), units: units(a), at: T - DAY_MS })),
  earned: 0,
});
const loc = (revision: number): EventLocation => ({
  streamId: "member-m1",
  revision,
  eventId: `e${revision}`,
});
const tierChanged = (
  revision: number,
  data: { from: string; to: string; direction: "up" | "down"; metric: string },
  version = 1,
) =>
  ({
    revision,
    type: "TierChanged",
    data,
    metadata: { programId: "test", programVersion: version },
  }) as unknown as ProposedEvent<"TierChanged">;
const full = (f: Findings) => f.list.map((x) => `${x.code} ${x.streamId}@${x.revision}: ${x.message}`);

/** p1 (600) at revision 1, refunded 50 at revision 3; p2 (100) at revision 5. */
const member = (tier = "bronze", tierSince = 0): MemberState => {
  const s = initialMemberState("member-m1", tier);
  s.tierSince = tierSince;
  s.purchases.set("p1", purchase("p1", 600, [["f1", 50]]));
  s.purchases.set("p2", purchase("p2", 100));
  return s;
};
const setup = (s: MemberState, given = [tiers]) => {
  const findings = new Findings();
  const book = new ProgramBook(given);
  const check = new TierCheck(s, findings, book);
  check.purchaseRecorded("p1", 1);
  check.refundRecorded("f1", 3);
  check.purchaseRecorded("p2", 5);
  return { findings, book, check };
};

describe("spec 7 TIER_MISMATCH: a TierChanged against the state before it", () => {
  it("a check run late counts only the purchases and refunds before the TierChanged", () => {
    const { findings, check } = setup(member());
    check.check(tierChanged(2, { from: "bronze", to: "silver", direction: "up", metric: "600" }), loc(2), T);
    expect(full(findings)).toEqual([]);
  });

  it("a refund recorded before the TierChanged counts", () => {
    const { findings, check } = setup(member());
    check.check(tierChanged(4, { from: "bronze", to: "silver", direction: "up", metric: "600" }), loc(4), T);
    expect(full(findings)).toEqual(["TIER_MISMATCH member-m1@4: metric is 600, the purchases give 550"]);
  });

  it("every purchase and refund before it counts", () => {
    const { findings, check } = setup(member());
    check.check(tierChanged(6, { from: "bronze", to: "silver", direction: "up", metric: "600" }), loc(6), T);
    expect(full(findings)).toEqual(["TIER_MISMATCH member-m1@6: metric is 600, the purchases give 650"]);
  });

  it("a purchase or refund the check never saw recorded counts as before it", () => {
    const s = member();
    const findings = new Findings();
    const check = new TierCheck(s, findings, new ProgramBook([tiers]));
    check.check(tierChanged(2, { from: "bronze", to: "silver", direction: "up", metric: "650" }), loc(2), T);
    expect(full(findings)).toEqual([]);
  });

  it("from must be the member's stored tier", () => {
    const { findings, check } = setup(member("silver"));
    check.check(tierChanged(2, { from: "bronze", to: "silver", direction: "up", metric: "600" }), loc(2), T);
    expect(full(findings)).toEqual(["TIER_MISMATCH member-m1@2: from is bronze, the member was in silver"]);
  });

  it("with no stored tier, from is checked against the program's first level", () => {
    const { findings, check } = setup(member(""));
    check.check(tierChanged(2, { from: "silver", to: "silver", direction: "up", metric: "600" }), loc(2), T);
    expect(full(findings)).toEqual([
      "TIER_MISMATCH member-m1@2: from is silver, the member was in bronze; direction up does not match silver -> silver",
    ]);
  });

  it("a move down is checked against tierSince and retentionDays", () => {
    const retained = program({ tiers: { retentionDays: 30 } });
    const down = { from: "silver", to: "bronze", direction: "down", metric: "100" } as const;
    const s = member("silver", T - 10 * DAY_MS);
    s.purchases.delete("p1");
    const { findings, check } = setup(s, [retained]);
    check.check(tierChanged(6, down), loc(6), T);
    expect(full(findings)).toEqual([
      "TIER_MISMATCH member-m1@6: move down before tierSince + retentionDays (2011-03-21T10:00:00.000Z)",
    ]);
    const later = setup(member("silver", T - 30 * DAY_MS), [retained]);
    later.check.check(tierChanged(2, { ...down, metric: "600" }), loc(2), T);
    expect(full(later.findings)).toEqual([
      "TIER_MISMATCH member-m1@2: to is bronze, the target at 2011-03-01T10:00:00.000Z is silver",
    ]);
  });

  it("a TierChanged of an unknown program version is checked once the version is published", () => {
    const { findings, check, book } = setup(member(), []);
    check.check(tierChanged(6, { from: "bronze", to: "silver", direction: "up", metric: "600" }), loc(6), T);
    expect(full(findings)).toEqual([]);
    book.publish(tiers);
    book.finish(findings);
    expect(full(findings)).toEqual(["TIER_MISMATCH member-m1@6: metric is 600, the purchases give 650"]);
  });
});
