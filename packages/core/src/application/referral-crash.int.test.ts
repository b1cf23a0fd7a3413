import { createMemoryStore } from "@vafa/adapters/memory";
import { describe, expect, it } from "vitest";
import { type EventStore, VafaError } from "../index.js";
import { club, join, program, purchase } from "../testing/harness.js";

describe("5.2 referral reaction exactly once, also after crashes and retries", () => {
  it("a crash between the referee's append and the referrer's is repaired by retrying the purchase, once", async () => {
    const inner = createMemoryStore();
    let failReferrer = true;
    const crashing: EventStore = {
      ...inner,
      readStream: inner.readStream.bind(inner),
      listStreams: inner.listStreams.bind(inner),
      appendToStream: async (streamId, events, options) => {
        if (
          streamId === "member-r" &&
          events.some((e) => e.metadata.commandId.startsWith("referral:")) &&
          failReferrer
        ) {
          failReferrer = false;
          throw new VafaError("STORE_UNAVAILABLE", "simulated crash");
        }
        return inner.appendToStream(streamId, events, options);
      },
    };
    const prog = program({ earn: { referralBonus: 100 } });
    const c = club(prog, crashing);
    await c.ok(join("r", "2011-01-01T00:00:00Z"), join("e", "2011-01-02T00:00:00Z", { referredBy: "r" }));
    await expect(c.run(purchase("e", "2011-01-03T00:00:00Z", "p1", "10"))).rejects.toThrow("simulated crash");
    expect((await inner.readStream("member-e")).map((e) => e.type)).toContain("PurchaseRecorded");
    expect(await inner.readStream("member-r")).toHaveLength(1);
    // A fresh process retries the same command: a no-op for the referee, the reaction for the referrer.
    const again = club(prog, inner);
    expect(await again.run(purchase("e", "2011-01-03T00:00:00Z", "p1", "10"))).toMatchObject({
      status: "accepted",
      replay: true,
    });
    expect(await again.run(purchase("e", "2011-01-03T00:00:00Z", "p1", "10"))).toMatchObject({
      status: "accepted",
      replay: true,
    });
    const bonuses = (await inner.readStream("member-r")).filter((e) => e.type === "PointsEarned");
    expect(bonuses.map((e) => e.data)).toEqual([
      expect.objectContaining({ reason: "referral", refereeId: "e", points: 100 }),
    ]);
  });
});
