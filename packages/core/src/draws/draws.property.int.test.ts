import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DrawHeldData, type Program, selectWinners, sha256Hex } from "../index.js";
import { baseProgram, club } from "../testing/harness.js";

// Club spec §3 as a property: random members, purchases, refunds and entries
// in time order, then the draw. A simple model of the tickets (bought tickets
// of accepted entries plus floor(net spend / spendPerTicket), capped) gives
// the DrawHeld, and every winner gets its DrawWon and prize exactly once,
// also when the draw is run again.

const START = Date.UTC(2011, 1, 1);
const HOUR = 3_600_000;
const SEED = "prop-seed";
const program: Program = {
  ...baseProgram(),
  earn: { ...baseProgram().earn, signupBonus: 30 },
  draws: [
    {
      id: "p",
      entryFrom: new Date(START).toISOString(),
      entryTo: new Date(START + 20 * 24 * HOUR).toISOString(),
      ticketCost: 7,
      spendPerTicket: "40",
      maxTickets: 9,
      winners: 3,
      prizePoints: [100, 50, 0],
      seedHash: sha256Hex(SEED),
    },
  ],
};
const MEMBERS = ["a", "B", "c", "d1", "d10"];

const stepArb = fc.record({
  hour: fc.integer({ min: 0, max: 24 * 25 }),
  member: fc.integer({ min: 0, max: MEMBERS.length - 1 }),
  kind: fc.constantFrom("purchase", "refund", "enter"),
  amount: fc.integer({ min: 1, max: 200 }),
  tickets: fc.integer({ min: 1, max: 5 }),
});

describe("club §3 draws, property", () => {
  it("DrawHeld matches a model of the tickets; winners' events exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { maxLength: 30 }),
        fc.option(fc.string({ minLength: 1 })),
        async (steps, beacon) => {
          const c = club(program);
          for (const m of MEMBERS)
            await c.ok({ type: "join", memberId: m, at: "2011-01-01T00:00:00Z", kind: "person" });
          const bought = new Map<string, number>();
          const net = new Map<string, number>(); // purchaseId -> net amount inside the window
          const owner = new Map<string, string>();
          let seq = 0;
          for (const s of [...steps].sort((x, y) => x.hour - y.hour)) {
            const memberId = MEMBERS[s.member] as string;
            const at = new Date(START + s.hour * HOUR).toISOString();
            const inWindow = s.hour < 20 * 24;
            if (s.kind === "purchase") {
              const purchaseId = `p${++seq}`;
              const out = await c.run({
                type: "purchase",
                memberId,
                at,
                purchaseId,
                amount: String(s.amount),
              });
              if (out.status === "accepted" && inWindow) {
                net.set(purchaseId, s.amount);
                owner.set(purchaseId, memberId);
              }
            } else if (s.kind === "refund") {
              const mine = [...owner].filter(([, m]) => m === memberId).map(([p]) => p);
              const purchaseId = mine[s.amount % Math.max(1, mine.length)];
              if (purchaseId === undefined) continue;
              const amount = Math.min(s.amount, net.get(purchaseId) ?? 0);
              if (amount <= 0) continue;
              const out = await c.run({
                type: "refund",
                memberId,
                at,
                purchaseId,
                refundId: `r${++seq}`,
                amount: String(amount),
              });
              if (out.status === "accepted" && inWindow)
                net.set(purchaseId, (net.get(purchaseId) ?? 0) - amount);
            } else {
              const out = await c.run({
                type: "enter-draw",
                memberId,
                at,
                drawId: "p",
                entryId: `e${++seq}`,
                tickets: s.tickets,
              });
              if (out.status === "accepted") bought.set(memberId, (bought.get(memberId) ?? 0) + s.tickets);
              else
                expect(["DRAW_CLOSED", "TICKET_LIMIT", "INSUFFICIENT_POINTS"]).toContain(out.rejection.code);
            }
          }
          const drawAt = new Date(START + 26 * 24 * HOUR).toISOString();
          const draw = {
            type: "draw",
            at: drawAt,
            drawId: "p",
            seed: SEED,
            ...(beacon !== null ? { beacon } : {}),
          };
          await c.ok(draw);
          const entrants = MEMBERS.map((memberId) => {
            let spend = 0;
            for (const [p, m] of owner) if (m === memberId) spend += net.get(p) ?? 0;
            return { memberId, tickets: Math.min(9, (bought.get(memberId) ?? 0) + Math.floor(spend / 40)) };
          }).filter((e) => e.tickets > 0);
          const held = (await c.store.readStream("draw-p"))[0]?.data as DrawHeldData;
          expect(held.tickets).toBe(entrants.reduce((s, e) => s + e.tickets, 0));
          expect(held.entrants).toBe(entrants.length);
          expect(held.winners).toEqual(
            selectWinners({ id: "p", winners: 3 }, SEED, beacon ?? undefined, entrants),
          );
          // Running the draw again appends nothing.
          expect(await c.run(draw)).toMatchObject({ status: "accepted", replay: true, events: [] });
          for (const m of MEMBERS) {
            const events = await c.stream(m);
            const won = events.filter((e) => e.type === "DrawWon");
            const rank = held.winners.find((w) => w.memberId === m)?.rank;
            expect(won.map((e) => (e.data as { rank: number }).rank)).toEqual(
              rank === undefined ? [] : [rank],
            );
            const prize = events.filter(
              (e) => e.type === "PointsEarned" && (e.data as { reason: string }).reason === "draw",
            );
            expect(prize.map((e) => (e.data as { points: number }).points)).toEqual(
              rank === undefined || rank === 3 ? [] : [rank === 1 ? 100 : 50],
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
