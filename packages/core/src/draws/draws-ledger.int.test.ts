import { createMemoryStore } from "@vafa/adapters/memory";
import { describe, expect, it } from "vitest";
import { type EventStore, type Program, sha256Hex, VafaError } from "../index.js";
import { baseProgram, club, join, purchase } from "../testing/harness.js";
import type { Draw } from "./program.js";

// Club spec §3 and §9: enter-draw and draw through the ledger.

const SEED = "s3cret";
const drawOf = (patch: Partial<Draw> = {}): Draw => ({
  id: "d1",
  entryFrom: "2011-03-01T00:00:00Z",
  entryTo: "2011-03-21T00:00:00Z",
  ticketCost: 100,
  maxTickets: 5,
  winners: 2,
  prizePoints: [500, 0],
  seedHash: sha256Hex(SEED),
  ...patch,
});
const clubProgram = (draws: Draw[] = [drawOf()]): Program => ({ ...baseProgram(), draws });
const enter = (memberId: string, at: string, entryId: string, tickets: number, drawId = "d1") => ({
  type: "enter-draw",
  memberId,
  at,
  drawId,
  entryId,
  tickets,
});
const drawCmd = (extra: Record<string, unknown> = {}) => ({
  type: "draw",
  at: "2011-03-22T00:00:00Z",
  drawId: "d1",
  seed: SEED,
  ...extra,
});

