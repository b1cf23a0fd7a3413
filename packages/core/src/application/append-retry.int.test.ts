import { createMemoryStore } from "@vafa/adapters/memory";
import { describe, expect, it } from "vitest";
import { ConcurrencyError, type ProposedEvent } from "../index.js";
import { club, join, purchase, testStore } from "../testing/harness.js";

// Spec 2 and 5.9: a retried append whose event ids are all stored at the same
// revisions is a no-op; a batch of which only a part is stored is a conflict
// (the stream moved on), never taken for a full duplicate. Runs on the ledger
// tests' store (memory, or PostgreSQL with VAFA_LEDGER_STORE=postgres).

/** The events a join and a two-event purchase propose, decided on a scratch store. */
const proposed = async (): Promise<{ joined: ProposedEvent[]; bought: ProposedEvent[] }> => {
  const scratch = club(undefined, createMemoryStore());
  const joined = await scratch.ok(join("a", "2011-01-01T10:00:00Z"));
  const bought = await scratch.ok(purchase("a", "2011-01-02T10:00:00Z", "p1", "10"));
  return { joined, bought };
};

describe("5.9 retried appends", () => {
  it("a batch stored in full is a no-op at the same revisions", async () => {
    const { joined, bought } = await proposed();
    const store = testStore();
    await store.appendToStream("member-a", joined, { expectedRevision: "no_stream" });
    await store.appendToStream("member-a", bought, { expectedRevision: 0 });
    await store.appendToStream("member-a", bought, { expectedRevision: 0 });
    expect((await store.readStream("member-a")).map((e) => e.revision)).toEqual([0, 1, 2]);
    await store.close();
  });

  it("a batch stored only in part is a ConcurrencyError, and its missing event is not lost silently", async () => {
    const { joined, bought } = await proposed();
    expect(bought.map((e) => e.type)).toEqual(["PurchaseRecorded", "PointsEarned"]);
    const store = testStore();
    await store.appendToStream("member-a", joined, { expectedRevision: "no_stream" });
    await store.appendToStream("member-a", bought.slice(0, 1), { expectedRevision: 0 });
    await expect(store.appendToStream("member-a", bought, { expectedRevision: 0 })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect((await store.readStream("member-a")).map((e) => e.type)).toEqual([
      "MemberJoined",
      "PurchaseRecorded",
    ]);
    await store.close();
  });
});
