import { createMemoryStore } from "@vafa/adapters/memory";
import { describe, expect, it } from "vitest";
import { createLedger, type EventStore, type Program } from "../index.js";
import { adjust, baseProgram, club, day, join, reverse, T0, TEST_COUPON_SECRET } from "../testing/harness.js";
import { nonAtomicStore } from "../testing/non-atomic-store.js";

// club-v1 §2 stock: the reward stream, OUT_OF_STOCK, releases, claim-first with repair.

const stockProgram = (stock: number, extra = {}): Program =>
  ({
    ...baseProgram(),
    rewards: [{ id: "mug", cost: 100, stock, coupon: { validDays: 30 }, ...extra }],
  }) as Program;
const redeemMug = (memberId: string, at: string, redemptionId: string) => ({
  type: "redeem",
  memberId,
  at,
  redemptionId,
  rewardId: "mug",
});
const members = ["m1", "m2", "m3"];
const setUp = async (prog: Program, store: EventStore = createMemoryStore()) => {
  const c = club(prog, store);
  for (const m of members) await c.ok(join(m, T0), adjust(m, T0, `a-${m}`, 1000));
  return c;
};
const rewardTypes = async (store: EventStore) => (await store.readStream("reward-mug")).map((e) => e.type);

describe("club-v1 §2 stock", () => {
  it("claims in reward-<rewardId> with claim:<memberId>/<redemptionId>, dated at the command, before the member's events", async () => {
    const c = await setUp(stockProgram(2));
    const events = await c.ok(redeemMug("m1", day(1), "r1"));
    expect(events.map((e) => [e.streamId, e.type])).toEqual([
      ["reward-mug", "RewardClaimed"],
      ["member-m1", "PointsRedeemed"],
      ["member-m1", "CouponIssued"],
    ]);
    const [claim] = await c.store.readStream("reward-mug");
    expect(claim?.data).toEqual({ rewardId: "mug", memberId: "m1", redemptionId: "r1" });
    expect(Object.keys(claim?.data ?? {})).toEqual(["rewardId", "memberId", "redemptionId"]);
    expect(claim?.metadata).toMatchObject({
      commandId: "claim:m1/r1",
      correlationId: "claim:m1/r1",
      programVersion: 1,
    });
    expect(claim?.occurredAt).toBe(new Date(day(1)).toISOString());
    const all = [];
    for await (const e of c.store.readAll()) all.push(e.eventId);
    expect(all.indexOf(claim?.eventId as string)).toBeLessThan(all.indexOf(events[1]?.eventId as string));
  });
  it("OUT_OF_STOCK appends nothing anywhere; stock 0 is always out", async () => {
    const c = await setUp(stockProgram(2));
    await c.ok(redeemMug("m1", day(1), "r1"), redeemMug("m2", day(1), "r1"));
    const before = await c.types("m3");
    expect(await c.code(redeemMug("m3", day(1), "r1"))).toBe("OUT_OF_STOCK");
    expect(await c.types("m3")).toEqual(before);
    expect(await rewardTypes(c.store)).toEqual(["RewardClaimed", "RewardClaimed"]);
    const z = await setUp(stockProgram(0));
    expect(await z.code(redeemMug("m1", day(1), "r1"))).toBe("OUT_OF_STOCK");
    expect(await rewardTypes(z.store)).toEqual([]);
  });
  it("a failing member check comes before stock (INSUFFICIENT_POINTS on an empty stock)", async () => {
    const c = await setUp(stockProgram(0, { cost: 5000 }));
    expect(await c.code(redeemMug("m1", day(1), "r1"))).toBe("INSUFFICIENT_POINTS");
  });
  it("a reversal releases (reversed) after the member's events, exactly once; the stock is free again", async () => {
    const c = await setUp(stockProgram(1));
    await c.ok(redeemMug("m1", day(1), "r1"));
    const events = await c.ok(reverse("m1", day(2), "r1"));
    expect(events.map((e) => e.type)).toEqual(["RedemptionReversed", "CouponVoided", "RewardReleased"]);
    expect(events[2]?.data).toEqual({
      rewardId: "mug",
      memberId: "m1",
      redemptionId: "r1",
      reason: "reversed",
    });
    expect(events[2]?.metadata.commandId).toBe("claim:m1/r1");
    expect(await c.run(reverse("m1", day(2), "r1"))).toMatchObject({
      status: "accepted",
      replay: true,
      events: [],
    });
    expect(await c.code(redeemMug("m2", day(3), "r1"))).toBe("ACCEPTED");
    expect(await rewardTypes(c.store)).toEqual(["RewardClaimed", "RewardReleased", "RewardClaimed"]);
  });
  it("executeMany decides stocked commands as execute does", async () => {
    const one = await setUp(stockProgram(2));
    const many = await setUp(stockProgram(2));
    const commands = [
      redeemMug("m1", day(1), "r1"),
      redeemMug("m2", day(1), "r1"),
      redeemMug("m3", day(1), "r1"),
      reverse("m1", day(2), "r1"),
      redeemMug("m3", day(2), "r2"),
      { type: "sweep", at: day(5) },
    ];
    const a = [];
    for (const cmd of commands) a.push(await one.run(cmd));
    const b = await many.ledger.executeMany(commands);
    expect(b).toEqual(a);
  });
  it("concurrent ledgers never claim more than stock (in process, memory store)", async () => {
    const store = createMemoryStore();
    const c = await setUp(stockProgram(2), store);
    const ledgers = members.map(() =>
      createLedger({ store, program: c.ledger.program, couponSecret: TEST_COUPON_SECRET }),
    );
    const outcomes = await Promise.all(
      ledgers.map((l, i) => l.execute(redeemMug(members[i] as string, day(1), "r1"))),
    );
    expect(outcomes.filter((o) => o.status === "accepted")).toHaveLength(2);
    expect(await rewardTypes(store)).toEqual(["RewardClaimed", "RewardClaimed"]);
  });
});

