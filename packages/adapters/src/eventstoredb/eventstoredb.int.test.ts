import { EventStoreDBClient } from "@eventstore/db-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEventStoreContract } from "../contract/event-store.contract.js";
import { collect, purchaseEvents, uniqueStreamId } from "../contract/fixtures.js";
import { type StandIn, startStandIn } from "../testing/esdb-standin/server.js";
import { createEventStoreDbStore, packPosition, unpackPosition } from "./index.js";

const realUrl = process.env.VAFA_ESDB_URL;
if (!realUrl) {
  console.warn(
    "eventstoredb.int.test.ts: VAFA_ESDB_URL is not set, the real EventStoreDB server run is skipped",
  );
}

const standInSubject = async () => {
  const standIn = await startStandIn();
  const store = createEventStoreDbStore({ connectionString: standIn.url });
  return {
    store,
    checkpoints: store.checkpoints,
    connectAnother: async () => createEventStoreDbStore({ connectionString: standIn.url }),
    cleanup: async () => {
      await store.close();
      await standIn.stop();
    },
  };
};

const DEDUPES =
  "EventStoreDB dedupes an append by event id alone and answers as for a retry (docs/stores.md); reading back every append to compare hashes would double its round trips";
describeEventStoreContract("EventStoreDB client against the in-memory stand-in", standInSubject, {
  interleavingRuns: 25,
  dedupesByIdOnly: DEDUPES,
});

describe.skipIf(!realUrl)("EventStoreDB real server (needs VAFA_ESDB_URL)", () => {
  describeEventStoreContract(
    "EventStoreDB real server",
    async () => {
      const store = createEventStoreDbStore({ connectionString: realUrl ?? "" });
      return {
        store,
        checkpoints: store.checkpoints,
        connectAnother: async () => createEventStoreDbStore({ connectionString: realUrl ?? "" }),
        cleanup: () => store.close(),
      };
    },
    { interleavingRuns: 10, dedupesByIdOnly: DEDUPES },
  );
});

describe("EventStoreDB adapter specifics (stand-in)", () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await standIn.stop();
  });

  it("positions pack commit and prepare so events of one append stay distinct and ordered", () => {
    const a = { commit: 1000n, prepare: 1000n };
    const b = { commit: 1000n, prepare: 1240n };
    const c = { commit: 1400n, prepare: 1400n };
    expect(packPosition(a) < packPosition(b)).toBe(true);
    expect(packPosition(b) < packPosition(c)).toBe(true);
    expect(unpackPosition(packPosition(b))).toEqual(b);
  });

  it("stores one EventStoreDB stream per member, with our event ids, types and JSON", async () => {
    const store = createEventStoreDbStore({ connectionString: standIn.url });
    const client = EventStoreDBClient.connectionString(standIn.url);
    try {
      const streamId = uniqueStreamId("native");
      const events = purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "purchase:n" });
      await store.appendToStream(streamId, events, { expectedRevision: "no_stream" });
      const native = await collect(client.readStream(streamId));
      expect(native.map((e) => e.event?.id)).toEqual(events.map((e) => e.eventId));
      expect(native.map((e) => e.event?.type)).toEqual(["PurchaseRecorded", "PurchaseRecorded"]);
      expect(native[0]?.event?.data).toEqual(events[0]?.data);
      expect(native.map((e) => e.event?.revision)).toEqual([0n, 1n]);
    } finally {
      await client.dispose();
      await store.close();
    }
  });

  it("readAll and subscriptions skip streams outside the ledger prefixes (checkpoints, others)", async () => {
    const store = createEventStoreDbStore({ connectionString: standIn.url });
    try {
      const before = await collect(store.readAll());
      const other = `orders-${Date.now()}`;
      await store.appendToStream(
        other,
        purchaseEvents({ streamId: other, fromRevision: 0, count: 1, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      await store.checkpoints.save("kpis", 5n);
      const streamId = uniqueStreamId("prefixed");
      await store.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      const after = await collect(store.readAll());
      expect(after.slice(before.length).map((e) => e.streamId)).toEqual([streamId]);
      expect(await store.listStreams("orders-")).toEqual([]);
      expect(await store.checkpoints.load("kpis")).toBe(5n);
    } finally {
      await store.close();
    }
  });

  it("an unreachable server is STORE_UNAVAILABLE", async () => {
    const store = createEventStoreDbStore({ connectionString: "esdb://127.0.0.1:1?tls=false" });
    try {
      await expect(store.readStream("member-x")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    } finally {
      await store.close();
    }
  });
});
