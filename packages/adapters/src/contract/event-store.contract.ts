import {
  type CheckpointStore,
  ConcurrencyError,
  type EventStore,
  type ProposedEvent,
  type StoredEvent,
  VafaError,
} from "@vafa/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, nextEvents, purchaseEvents, uniqueStreamId, withoutStoreFields } from "./fixtures.js";

export interface ContractSubject {
  store: EventStore;
  checkpoints: CheckpointStore;
  /** Another client of the same store (a second connection), for concurrency tests. */
  connectAnother?: () => Promise<EventStore>;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** Runs of the interleaving property (default 100; lower for slow stores). */
  interleavingRuns?: number;
  /** Events of the large-stream test (default 10 000). */
  largeStreamEvents?: number;
  /**
   * Why the store takes the same event ids with other content as a retry
   * (EventStoreDB: the server dedupes by id alone); omitted, it must refuse them.
   */
  dedupesByIdOnly?: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Position of the last event in the store (0n when empty), to read "what this test wrote". */
const endPosition = async (store: EventStore): Promise<bigint> => {
  let last = 0n;
  for await (const event of store.readAll({ batchSize: 1000 })) last = event.position;
  return last;
};

const expectRejects = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
};

/** Collects `count` events from a subscription, then stops it. */
const subscribeFor = async (
  store: EventStore,
  after: bigint | undefined,
  count: number,
  onEachEvent?: (event: StoredEvent) => Promise<void> | void,
): Promise<StoredEvent[]> => {
  const received: StoredEvent[] = [];
  let finish: () => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const subscription = store.subscribe({
    ...(after === undefined ? {} : { after }),
    async onEvent(event) {
      received.push(event);
      await onEachEvent?.(event);
      if (received.length >= count) finish();
    },
    onError: fail,
  });
  if (count === 0) finish();
  await done;
  await subscription.stop();
  return received;
};

/**
 * The event-store contract (core store.ts invariants, spec 2). Every adapter runs it.
 * One store per suite; every test uses its own stream ids.
 */