describe("club-v1 §2 claim-first with repair (a store without atomic appendToStreams)", () => {
  it("a crash between claim and redemption: the same command again finds its own claim and completes", async () => {
    const fail: { streamPrefix?: string } = {};
    const store = nonAtomicStore(createMemoryStore(), fail);
    const c = await setUp(stockProgram(1), store);
    fail.streamPrefix = "member-";
    await expect(c.run(redeemMug("m1", day(1), "r1"))).rejects.toThrow("crash");
    expect(await rewardTypes(store)).toEqual(["RewardClaimed"]);
    const again = await c.ok(redeemMug("m1", day(1), "r1"));
    expect(again.map((e) => e.type)).toEqual(["PointsRedeemed", "CouponIssued"]);
    expect(await rewardTypes(store)).toEqual(["RewardClaimed"]);
  });
  it("a sweep releases (orphaned) a claim older than one day without a redemption", async () => {
    const fail: { streamPrefix?: string } = {};
    const store = nonAtomicStore(createMemoryStore(), fail);
    const c = await setUp(stockProgram(1), store);
    fail.streamPrefix = "member-";
    await expect(c.run(redeemMug("m1", day(1), "r1"))).rejects.toThrow("crash");
    await c.ok({ type: "sweep", at: day(2) }); // exactly one day: not older than a day
    expect(await rewardTypes(store)).toEqual(["RewardClaimed"]);
    const swept = await c.ok({ type: "sweep", at: day(2, "10:00:01") });
    expect(swept.map((e) => [e.type, (e.data as { reason?: string }).reason])).toEqual([
      ["RewardReleased", "orphaned"],
    ]);
    expect(swept[0]?.occurredAt).toBe(new Date(day(2, "10:00:01")).toISOString());
    expect(await c.code(redeemMug("m2", day(3), "r1"))).toBe("ACCEPTED");
    // The released command cannot complete any more: a new redemptionId is needed.
    expect(await c.code(redeemMug("m1", day(3), "r1"))).toBe("OUT_OF_STOCK");
  });
  it("a crash between a reversal and its release is repaired by running the reversal again", async () => {
    const fail: { streamPrefix?: string } = {};
    const store = nonAtomicStore(createMemoryStore(), fail);
    const c = await setUp(stockProgram(1), store);
    await c.ok(redeemMug("m1", day(1), "r1"));
    fail.streamPrefix = "reward-";
    await expect(c.run(reverse("m1", day(2), "r1"))).rejects.toThrow("crash");
    expect(await rewardTypes(store)).toEqual(["RewardClaimed"]);
    const again = await c.run(reverse("m1", day(2), "r1"));
    expect(again).toMatchObject({ status: "accepted", replay: true });
    expect(await rewardTypes(store)).toEqual(["RewardClaimed", "RewardReleased"]);
    expect(await c.run(reverse("m1", day(2), "r1"))).toMatchObject({ events: [] });
    expect(await rewardTypes(store)).toEqual(["RewardClaimed", "RewardReleased"]);
  });
});