describe("club §3 enter-draw", () => {
  const setup = async (prog = clubProgram()) => {
    const c = club(prog);
    await c.ok(join("m", "2011-01-01T00:00:00Z"), purchase("m", "2011-01-02T00:00:00Z", "p1", "1000"));
    return c;
  };
  it("buys tickets FIFO like a redemption and counts as redeemed", async () => {
    const c = await setup();
    const [e] = await c.ok(enter("m", "2011-03-02T00:00:00Z", "e1", 3));
    expect(e?.type).toBe("DrawEntered");
    expect(e?.metadata.commandId).toBe("enter-draw:e1");
    expect(Object.keys(e?.data ?? {})).toEqual(["drawId", "entryId", "tickets", "points", "allocations"]);
    expect(e?.data).toMatchObject({ drawId: "d1", entryId: "e1", tickets: 3, points: 300 });
    expect((await c.balance("m", "2011-03-03T00:00:00Z")).available).toBe(700);
  });
  it("checks in the order of §3: UNKNOWN_DRAW, DRAW_CLOSED, VALIDATION, TIER_NOT_ELIGIBLE, TICKET_LIMIT, INSUFFICIENT_POINTS", async () => {
    const c = await setup(
      clubProgram([
        drawOf(),
        drawOf({ id: "spend", ticketCost: undefined, spendPerTicket: "10" }),
        drawOf({ id: "bronze", tiers: ["bronze"] }),
        drawOf({ id: "nobody", tiers: [] }),
        drawOf({ id: "dear", ticketCost: 2 ** 52, maxTickets: undefined }),
      ]),
    );
    const at = "2011-03-02T00:00:00Z";
    expect(await c.code(enter("m", at, "x", 1, "nope"))).toBe("UNKNOWN_DRAW");
    expect(await c.code(enter("m", "2011-02-28T23:59:59Z", "x", 1))).toBe("DRAW_CLOSED");
    expect(await c.code(enter("m", "2011-03-21T00:00:00Z", "x", 1))).toBe("DRAW_CLOSED");
    expect(await c.code(enter("m", at, "x", 1, "spend"))).toBe("VALIDATION");
    expect(await c.code(enter("m", at, "x", 1, "bronze"))).toBe("TIER_NOT_ELIGIBLE");
    expect(await c.code(enter("m", at, "x", 1, "nobody"))).toBe("TIER_NOT_ELIGIBLE");
    expect(await c.code(enter("m", at, "x", 6))).toBe("TICKET_LIMIT");
    expect(await c.code(enter("m", at, "x", 2, "dear"))).toBe("VALIDATION");
    expect(await c.code(enter("m", at, "x", 1, "dear"))).toBe("INSUFFICIENT_POINTS");
    await c.ok(enter("m", at, "e1", 4));
    // TICKET_LIMIT counts bought tickets and comes before INSUFFICIENT_POINTS.
    expect(await c.code(enter("m", at, "e2", 2))).toBe("TICKET_LIMIT");
    expect(await c.code(enter("m", at, "e2", 1))).toBe("ACCEPTED");
    expect(await c.types("m")).toEqual([
      "MemberJoined",
      "PurchaseRecorded",
      "PointsEarned",
      "TierChanged",
      "DrawEntered",
      "DrawEntered",
    ]);
  });
  it("§9: each rejection says what is wrong (field, draw, limits)", async () => {
    const c = await setup(
      clubProgram([
        drawOf(),
        drawOf({ id: "spend", ticketCost: undefined, spendPerTicket: "10" }),
        drawOf({ id: "bronze", tiers: ["bronze"] }),
        drawOf({ id: "dear", ticketCost: 2 ** 52, maxTickets: undefined }),
      ]),
    );
    const at = "2011-03-02T00:00:00Z";
    const message = async (command: Record<string, unknown>) => {
      const outcome = await c.run(command);
      return outcome.status === "rejected"
        ? `${outcome.rejection.code} ${outcome.rejection.message}`
        : "ACCEPTED";
    };
    expect(await message(enter("m", at, "x", 1, "nope"))).toBe(
      "UNKNOWN_DRAW drawId: the program has no draw nope",
    );
    expect(await message(enter("m", "2011-02-28T23:59:59Z", "x", 1))).toBe(
      "DRAW_CLOSED at: draw d1 takes entries from 2011-03-01T00:00:00Z until before 2011-03-21T00:00:00Z",
    );
    expect(await message(enter("m", at, "x", 1, "spend"))).toBe(
      "VALIDATION drawId: draw spend sells no tickets (its tickets come from spend only)",
    );
    expect(await message(enter("m", at, "x", 1, "bronze"))).toBe(
      "TIER_NOT_ELIGIBLE memberId: tier silver may not enter draw bronze",
    );
    expect(await message(enter("m", at, "x", 2, "dear"))).toBe(
      "VALIDATION tickets: 2 tickets cost more points than a safe integer",
    );
    expect(await message(enter("m", at, "x", 1, "dear"))).toBe(
      `INSUFFICIENT_POINTS tickets: cost ${2 ** 52} points, 1000 available`,
    );
    await c.ok(enter("m", at, "e1", 4));
    expect(await message(enter("m", at, "e2", 2))).toBe(
      "TICKET_LIMIT tickets: 4 bought already, 2 more would pass the limit of 5",
    );
    expect(await message(enter("m", at, "e1", 2))).toBe(
      "IDEMPOTENCY_CONFLICT entryId: e1 was already used by another enter-draw command",
    );
  });
  it("§3 at their boundaries: entryFrom is open, the limit counts this draw only, all available points may go", async () => {
    const c = await setup(
      clubProgram([drawOf(), drawOf({ id: "d2" }), drawOf({ id: "last", maxTickets: undefined })]),
    );
    const from = "2011-03-01T00:00:00Z";
    expect(await c.code(enter("m", from, "e1", 1))).toBe("ACCEPTED");
    expect(await c.code(enter("m", from, "e2", 4, "d2"))).toBe("ACCEPTED");
    expect(await c.code(enter("m", from, "e3", 4))).toBe("ACCEPTED"); // 5 in d1, whatever d2 holds
    expect((await c.balance("m", from)).available).toBe(100);
    expect(await c.code(enter("m", from, "e4", 1, "last"))).toBe("ACCEPTED");
    expect((await c.balance("m", from)).available).toBe(0);
  });
  it("minPoints does not apply; the entryId is the idempotency key", async () => {
    const c = await setup({ ...clubProgram(), redemption: { minPoints: 1000, pointValue: "0.01" } });
    const at = "2011-03-02T00:00:00Z";
    await c.ok(enter("m", at, "e1", 1));
    expect(await c.run(enter("m", at, "e1", 1))).toMatchObject({ status: "accepted", replay: true });
    expect(await c.code(enter("m", at, "e1", 2))).toBe("IDEMPOTENCY_CONFLICT");
    expect(await c.types("m")).toHaveLength(5);
  });
  it("exists under every program: UNKNOWN_DRAW without draws, UNKNOWN_MEMBER first", async () => {
    const c = club(baseProgram());
    await c.ok(join("m", "2011-01-01T00:00:00Z"));
    expect(await c.code(enter("m", "2011-03-02T00:00:00Z", "e", 1))).toBe("UNKNOWN_DRAW");
    expect(await c.code(enter("x", "2011-03-02T00:00:00Z", "e", 1))).toBe("UNKNOWN_MEMBER");
  });
});

