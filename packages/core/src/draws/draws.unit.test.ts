import { describe, expect, it } from "vitest";
import { type Program, programSchema } from "../program.js";
import { baseProgram } from "../testing/program.js";
import type { Draw } from "./program.js";
import { selectWinners, ticketsAtEntryTo } from "./tickets.js";

const SEED_HASH = "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0"; // sha256("s3cret")

const draw = (patch: Partial<Draw> = {}): Draw => ({
  id: "nowruz",
  entryFrom: "2011-03-01T00:00:00Z",
  entryTo: "2011-03-21T00:00:00Z",
  ticketCost: 200,
  winners: 2,
  seedHash: SEED_HASH,
  ...patch,
});

const withDraws = (draws: unknown): unknown => ({ ...baseProgram(), draws });
const accepts = (draws: unknown) => programSchema.safeParse(withDraws(draws)).success;

describe("club §1, §9 program draws", () => {
  it("a program without draws parses as before", () => {
    const p = programSchema.parse(baseProgram()) as Program;
    expect(p.draws).toBeUndefined();
  });
  it("accepts a draw with either ticketCost or spendPerTicket", () => {
    expect(accepts([draw()])).toBe(true);
    expect(accepts([draw({ ticketCost: undefined, spendPerTicket: "100" })])).toBe(true);
    expect(accepts([draw({ tiers: [], prizePoints: [5000, 0], maxTickets: 5 })])).toBe(true);
  });
  it.each<[string, unknown]>([
    ["entryFrom not before entryTo", [draw({ entryTo: "2011-03-01T00:00:00Z" })]],
    ["neither ticketCost nor spendPerTicket", [draw({ ticketCost: undefined })]],
    ["prizePoints not one per winner", [draw({ prizePoints: [1] })]],
    ["a negative prize", [draw({ prizePoints: [1, -1] })]],
    ["an upper-case seedHash", [draw({ seedHash: SEED_HASH.toUpperCase() })]],
    ["a short seedHash", [draw({ seedHash: "ab" })]],
    ["winners 0", [draw({ winners: 0 })]],
    ["maxTickets 0", [draw({ maxTickets: 0 })]],
    ["ticketCost 0", [draw({ ticketCost: 0 })]],
    ["spendPerTicket 0", [draw({ spendPerTicket: "0" })]],
    ["an unknown level", [draw({ tiers: ["platinum"] })]],
    ["an unknown key", [{ ...draw(), extra: 1 }]],
    ["repeated ids", [draw(), draw()]],
    ["a bad id", [draw({ id: "-x" })]],
  ])("rejects %s", (_, draws) => {
    expect(accepts(draws)).toBe(false);
  });
});

const ev = (type: string, occurredAt: string, data: Record<string, unknown>) => ({ type, occurredAt, data });

describe("club §3 tickets at entryTo", () => {
  const events = [
    ev("MemberJoined", "2011-01-01T00:00:00.000Z", {}),
    ev("PurchaseRecorded", "2011-02-28T23:59:59.999Z", { purchaseId: "before", amount: "1000" }),
    ev("PurchaseRecorded", "2011-03-01T00:00:00.000Z", { purchaseId: "p1", amount: "250.5" }),
    ev("DrawEntered", "2011-03-02T00:00:00.000Z", { drawId: "nowruz", tickets: 2 }),
    ev("DrawEntered", "2011-03-02T00:00:00.000Z", { drawId: "other", tickets: 9 }),
    ev("PurchaseRefunded", "2011-03-10T00:00:00.000Z", { purchaseId: "p1", amount: "50" }),
    ev("PurchaseRecorded", "2011-03-20T00:00:00.000Z", { purchaseId: "p2", amount: "100" }),
    ev("PurchaseRefunded", "2011-03-21T00:00:00.000Z", { purchaseId: "p2", amount: "100" }),
    ev("PurchaseRecorded", "2011-03-21T00:00:00.000Z", { purchaseId: "after", amount: "900" }),
  ];
  it("counts bought tickets plus floor(net spend in the window / spendPerTicket)", () => {
    // net: 250.5 - 50 + 100 (its refund is at entryTo: not before it) = 300.5 -> 3 free.
    expect(ticketsAtEntryTo(draw({ spendPerTicket: "100" }), "bronze", events)).toBe(5);
    expect(ticketsAtEntryTo(draw(), "bronze", events)).toBe(2);
  });
  it("caps at maxTickets", () => {
    expect(ticketsAtEntryTo(draw({ spendPerTicket: "100", maxTickets: 4 }), "bronze", events)).toBe(4);
  });
  it("gives free tickets only to the stored tier just before entryTo", () => {
    const d = draw({ spendPerTicket: "100", tiers: ["silver"] });
    expect(ticketsAtEntryTo(d, "bronze", events)).toBe(2);
    const up = [...events, ev("TierChanged", "2011-03-20T00:00:00.000Z", { to: "silver" })];
    up.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    expect(ticketsAtEntryTo(d, "bronze", up)).toBe(5);
    const late = [...events, ev("TierChanged", "2011-03-21T00:00:00.000Z", { to: "silver" })];
    expect(ticketsAtEntryTo(d, "bronze", late)).toBe(2);
    expect(ticketsAtEntryTo(draw({ spendPerTicket: "100", tiers: [] }), "bronze", events)).toBe(2);
  });
});

describe("club §3 seeded selection", () => {
  // Expected winners computed independently (Python hashlib, int(h, 16) % T).
  const entrants = [
    { memberId: "m1", tickets: 3 },
    { memberId: "m2", tickets: 1 },
    { memberId: "a10", tickets: 7 },
    { memberId: "b", tickets: 0 },
    { memberId: "Z", tickets: 2 },
    { memberId: "m3", tickets: 5 },
  ];
  const names = (w: { memberId: string }[]) => w.map((x) => x.memberId);
  it("matches an independent computation, with and without a beacon", () => {
    const d = { id: "nowruz", winners: 3 };
    expect(selectWinners(d, "s3cret", "round-42", entrants)).toEqual([
      { rank: 1, memberId: "m3", tickets: 5 },
      { rank: 2, memberId: "m1", tickets: 3 },
      { rank: 3, memberId: "m2", tickets: 1 },
    ]);
    expect(names(selectWinners(d, "s3cret", undefined, entrants))).toEqual(["m3", "a10", "m1"]);
  });
  it("stops at the number of entrants (zero-ticket members do not enter)", () => {
    expect(names(selectWinners({ id: "d", winners: 10 }, "x", undefined, entrants))).toEqual([
      "Z",
      "a10",
      "m3",
      "m1",
      "m2",
    ]);
    expect(selectWinners({ id: "d", winners: 3 }, "x", undefined, [])).toEqual([]);
  });
});