export const describeEventStoreContract = (
  name: string,
  factory: () => Promise<ContractSubject>,
  options: ContractOptions = {},
): void => {
  describe(`event store contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it("2 revisions are 0-based and gapless; a missing stream reads as []", async () => {
      const streamId = uniqueStreamId("gapless");
      expect(await store.readStream(streamId)).toEqual([]);
      const first = await store.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 3, commandId: "purchase:a" }),
        { expectedRevision: "no_stream" },
      );
      expect(first.nextExpectedRevision).toBe(2);
      const stored = await store.readStream(streamId);
      const second = await store.appendToStream(streamId, nextEvents(stored, streamId, "purchase:b", 2), {
        expectedRevision: 2,
      });
      expect(second.nextExpectedRevision).toBe(4);
      expect(second.position > first.position).toBe(true);
      const all = await store.readStream(streamId);
      expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect((await store.readStream(streamId, { fromRevision: 3 })).map((e) => e.revision)).toEqual([3, 4]);
      expect(all.at(-1)?.position).toBe(second.position);
    });

    it("2 a stored event is the proposed one plus recordedAt and a bigint position, data key order kept", async () => {
      const streamId = uniqueStreamId("roundtrip");
      const proposed = purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "purchase:rt" });
      const firstEvent = proposed[0];
      if (firstEvent) firstEvent.metadata.actor = "ops:ann";
      await store.appendToStream(streamId, proposed, { expectedRevision: "no_stream" });
      const stored = await store.readStream(streamId);
      expect(stored.map(withoutStoreFields)).toEqual(proposed);
      for (const [index, event] of stored.entries()) {
        expect(typeof event.position).toBe("bigint");
        expect(event.recordedAt).toMatch(ISO_TIME);
        // byte-for-byte exports depend on the key order of data and metadata
        expect(JSON.stringify(event.data)).toBe(JSON.stringify(proposed[index]?.data));
        expect(JSON.stringify(event.metadata)).toBe(JSON.stringify(proposed[index]?.metadata));
      }
      const fromAll = (await collect(store.readAll({ after: (stored[0]?.position ?? 0n) - 1n }))).filter(
        (e) => e.streamId === streamId,
      );
      expect(fromAll).toEqual(stored);
      expect(JSON.stringify(fromAll[1]?.data)).toBe(JSON.stringify(proposed[1]?.data));
    });

    it("5.9 expected revision: no_stream on an existing stream is a ConcurrencyError and stores nothing", async () => {
      const streamId = uniqueStreamId("nostream");
      await store.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      const error = await expectRejects(
        store.appendToStream(
          streamId,
          purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "c:2" }),
          {
            expectedRevision: "no_stream",
          },
        ),
      );
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({
        code: "CONCURRENCY",
        streamId,
        expectedRevision: "no_stream",
        actualRevision: 0,
      });
      expect(await store.readStream(streamId)).toHaveLength(1);
    });

    it("5.9 expected revision: a stale or future number is a ConcurrencyError reporting the actual revision", async () => {
      const streamId = uniqueStreamId("stale");
      await store.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 3, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      for (const expectedRevision of [0, 1, 5]) {
        const events = purchaseEvents({
          streamId,
          fromRevision: expectedRevision + 1,
          count: 1,
          commandId: "c:x",
        });
        const error = await expectRejects(store.appendToStream(streamId, events, { expectedRevision }));
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ expectedRevision, actualRevision: 2 });
      }
      const missing = uniqueStreamId("missing");
      const error = await expectRejects(
        store.appendToStream(
          missing,
          purchaseEvents({ streamId: missing, fromRevision: 1, count: 1, commandId: "c:m" }),
          {
            expectedRevision: 0,
          },
        ),
      );
      expect(error).toMatchObject({ code: "CONCURRENCY", actualRevision: "no_stream" });
      expect(await store.readStream(streamId)).toHaveLength(3);
      expect(await store.readStream(missing)).toEqual([]);
    });

    it("5.9 expected revision any: appends at the end, and proposed revisions that are not the end conflict", async () => {
      const streamId = uniqueStreamId("any");
      await store.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" }),
        {
          expectedRevision: "any",
        },
      );
      const stored = await store.readStream(streamId);
      const result = await store.appendToStream(streamId, nextEvents(stored, streamId, "c:2"), {
        expectedRevision: "any",
      });
      expect(result.nextExpectedRevision).toBe(1);
      const stale = purchaseEvents({ streamId, fromRevision: 1, count: 1, commandId: "c:3" });
      const error = await expectRejects(store.appendToStream(streamId, stale, { expectedRevision: "any" }));
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1]);
    });

    it("2 a retried append (same event ids at the same revisions) succeeds and stores nothing", async () => {
      const streamId = uniqueStreamId("retry");
      const events = purchaseEvents({ streamId, fromRevision: 0, count: 3, commandId: "purchase:r" });
      const first = await store.appendToStream(streamId, events, { expectedRevision: "no_stream" });
      const endBefore = await endPosition(store);
      const again = await store.appendToStream(streamId, events, { expectedRevision: "no_stream" });
      expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
      // the stream moves on; the old append retried with its stale expectation is still a no-op
      const more = nextEvents(await store.readStream(streamId), streamId, "purchase:s");
      await store.appendToStream(streamId, more, { expectedRevision: 2 });
      const afterMore = await endPosition(store);
      const third = await store.appendToStream(streamId, events, { expectedRevision: "no_stream" });
      expect(third.nextExpectedRevision).toBeGreaterThanOrEqual(2);
      expect(await endPosition(store)).toBe(afterMore);
      expect(afterMore > endBefore).toBe(true);
      expect((await store.readStream(streamId)).map((e) => e.eventId)).toEqual(
        [...events, ...more].map((e) => e.eventId),
      );
    });

    const sameIdsOtherContent = async (): Promise<{
      streamId: string;
      first: ProposedEvent[];
      other: ProposedEvent[];
    }> => {
      const streamId = uniqueStreamId("sameids");
      const commandId = "purchase:same";
      const first = purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId });
      await store.appendToStream(streamId, first, { expectedRevision: "no_stream" });
      // Ids derive from stream, command id and index (spec 2): a different decision under the
      // same command id has the same ids and other hashes.
      const other = purchaseEvents({
        streamId,
        fromRevision: 0,
        count: 2,
        commandId,
        occurredAt: "2011-02-01T00:00:00.000Z",
      });
      expect(other.map((e) => e.eventId)).toEqual(first.map((e) => e.eventId));
      return { streamId, first, other };
    };

    if (options.dedupesByIdOnly === undefined)
      it("2 the same event ids with other content are a conflict, not a retry (another command under the same id got there first)", async () => {
        const { streamId, first, other } = await sameIdsOtherContent();
        const error = await expectRejects(
          store.appendToStream(streamId, other, { expectedRevision: "no_stream" }),
        );
        expect(error).toBeInstanceOf(ConcurrencyError);
        const many = await expectRejects(
          store.appendToStreams([{ streamId, events: other, expectedRevision: "no_stream" }]),
        );
        expect(many).toBeInstanceOf(ConcurrencyError);
        expect((await store.readStream(streamId)).map((e) => e.metadata.hash)).toEqual(
          first.map((e) => e.metadata.hash),
        );
      });
    else
      it(`2 the same event ids with other content are taken as a retry, as documented: ${options.dedupesByIdOnly}`, async () => {
        const { streamId, first, other } = await sameIdsOtherContent();
        await store.appendToStream(streamId, other, { expectedRevision: "no_stream" });
        expect((await store.readStream(streamId)).map((e) => e.metadata.hash)).toEqual(
          first.map((e) => e.metadata.hash),
        );
      });

    it("5.9 a command decided on an older state, whose events are stored at later revisions, is a conflict (decide again: a replay)", async () => {
      const streamId = uniqueStreamId("laterrev");
      await store.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      await store.appendToStream(streamId, nextEvents(await store.readStream(streamId), streamId, "c:x"), {
        expectedRevision: 0,
      });
      await store.appendToStream(streamId, nextEvents(await store.readStream(streamId), streamId, "c:2"), {
        expectedRevision: 1,
      });
      // c:2 decided again on revision 0 (a stale state): the same ids, one revision earlier.
      const stale = nextEvents((await store.readStream(streamId)).slice(0, 1), streamId, "c:2");
      expect(stale[0]?.revision).toBe(1);
      const error = await expectRejects(store.appendToStream(streamId, stale, { expectedRevision: 0 }));
      expect(error).toBeInstanceOf(ConcurrencyError);
      const many = await expectRejects(
        store.appendToStreams([{ streamId, events: stale, expectedRevision: 0 }]),
      );
      expect(many).toBeInstanceOf(ConcurrencyError);
      expect((await store.readStream(streamId)).map((e) => e.metadata.commandId)).toEqual([
        "c:1",
        "c:x",
        "c:2",
      ]);
    });

    it("2 an event id stored in one stream is refused in another, and nothing of that append is stored", async () => {
      const streamA = uniqueStreamId("idA");
      const streamB = uniqueStreamId("idB");
      const events = purchaseEvents({
        streamId: streamA,
        fromRevision: 0,
        count: 2,
        commandId: "purchase:dup",
      });
      await store.appendToStream(streamA, events, { expectedRevision: "no_stream" });
      const moved = events.map((e) => ({ ...e, streamId: streamB }));
      const error = await expectRejects(
        store.appendToStream(streamB, moved, { expectedRevision: "no_stream" }),
      );
      expect(error).toBeInstanceOf(VafaError);
      expect(error).not.toBeInstanceOf(ConcurrencyError);
      expect(await store.readStream(streamB)).toEqual([]);
      expect(await store.listStreams(streamB)).toEqual([]);
    });

    it("5.9 appendToStreams writes several streams in one step, in the order given", async () => {
      const streamA = uniqueStreamId("manyA");
      const streamB = uniqueStreamId("manyB");
      await store.appendToStream(
        streamB,
        purchaseEvents({ streamId: streamB, fromRevision: 0, count: 1, commandId: "c:0" }),
        { expectedRevision: "no_stream" },
      );
      const before = await endPosition(store);
      const a = purchaseEvents({ streamId: streamA, fromRevision: 0, count: 2, commandId: "c:a" });
      const b = nextEvents(await store.readStream(streamB), streamB, "c:b", 3);
      const results = await store.appendToStreams([
        { streamId: streamA, events: a, expectedRevision: "no_stream" },
        { streamId: streamB, events: b, expectedRevision: 0 },
      ]);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 3]);
      const storedA = await store.readStream(streamA);
      const storedB = await store.readStream(streamB);
      expect(storedA.map(withoutStoreFields)).toEqual(a);
      expect(storedB.slice(1).map(withoutStoreFields)).toEqual(b);
      expect(results[0]?.position).toBe(storedA.at(-1)?.position);
      expect(results[1]?.position).toBe(storedB.at(-1)?.position);
      const written = (await collect(store.readAll({ after: before }))).filter(
        (e) => e.streamId === streamA || e.streamId === streamB,
      );
      expect(written.map((e) => e.eventId)).toEqual([...a, ...b].map((e) => e.eventId));
      // a retried call (the same ids at the same revisions) stores nothing
      const end = await endPosition(store);
      const again = await store.appendToStreams([
        { streamId: streamA, events: a, expectedRevision: "no_stream" },
        { streamId: streamB, events: b, expectedRevision: 0 },
      ]);
      expect(again.map((r) => r.nextExpectedRevision)).toEqual([1, 3]);
      expect(await endPosition(store)).toBe(end);
    });

    it("5.9 appendToStreams: one stream's stale revision is a ConcurrencyError naming it, and nothing is stored anywhere", async () => {
      const streamA = uniqueStreamId("allA");
      const streamB = uniqueStreamId("allB");
      const streamC = uniqueStreamId("allC");
      await store.appendToStream(
        streamB,
        purchaseEvents({ streamId: streamB, fromRevision: 0, count: 2, commandId: "c:0" }),
        { expectedRevision: "no_stream" },
      );
      const end = await endPosition(store);
      const error = await expectRejects(
        store.appendToStreams([
          {
            streamId: streamA,
            events: purchaseEvents({ streamId: streamA, fromRevision: 0, count: 2, commandId: "c:a" }),
            expectedRevision: "no_stream",
          },
          {
            streamId: streamB,
            events: purchaseEvents({ streamId: streamB, fromRevision: 1, count: 1, commandId: "c:b" }),
            expectedRevision: 0,
          },
          {
            streamId: streamC,
            events: purchaseEvents({ streamId: streamC, fromRevision: 0, count: 1, commandId: "c:c" }),
            expectedRevision: "no_stream",
          },
        ]),
      );
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({
        code: "CONCURRENCY",
        streamId: streamB,
        expectedRevision: 0,
        actualRevision: 1,
      });
      expect(await store.readStream(streamA)).toEqual([]);
      expect(await store.readStream(streamC)).toEqual([]);
      expect(await store.readStream(streamB)).toHaveLength(2);
      expect(await endPosition(store)).toBe(end);
    });

    it("5.9 appendToStreams: an entry without events only checks its expected revision", async () => {
      const streamA = uniqueStreamId("readA");
      const streamB = uniqueStreamId("readB");
      await store.appendToStream(
        streamB,
        purchaseEvents({ streamId: streamB, fromRevision: 0, count: 1, commandId: "c:0" }),
        { expectedRevision: "no_stream" },
      );
      const a = purchaseEvents({ streamId: streamA, fromRevision: 0, count: 1, commandId: "c:a" });
      const error = await expectRejects(
        store.appendToStreams([
          { streamId: streamA, events: a, expectedRevision: "no_stream" },
          { streamId: streamB, events: [], expectedRevision: "no_stream" },
        ]),
      );
      expect(error).toMatchObject({ code: "CONCURRENCY", streamId: streamB });
      expect(await store.readStream(streamA)).toEqual([]);
      const results = await store.appendToStreams([
        { streamId: streamA, events: a, expectedRevision: "no_stream" },
        { streamId: streamB, events: [], expectedRevision: 0 },
      ]);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 0]);
      expect(await store.readStream(streamB)).toHaveLength(1);
      expect(await store.readStream(streamA)).toHaveLength(1);
    });

    it("2 readStreams reads several streams from a revision each; a missing stream reads as []", async () => {
      const streamA = uniqueStreamId("readsA");
      const streamB = uniqueStreamId("readsB");
      const missing = uniqueStreamId("readsNone");
      await store.appendToStreams([
        {
          streamId: streamA,
          events: purchaseEvents({ streamId: streamA, fromRevision: 0, count: 3, commandId: "c:a" }),
          expectedRevision: "no_stream",
        },
        {
          streamId: streamB,
          events: purchaseEvents({ streamId: streamB, fromRevision: 0, count: 2, commandId: "c:b" }),
          expectedRevision: "no_stream",
        },
      ]);
      const read = await store.readStreams([
        { streamId: streamA, fromRevision: 1 },
        { streamId: streamB },
        { streamId: missing },
      ]);
      expect(read.get(streamA)).toEqual(await store.readStream(streamA, { fromRevision: 1 }));
      expect(read.get(streamB)).toEqual(await store.readStream(streamB));
      expect(read.get(missing)).toEqual([]);
    });

    it("2 appendToStreams refuses a stream given twice, before storing anything", async () => {
      const streamId = uniqueStreamId("twice");
      const events = purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "c:t" });
      const error = await expectRejects(
        store.appendToStreams([
          { streamId, events: events.slice(0, 1), expectedRevision: "no_stream" },
          { streamId, events: events.slice(1), expectedRevision: 0 },
        ]),
      );
      expect(error).toMatchObject({ code: "INVARIANT" });
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it("2 a batch with gaps in its revisions or another stream's event is refused", async () => {
      const streamId = uniqueStreamId("badbatch");
      const events = purchaseEvents({ streamId, fromRevision: 0, count: 3, commandId: "c:1" });
      const gap = [events[0], events[2]].filter((e) => e !== undefined);
      const error = await expectRejects(
        store.appendToStream(streamId, gap, { expectedRevision: "no_stream" }),
      );
      expect(error).toMatchObject({ code: "INVARIANT" });
      const other = uniqueStreamId("other");
      const error2 = await expectRejects(
        store.appendToStream(other, events, { expectedRevision: "no_stream" }),
      );
      expect(error2).toMatchObject({ code: "INVARIANT" });
      expect(await store.readStream(streamId)).toEqual([]);
      expect(await store.readStream(other)).toEqual([]);
    });

    it("2 readAll delivers every stream's events in one global order, after is exclusive", async () => {
      const start = await endPosition(store);
      const streams = [uniqueStreamId("g1"), uniqueStreamId("g2"), uniqueStreamId("g3")];
      const appended: string[] = [];
      for (let round = 0; round < 4; round += 1) {
        for (const streamId of streams) {
          const stored = await store.readStream(streamId);
          const events = nextEvents(stored, streamId, `c:${round}`, 1 + (round % 2));
          await store.appendToStream(streamId, events, {
            expectedRevision: stored.length === 0 ? "no_stream" : stored.length - 1,
          });
          appended.push(...events.map((e) => e.eventId));
        }
      }
      const read = await collect(store.readAll({ after: start, batchSize: 5 }));
      expect(read.map((e) => e.eventId)).toEqual(appended);
      for (let i = 1; i < read.length; i += 1) {
        expect((read[i]?.position ?? 0n) > (read[i - 1]?.position ?? 0n)).toBe(true);
      }
      const middle = read[6]?.position ?? 0n;
      const tail = await collect(store.readAll({ after: middle }));
      expect(tail.map((e) => e.eventId)).toEqual(appended.slice(7));
    });

    it("2 listStreams returns the ids with a prefix, sorted", async () => {
      const prefix = uniqueStreamId("list");
      const ids = [`${prefix}-b`, `${prefix}-a`, `${prefix}-B`, `${prefix}-a0`];
      for (const streamId of ids) {
        await store.appendToStream(
          streamId,
          purchaseEvents({ streamId, fromRevision: 0, count: 1, commandId: "c:1" }),
          {
            expectedRevision: "no_stream",
          },
        );
      }
      expect(await store.listStreams(`${prefix}-`)).toEqual([...ids].sort());
      expect(await store.listStreams(`${prefix}-a`)).toEqual([`${prefix}-a`, `${prefix}-a0`]);
      expect(await store.listStreams(`${prefix}-zzz`)).toEqual([]);
    });

    it("2 subscribe delivers stored events after a position, then live ones, in order and one at a time", async () => {
      const start = await endPosition(store);
      const streamA = uniqueStreamId("subA");
      const streamB = uniqueStreamId("subB");
      await store.appendToStream(
        streamA,
        purchaseEvents({ streamId: streamA, fromRevision: 0, count: 3, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      let running = 0;
      let maxRunning = 0;
      let liveAppended = false;
      const liveEvents = purchaseEvents({ streamId: streamB, fromRevision: 0, count: 2, commandId: "c:2" });
      const received = await subscribeFor(store, start, 5, async (event) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (!liveAppended && event.revision === 2) {
          liveAppended = true;
          await store.appendToStream(streamB, liveEvents, { expectedRevision: "no_stream" });
        }
        running -= 1;
      });
      expect(received.map((e) => `${e.streamId}@${e.revision}`)).toEqual([
        `${streamA}@0`,
        `${streamA}@1`,
        `${streamA}@2`,
        `${streamB}@0`,
        `${streamB}@1`,
      ]);
      expect(maxRunning).toBe(1);
      const positions = received.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(received.map(withoutStoreFields).slice(3)).toEqual(liveEvents);
    });

    it("2 a subscription that is stopped delivers nothing more", async () => {
      const start = await endPosition(store);
      const received: StoredEvent[] = [];
      const subscription = store.subscribe({ after: start, onEvent: (e) => void received.push(e) });
      await subscription.stop();
      const streamId = uniqueStreamId("stopped");
      await store.appendToStream(
        streamId,
        purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "c:1" }),
        {
          expectedRevision: "no_stream",
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(received).toEqual([]);
    });

    it("6 checkpoints: unknown name loads undefined, save overwrites, and a subscription resumes after it", async () => {
      const { checkpoints } = subject;
      const name = `projection-${Math.random().toString(36).slice(2)}`;
      expect(await checkpoints.load(name)).toBeUndefined();
      const start = await endPosition(store);
      const streamId = uniqueStreamId("resume");
      const events = purchaseEvents({ streamId, fromRevision: 0, count: 4, commandId: "c:1" });
      await store.appendToStream(streamId, events, { expectedRevision: "no_stream" });
      await checkpoints.save(name, start);
      // first run: handles 2 events, checkpointing after each
      await subscribeFor(store, await checkpoints.load(name), 2, (event) =>
        checkpoints.save(name, event.position),
      );
      const later = purchaseEvents({
        streamId,
        fromRevision: 4,
        count: 2,
        commandId: "c:2",
        prevHash: events[3]?.metadata.hash,
      });
      await store.appendToStream(streamId, later, { expectedRevision: 3 });
      // second run resumes: the 4 remaining events, no duplicate, no gap
      const resumed = await subscribeFor(store, await checkpoints.load(name), 4, (event) =>
        checkpoints.save(name, event.position),
      );
      expect(resumed.map((e) => e.revision)).toEqual([2, 3, 4, 5]);
      const last = resumed.at(-1)?.position;
      expect(await checkpoints.load(name)).toBe(last);
      expect(await checkpoints.load(`${name}-other`)).toBeUndefined();
    });

    const largeCount = options.largeStreamEvents ?? 10_000;
    it(`2 a large stream: ${largeCount} events appended in batches read back gapless`, async () => {
      const streamId = uniqueStreamId("large");
      const batch = 250;
      let prevHash: string | undefined;
      for (let from = 0; from < largeCount; from += batch) {
        const events = purchaseEvents({
          streamId,
          fromRevision: from,
          count: batch,
          commandId: `c:${from}`,
          prevHash,
        });
        await store.appendToStream(streamId, events, {
          expectedRevision: from === 0 ? "no_stream" : from - 1,
        });
        prevHash = events.at(-1)?.metadata.hash;
      }
      const stored = await store.readStream(streamId);
      expect(stored).toHaveLength(largeCount);
      expect(stored.every((e, i) => e.revision === i)).toBe(true);
      const tail = await store.readStream(streamId, { fromRevision: largeCount - 10 });
      expect(tail.map((e) => e.revision)).toEqual(Array.from({ length: 10 }, (_, i) => largeCount - 10 + i));
      expect(tail.at(-1)?.metadata.hash).toBe(prevHash);
    });

    it("2 many streams: 500 streams are listed and read in global order", async () => {
      const start = await endPosition(store);
      const prefix = uniqueStreamId("many");
      const ids = Array.from({ length: 500 }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
      for (let i = 0; i < ids.length; i += 50) {
        await Promise.all(
          ids.slice(i, i + 50).map((streamId) =>
            store.appendToStream(
              streamId,
              purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "c:1" }),
              {
                expectedRevision: "no_stream",
              },
            ),
          ),
        );
      }
      expect(await store.listStreams(`${prefix}-`)).toEqual(ids);
      const read = await collect(store.readAll({ after: start }));
      expect(read).toHaveLength(1000);
      const perStream = new Map<string, number[]>();
      for (const event of read)
        perStream.set(event.streamId, [...(perStream.get(event.streamId) ?? []), event.revision]);
      expect([...perStream.values()].every((revisions) => revisions.join() === "0,1")).toBe(true);
    });

    it("5.9 concurrent appends from several clients: exactly one wins each revision", async () => {
      const clients = [store];
      const extra: EventStore[] = [];
      if (subject.connectAnother) {
        for (let i = 0; i < 2; i += 1) extra.push(await subject.connectAnother());
        clients.push(...extra);
      }
      try {
        // everyone races for revision 0
        const streamId = uniqueStreamId("race");
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, w) =>
            (clients[w % clients.length] ?? store).appendToStream(
              streamId,
              purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: `c:${w}` }),
              { expectedRevision: "no_stream" },
            ),
          ),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results)
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConcurrencyError);
        expect(await store.readStream(streamId)).toHaveLength(2);
        // writers that retry on conflict: all their events land, once each, gapless
        const shared = uniqueStreamId("writers");
        const writers = 4;
        const perWriter = 5;
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const client = clients[w % clients.length] ?? store;
            for (let n = 0; n < perWriter; n += 1) {
              for (;;) {
                const stored = await client.readStream(shared);
                const events = nextEvents(stored, shared, `w${w}:${n}`);
                try {
                  await client.appendToStream(shared, events, {
                    expectedRevision: stored.length === 0 ? "no_stream" : stored.length - 1,
                  });
                  break;
                } catch (error) {
                  if (!(error instanceof ConcurrencyError)) throw error;
                }
              }
            }
          }),
        );
        const stored = await store.readStream(shared);
        expect(stored.map((e) => e.revision)).toEqual(
          Array.from({ length: writers * perWriter }, (_, i) => i),
        );
        expect(new Set(stored.map((e) => e.metadata.commandId)).size).toBe(writers * perWriter);
        for (let i = 1; i < stored.length; i += 1) {
          expect(stored[i]?.metadata.prevHash).toBe(stored[i - 1]?.metadata.hash);
        }
      } finally {
        for (const client of extra) await client.close();
      }
    });

    it("5.9 property: under any interleaving of read-decide-append, each revision has one winner and retries dedupe", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(fc.boolean(), { minLength: 2, maxLength: 4 }),
          async (s, retryAfterSuccess) => {
            const streamId = uniqueStreamId("sched");
            const gate = (label: string) => s.schedule(Promise.resolve(label), label);
            const appendedBy = new Map<number, string>();
            const tasks = retryAfterSuccess.map(async (retry, w) => {
              for (let attempt = 0; ; attempt += 1) {
                await gate(`w${w} read ${attempt}`);
                const stored = await store.readStream(streamId);
                const events = nextEvents(stored, streamId, `w${w}`, 1 + (w % 2));
                const expectedRevision = stored.length === 0 ? ("no_stream" as const) : stored.length - 1;
                await gate(`w${w} append ${attempt}`);
                try {
                  await store.appendToStream(streamId, events, { expectedRevision });
                } catch (error) {
                  if (error instanceof ConcurrencyError) continue;
                  throw error;
                }
                for (const e of events) appendedBy.set(e.revision, e.eventId);
                if (retry) {
                  // the acknowledgement was lost: the same append again is a no-op
                  await gate(`w${w} retry`);
                  await store.appendToStream(streamId, events, { expectedRevision });
                }
                return;
              }
            });
            await s.waitFor(Promise.all(tasks));
            const stored = await store.readStream(streamId);
            const expectedLength = retryAfterSuccess.reduce((sum, _, w) => sum + 1 + (w % 2), 0);
            expect(stored.map((e) => e.revision)).toEqual(
              Array.from({ length: expectedLength }, (_, i) => i),
            );
            expect(stored.map((e) => e.eventId)).toEqual(stored.map((e) => appendedBy.get(e.revision)));
          },
        ),
        { numRuns: options.interleavingRuns ?? 100 },
      );
    });
  });
};