describe("club §3 draw", () => {
  const setup = async (store?: EventStore) => {
    const c = club(clubProgram(), store);
    for (const [m, tickets] of [
      ["a", 1],
      ["b", 3],
      ["c", 2],
    ] as const) {
      await c.ok(
        join(m, "2011-01-01T00:00:00Z"),
        purchase(m, "2011-01-02T00:00:00Z", `p-${m}`, "1000"),
        enter(m, "2011-03-02T00:00:00Z", `e-${m}`, tickets),
      );
    }
    await c.ok(join("late", "2011-03-25T00:00:00Z"));
    return c;
  };
  it("rejects in order: UNKNOWN_DRAW, DRAW_NOT_CLOSED, SEED_MISMATCH; VALIDATION for an empty seed", async () => {
    const c = await setup();
    expect(await c.code(drawCmd({ seed: "" }))).toBe("VALIDATION");
    expect(await c.code(drawCmd({ beacon: "" }))).toBe("VALIDATION");
    expect(await c.code(drawCmd({ memberId: "a" }))).toBe("VALIDATION");
    expect(await c.code(drawCmd({ drawId: "nope", at: "2011-03-01T00:00:00Z" }))).toBe("UNKNOWN_DRAW");
    expect(await c.code(drawCmd({ at: "2011-03-20T23:59:59Z", seed: "wrong" }))).toBe("DRAW_NOT_CLOSED");
    expect(await c.code(drawCmd({ seed: "wrong" }))).toBe("SEED_MISMATCH");
    expect(await c.store.listStreams("draw-")).toEqual([]);
  });
  it("holds the draw, then gives each winner DrawWon and its prize, once", async () => {
    const c = await setup();
    const outcome = await c.run(drawCmd({ beacon: "round-7" }));
    expect(outcome.status).toBe("accepted");
    const [held] = await c.store.readStream("draw-d1");
    expect(held?.type).toBe("DrawHeld");
    expect(held?.metadata).toMatchObject({ commandId: "draw:d1", correlationId: "draw:d1" });
    expect(Object.keys(held?.data ?? {})).toEqual([
      "drawId",
      "seed",
      "beacon",
      "tickets",
      "entrants",
      "winners",
    ]);
    const data = held?.data as {
      tickets: number;
      entrants: number;
      winners: { memberId: string; rank: number }[];
    };
    expect(data).toMatchObject({ tickets: 6, entrants: 3 });
    expect(data.winners.map((w) => w.rank)).toEqual([1, 2]);
    const [first, second] = data.winners.map((w) => w.memberId) as [string, string];
    const firstEvents = (await c.stream(first)).slice(-2);
    expect(firstEvents.map((e) => e.type)).toEqual(["DrawWon", "PointsEarned"]);
    expect(firstEvents[1]?.data).toMatchObject({ reason: "draw", drawId: "d1", rank: 1, points: 500 });
    expect(firstEvents[0]?.occurredAt).toBe("2011-03-22T00:00:00.000Z");
    // Prize 0: DrawWon only.
    expect((await c.stream(second)).at(-1)?.type).toBe("DrawWon");
    // The same draw again is a no-op; another seed, beacon or time is ALREADY_DRAWN (before DRAW_NOT_CLOSED).
    expect(await c.run(drawCmd({ beacon: "round-7" }))).toMatchObject({
      status: "accepted",
      replay: true,
      events: [],
    });
    expect(await c.code(drawCmd())).toBe("ALREADY_DRAWN");
    expect(await c.code(drawCmd({ beacon: "round-7", at: "2011-03-01T00:00:00Z" }))).toBe("ALREADY_DRAWN");
    expect(await c.code(drawCmd({ beacon: "round-7", seed: "x" }))).toBe("ALREADY_DRAWN");
  });
  it("dates a winner's events at its last event when that is later than the draw", async () => {
    const c = await setup();
    for (const m of ["a", "b", "c"]) await c.ok(purchase(m, "2011-04-01T00:00:00Z", `q-${m}`, "1"));
    await c.ok(drawCmd());
    const held = (await c.store.readStream("draw-d1"))[0]?.data as { winners: { memberId: string }[] };
    const winner = held.winners[0]?.memberId as string;
    expect((await c.stream(winner)).at(-1)?.occurredAt).toBe("2011-04-01T00:00:00.000Z");
  });
  it("a draw without entrants is accepted with no winners", async () => {
    const c = club(clubProgram());
    await c.ok(drawCmd());
    expect((await c.store.readStream("draw-d1"))[0]?.data).toMatchObject({
      tickets: 0,
      entrants: 0,
      winners: [],
    });
  });
  it("completes a winner's events after a crash when the same draw runs again", async () => {
    const inner = createMemoryStore();
    let crash = true;
    const crashing: EventStore = {
      ...inner,
      readStream: inner.readStream.bind(inner),
      readStreams: inner.readStreams.bind(inner),
      listStreams: inner.listStreams.bind(inner),
      appendToStreams: inner.appendToStreams.bind(inner),
      appendToStream: async (streamId, events, options) => {
        if (crash && streamId.startsWith("member-") && events.some((e) => e.type === "DrawWon")) {
          crash = false;
          throw new VafaError("STORE_UNAVAILABLE", "simulated crash");
        }
        return inner.appendToStream(streamId, events, options);
      },
    };
    const c = await setup(crashing);
    await expect(c.run(drawCmd())).rejects.toThrow("simulated crash");
    expect(await inner.listStreams("draw-")).toEqual(["draw-d1"]);
    const again = club(clubProgram(), inner);
    const outcome = await again.run(drawCmd());
    expect(outcome).toMatchObject({ status: "accepted", replay: false });
    const won = async () => {
      let n = 0;
      for (const m of ["a", "b", "c"]) n += (await again.types(m)).filter((t) => t === "DrawWon").length;
      return n;
    };
    expect(await won()).toBe(2);
    await again.ok(drawCmd());
    expect(await won()).toBe(2);
  });
  it("executeMany appends the batch before a draw and gives the same events as execute", async () => {
    const lines = [
      join("a", "2011-01-01T00:00:00Z"),
      purchase("a", "2011-01-02T00:00:00Z", "p", "1000"),
      enter("a", "2011-03-02T00:00:00Z", "e", 2),
      drawCmd(),
      purchase("a", "2011-04-01T00:00:00Z", "q", "10"),
    ];
    const one = club(clubProgram());
    for (const l of lines) await one.run(l);
    const many = club(clubProgram());
    const outcomes = await many.ledger.executeMany(lines);
    expect(outcomes.map((o) => o.status)).toEqual(lines.map(() => "accepted"));
    const ids = async (c: ReturnType<typeof club>) => {
      const out: string[] = [];
      for await (const e of c.store.readAll()) out.push(`${e.streamId}/${e.metadata.hash}`);
      return out.sort();
    };
    expect(await ids(many)).toEqual(await ids(one));
  });
});
