import { createMemoryStore } from "@vafa/adapters/memory";
import {
  createLedger,
  type EventStore,
  foldRewardStream,
  type ProposedEvent,
  type StoredEvent,
  sealClaim,
  sealEvents,
} from "@vafa/core";
import { describe, expect, it } from "vitest";
import { clubProgram } from "../testing/club-program.js";
import { auditEvents } from "./audit.js";

// club-v1 §7 and §9 audit rules for rewards, stock and coupons, on logs the ledger wrote.

const program = clubProgram([{ id: "mug", cost: 100, stock: 2, coupon: { validDays: 10 } }]);
const at = (day: number, time = "10:00:00") => `2011-01-${String(day).padStart(2, "0")}T${time}Z`;

const build = async () => {
  const store = createMemoryStore();
  const ledger = createLedger({ store, program, couponSecret: "vafa-test-secret" });
  await ledger.publishProgram(at(1));
  for (const m of ["m1", "m2", "m3"]) {
    await ledger.execute({ type: "join", memberId: m, at: at(1), kind: "person" });
    await ledger.execute({ type: "purchase", memberId: m, at: at(1), purchaseId: `p-${m}`, amount: "1000" });
  }
  // Claims out of time order: m2 at day 3 before m1 at day 2 (TIME_REVERSED does not apply).
  await ledger.execute({ type: "redeem", memberId: "m2", at: at(3), redemptionId: "r1", rewardId: "mug" });
  await ledger.execute({ type: "redeem", memberId: "m1", at: at(2), redemptionId: "r1", rewardId: "mug" });
  const code = (await ledger.loadMember("m2")).coupons.get("r1")?.code as string;
  await ledger.execute({ type: "use-coupon", memberId: "m2", at: at(4), couponId: "r1", code });
  await ledger.execute({ type: "reverse-redemption", memberId: "m1", at: at(4), redemptionId: "r1" });
  await ledger.execute({ type: "redeem", memberId: "m3", at: at(5), redemptionId: "r1", rewardId: "mug" });
  return { store, ledger };
};
const all = async (store: EventStore): Promise<StoredEvent[]> => {
  const out: StoredEvent[] = [];
  for await (const e of store.readAll()) out.push(e);
  return out;
};
const codes = async (store: EventStore) =>
  (await auditEvents(await all(store), { programs: [program] })).findings.map((f) => f.code);

describe("club-v1 §7 audit of rewards, stock and coupons", () => {
  it("a ledger's log with claims out of time order, releases and coupons audits clean", async () => {
    const { store } = await build();
    const report = await auditEvents(await all(store));
    expect(report.findings).toEqual([]);
    expect((await store.readStream("reward-mug")).map((e) => e.type)).toEqual([
      "RewardClaimed",
      "RewardClaimed",
      "RewardReleased",
      "RewardClaimed",
    ]);
  });
  it("STOCK_OVERDRAWN: claims minus releases above stock; ORPHAN_CLAIM: a claim without redemption older than a day", async () => {
    const { store } = await build();
    const stock = foldRewardStream("mug", await store.readStream("reward-mug"));
    const extra = sealClaim(stock, program, "mug", "m1", "r9", Date.parse(at(6)));
    await store.appendToStream("reward-mug", [extra], { expectedRevision: stock.revision });
    expect(await codes(store)).toEqual(["STOCK_OVERDRAWN"]);
    // A day and a bit later in the log, the claim is an orphan.
    const m3 = await store.readStream("member-m3");
    const last = m3[m3.length - 1] as ProposedEvent;
    const later = sealEvents(
      await createLedger({ store, program, couponSecret: "x" }).loadMember("m3"),
      [
        {
          type: "FeedbackSubmitted",
          occurredAt: new Date(Date.parse(at(7, "10:00:01"))).toISOString(),
          data: { feedbackId: "f1", score: 5 },
        },
      ],
      { program, commandId: "feedback:f1", correlationId: "feedback:f1" },
    );
    await store.appendToStream("member-m3", later, { expectedRevision: last.revision });
    expect(await codes(store)).toEqual(["STOCK_OVERDRAWN", "ORPHAN_CLAIM"]);
  });
  it("COUPON_MISMATCH: a coupon used after it expired", async () => {
    const { store, ledger } = await build();
    const m3 = await ledger.loadMember("m3");
    const use = sealEvents(
      m3,
      [
        {
          type: "CouponUsed",
          occurredAt: new Date(Date.parse(at(20))).toISOString(),
          data: { couponId: "r1" },
        },
      ],
      { program, commandId: "use-coupon:r1", correlationId: "use-coupon:r1" },
    );
    await store.appendToStream("member-m3", use, { expectedRevision: m3.revision });
    expect(await codes(store)).toEqual(["COUPON_MISMATCH"]);
  });
});
