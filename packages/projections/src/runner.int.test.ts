import { createMemoryCheckpointStore } from "@vafa/adapters/memory";
import type { StoredEvent } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { createEngagementProjection, type TierChangeRow } from "./engagement/engagement.js";
import { LedgerProjection } from "./ledger.js";
import type { Projection, ProjectionEvent } from "./projection.js";
import { createProjectionRunner } from "./runner.js";
import { allQueries, feed, storeOf } from "./testing/compare.js";
import { VECTOR_TIMES, vectorEvents } from "./testing/vectors.js";

const waitFor = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

/** Counts how often each position reaches the wrapped projection's state. */
const counting = (inner: Projection & { muted?: boolean }) => {
  const applied = new Map<bigint, number>();
  const projection: Projection & { muted: boolean } = {
    get muted() {
      return inner.muted ?? false;
    },
    set muted(value: boolean) {
      inner.muted = value;
    },
    apply(event: ProjectionEvent) {
      const fresh = inner.apply(event);
      if (fresh && event.position !== undefined)
        applied.set(event.position, (applied.get(event.position) ?? 0) + 1);
      return fresh;
    },
    get position() {
      return inner.position;
    },
  };
  return { projection, applied };
};

describe("projection runner (spec 6 incremental use)", () => {
  const events = vectorEvents("gregorian");
  const t = VECTOR_TIMES.gregorian;

  it("6 runner: subscribes, applies in global order, saves its checkpoint", async () => {
    const { store, stored } = await storeOf(events);
    const checkpoints = createMemoryCheckpointStore();
    const { projection, applied } = counting(new LedgerProjection());
    const runner = createProjectionRunner({ store, checkpoints, name: "ledger", projection });
    await runner.start();
    const last = stored.at(-1)?.position as bigint;
    await waitFor(() => runner.position === last);
    await runner.stop();
    expect(await checkpoints.load("ledger")).toBe(last);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(applied.size).toBe(stored.length);
  });

  it("6 runner: resumes after a restart without applying or announcing an event twice", async () => {
    const half = Math.floor(events.length / 2);
    const { store } = await storeOf(events.slice(0, half));
    const checkpoints = createMemoryCheckpointStore();
    const announced: TierChangeRow[] = [];

    // First process: applies the first half, then stops (its memory is lost).
    const first = createEngagementProjection();
    first.subscribe({ onTierChanged: (c) => announced.push(c) });
    const runner1 = createProjectionRunner({ store, checkpoints, name: "engagement", projection: first });
    await runner1.start();
    const mid = (await checkpoints.load("engagement")) ?? 0n;
    await waitFor(() => first.position !== undefined && first.position >= BigInt(half));
    await runner1.stop();
    const checkpoint = await checkpoints.load("engagement");
    expect(checkpoint).toBeDefined();
    expect(mid <= (checkpoint as bigint)).toBe(true);
    const announcedBefore = announced.length;

    // More events arrive while it is down.
    for (const e of events.slice(half)) {
      const { recordedAt: _r, ...proposed } = e;
      await store.appendToStream(e.streamId, [proposed], {
        expectedRevision: e.revision === 0 ? "no_stream" : e.revision - 1,
      });
    }

    // Second process: a fresh projection restores up to the checkpoint silently, then continues.
    const second = createEngagementProjection();
    second.subscribe({ onTierChanged: (c) => announced.push(c) });
    const { projection, applied } = counting(second);
    const runner2 = createProjectionRunner({ store, checkpoints, name: "engagement", projection });
    await runner2.start();
    const all: StoredEvent[] = [];
    for await (const e of store.readAll()) all.push(e);
    const last = all.at(-1)?.position as bigint;
    await waitFor(() => second.position === last);
    await runner2.stop();

    // Each tier change was announced exactly once over both processes.
    const tierEvents = all.filter((e) => e.type === "TierChanged");
    expect(announced.map((c) => c.position)).toEqual(tierEvents.map((e) => e.position));
    expect(announcedBefore).toBe(tierEvents.filter((e) => e.position <= (checkpoint as bigint)).length);
    // Every position reached the second projection once, and the state equals a full rebuild.
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(allQueries(second.ledger, t.asOf, t.from, t.to)).toEqual(
      allQueries(feed(all), t.asOf, t.from, t.to),
    );
    expect(await checkpoints.load("engagement")).toBe(last);
  });

  it("6 runner: catchUp with checkpointEvery applies the rest and saves at the end", async () => {
    const { store, stored } = await storeOf(events);
    const checkpoints = createMemoryCheckpointStore();
    const p = new LedgerProjection();
    const runner = createProjectionRunner({
      store,
      checkpoints,
      name: "x",
      projection: p,
      checkpointEvery: 1000,
    });
    expect(await runner.catchUp()).toBe(stored.length);
    expect(await checkpoints.load("x")).toBe(stored.at(-1)?.position);
    expect(await runner.catchUp()).toBe(0);
  });
});
