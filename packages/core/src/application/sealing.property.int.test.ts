import { randomBytes } from "node:crypto";
import { createMemoryStore } from "@vafa/adapters/memory";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Command, createLedger, type EventStore, type ProposedEvent, toEnvelope } from "../index.js";
import { createTestKeyStore } from "../testing/key-store.js";
import { program } from "../testing/program.js";

// club-v1 §6: "A retried command therefore writes the same bytes and hashes."
// Each command's first append fails (a crash after the decision, before the
// store took it); the retry must propose exactly the bytes the failed attempt
// did, sealed values included, under a member key made at random.

const prog = { ...program(), privacy: { encryptPersonalData: true } };

/** A store whose next append fails after recording what it was given. */
const crashingStore = () => {
  const inner = createMemoryStore();
  const state = { failNext: false, attempted: [] as ProposedEvent[] };
  const store: EventStore = {
    ...inner,
    appendToStream: async (streamId, events, options) => {
      if (state.failNext) {
        state.failNext = false;
        state.attempted = [...events];
        throw new Error("crash before the append");
      }
      return inner.appendToStream(streamId, events, options);
    },
    appendToStreams: async (appends) => {
      if (state.failNext) {
        state.failNext = false;
        state.attempted = appends.flatMap((a) => [...a.events]);
        throw new Error("crash before the append");
      }
      return inner.appendToStreams(appends);
    },
  };
  return { store, state };
};

const bytes = (events: readonly ProposedEvent[]) =>
  events.map((e) =>
    JSON.stringify({ ...toEnvelope({ ...e, recordedAt: "-", position: 0n } as never), recordedAt: "-" }),
  );

const text = fc.string({ minLength: 1, maxLength: 40 });
const commandArb = (memberId: string, i: number): fc.Arbitrary<Record<string, unknown>> => {
  const at = new Date(Date.UTC(2011, 0, 2, 0, i)).toISOString();
  return fc.oneof(
    fc.record({ name: text, birthDate: fc.constantFrom("1980-01-31", "1999-12-01") }).map((p) => ({
      type: "update-profile",
      memberId,
      at,
      updateId: `u${i}`,
      ...p,
      contact: { email: `m${i}@example.org`, phone: null },
    })),
    text.map((t) => ({ type: "add-note", memberId, at, noteId: `n${i}`, text: t, actor: "ops" })),
    text.map((comment) => ({ type: "feedback", memberId, at, feedbackId: `f${i}`, score: 5, comment })),
  );
};

const scenarioArb = fc.tuple(text, fc.integer({ min: 1, max: 5 })).chain(([name, n]) =>
  fc.tuple(
    fc.constant({
      type: "join",
      memberId: "m",
      at: "2011-01-01T00:00:00Z",
      kind: "person",
      name,
      contact: { email: "m@example.org" },
    } as Record<string, unknown>),
    fc.tuple(...Array.from({ length: n }, (_, i) => commandArb("m", i))),
    fc.boolean(),
  ),
);

describe("club-v1 §6: a retried command writes identical ciphertext", () => {
  it("the retry after a failed append proposes the failed attempt's bytes (execute and executeMany)", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ([joinCommand, rest, batched]) => {
        const { store, state } = crashingStore();
        const keyStore = createTestKeyStore(() => new Uint8Array(randomBytes(32)));
        const ledger = createLedger({ store, program: prog, keyStore });
        for (const command of [joinCommand, ...rest]) {
          state.failNext = true;
          const run = (): Promise<unknown> =>
            batched ? ledger.executeMany([command as Command]) : ledger.execute(command as Command);
          await expect(run()).rejects.toThrow(/crash/);
          const failed = bytes(state.attempted);
          expect(failed.some((line) => line.includes('"$pii"'))).toBe(true);
          await run();
          const stored = await store.readStream("member-m");
          expect(bytes(stored.slice(-failed.length))).toEqual(failed);
        }
        // Replaying the whole sequence appends nothing: retries compare on the opened values.
        const before = (await store.readStream("member-m")).length;
        for (const command of [joinCommand, ...rest])
          expect(await ledger.execute(command as Command)).toMatchObject({
            status: "accepted",
            replay: true,
          });
        expect((await store.readStream("member-m")).length).toBe(before);
      }),
      { numRuns: 40 },
    );
  });
});
