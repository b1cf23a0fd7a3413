import { ConcurrencyError, VafaError } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { describeEventStoreContract } from "../contract/event-store.contract.js";
import { purchaseEvents, uniqueStreamId } from "../contract/fixtures.js";
import { createMemoryCheckpointStore, createMemoryStore } from "./index.js";

describeEventStoreContract("memory", async () => ({
  store: createMemoryStore(),
  checkpoints: createMemoryCheckpointStore(),
  cleanup: async () => {},
}));

describe("memory store specifics", () => {
  it("2 recordedAt comes from the injected clock, the same for every event of one append", async () => {
    const times = ["2024-01-01T00:00:00.000Z", "2024-01-02T00:00:00.000Z"];
    const store = createMemoryStore({ now: () => times.shift() ?? "never" });
    const streamId = uniqueStreamId("clock");
    await store.appendToStream(
      streamId,
      purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "c:1" }),
      {
        expectedRevision: "no_stream",
      },
    );
    await store.appendToStream(
      streamId,
      purchaseEvents({ streamId, fromRevision: 2, count: 1, commandId: "c:2" }),
      {
        expectedRevision: 1,
      },
    );
    expect((await store.readStream(streamId)).map((e) => e.recordedAt)).toEqual([
      "2024-01-01T00:00:00.000Z",
      "2024-01-01T00:00:00.000Z",
      "2024-01-02T00:00:00.000Z",
    ]);
  });

  it("positions start at 1 and a deduplicated retry returns the stored position", async () => {
    const store = createMemoryStore();
    const streamId = uniqueStreamId("pos");
    const events = purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "c:1" });
    const first = await store.appendToStream(streamId, events, { expectedRevision: "no_stream" });
    expect(first).toEqual({ nextExpectedRevision: 1, position: 2n });
    expect(await store.appendToStream(streamId, events, { expectedRevision: "any" })).toEqual(first);
  });

  it("stored events cannot be changed through returned or proposed objects", async () => {
    const store = createMemoryStore();
    const streamId = uniqueStreamId("copy");
    const events = purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" });
    await store.appendToStream(streamId, events, { expectedRevision: "no_stream" });
    const [read] = await store.readStream(streamId);
    if (read) read.metadata.hash = "tampered";
    const [proposed] = events;
    if (proposed) proposed.metadata.hash = "tampered too";
    expect((await store.readStream(streamId))[0]?.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a handler error goes to onError and ends the subscription", async () => {
    const store = createMemoryStore();
    const streamId = uniqueStreamId("fail");
    await store.appendToStream(
      streamId,
      purchaseEvents({ streamId, fromRevision: 0, count: 3, commandId: "c:1" }),
      {
        expectedRevision: "no_stream",
      },
    );
    const seen: number[] = [];
    const errors: unknown[] = [];
    const failure = new Error("projection failed");
    const subscription = store.subscribe({
      onEvent: (event) => {
        seen.push(event.revision);
        if (event.revision === 1) throw failure;
      },
      onError: (error) => errors.push(error),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await subscription.stop();
    expect(seen).toEqual([0, 1]);
    expect(errors).toEqual([failure]);
  });

  it("a closed store refuses appends with STORE_UNAVAILABLE", async () => {
    const store = createMemoryStore();
    await store.close();
    const streamId = uniqueStreamId("closed");
    const error = await store
      .appendToStream(streamId, purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" }), {
        expectedRevision: "any",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VafaError);
    expect(error).not.toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});
