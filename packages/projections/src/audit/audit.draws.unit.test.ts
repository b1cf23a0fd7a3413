import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { audit, clone, type Env, find, normalize, rechain, where } from "../testing/audit-export.js";
import { verifyDraw } from "./draw-verify.js";

// Club spec §3 and §7: DRAW_MISMATCH on the draw vectors
// (fixtures/club-vectors/draws-gregorian), each finding made by editing a valid
// export and re-chaining it so no HASH_MISMATCH hides the content check.

const path = fileURLToPath(
  new URL("../../../../fixtures/club-vectors/draws-gregorian/expected-events.ndjson", import.meta.url),
);
const log: Env[] = readFileSync(path, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Env);

const draws = (report: Awaited<ReturnType<typeof audit>>) =>
  report.findings.filter((f) => f.code === "DRAW_MISMATCH").map((f) => `${f.streamId}: ${f.message}`);
const entry = (events: Env[], entryId: string) =>
  events.find((e) => e.type === "DrawEntered" && e.data.entryId === entryId) as Env;

describe("club §7 DRAW_MISMATCH", () => {
  it("the draw vectors audit clean (draw streams, entries, winners and prizes)", async () => {
    const report = await audit(log);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("a changed ticket purchase: the winners no longer re-derive", async () => {
    const events = clone(log);
    entry(events, "er3").data.tickets = 8;
    const report = await audit(rechain(events));
    expect(where(report)).toEqual([
      "DRAW_MISMATCH draw-spring@0",
      "DRAW_MISMATCH draw-spring@0",
      "DRAW_MISMATCH draw-spring@0",
      // 8 tickets for the 40 points of 2 (§3 points = tickets × ticketCost).
      "DRAW_MISMATCH member-reza@2",
    ]);
    expect(draws(report)).toContain(
      "draw-spring: rank 1: recorded nina (5 tickets), re-derived sara (2 tickets)",
    );
  });

  it("a seed committed after entryFrom (the program published late)", async () => {
    const events = clone(log);
    const published = events.find((e) => e.type === "ProgramPublished") as Env;
    published.occurredAt = "2011-02-02T00:00:00.000Z";
    const report = await audit(rechain(events));
    expect(draws(report)).toEqual(
      ["by-spend", "silver-night", "spring"].map(
        (id) =>
          `draw-${id}: the seedHash of draw ${id} was published at 2011-02-02T00:00:00.000Z, after entryFrom 2011-02-01T00:00:00Z`,
      ),
    );
  });

  it("a revealed seed that is not the committed one", async () => {
    const events = clone(log);
    find(events, "draw-spring", 0).data.seed = "other-seed";
    const report = await audit(rechain(events));
    expect(draws(report)[0]).toMatch(/^draw-spring: the seed's sha256 is not the seedHash/);
  });

  it("a winner without its DrawWon and prize, a wrong prize, a DrawWon of no winner", async () => {
    const missing = clone(log).filter(
      (e) => !(e.streamId === "member-sara" && e.metadata.commandId === "draw:spring"),
    );
    expect(draws(await audit(normalize(missing)))).toEqual([
      "draw-spring: rank 2: sara has no DrawWon (run the draw again)",
    ]);
    const prize = clone(log);
    find(prize, "member-sara", 7).data.points = 101;
    expect(draws(await audit(rechain(prize)))).toEqual([
      "member-sara: rank 2: sara got 101 prize points, the draw gives 100",
    ]);
    const extra = clone(log);
    find(extra, "member-sara", 8).data.drawId = "silver-night";
    const report = await audit(rechain(extra));
    expect(draws(report)).toContain(
      "member-sara: sara has a DrawWon of silver-night but is not a recorded winner",
    );
  });

  it("a DrawHeld in a member stream is SCHEMA", async () => {
    const events = clone(log);
    find(events, "draw-spring", 0).streamId = "member-x";
    const report = await audit(rechain(events));
    expect(report.findings.some((f) => f.code === "SCHEMA" && f.message.includes("DrawHeld in member"))).toBe(
      true,
    );
  });
});

describe("club §3 DrawEntered.points = tickets × ticketCost (DRAW_MISMATCH)", () => {
  it("an entry charged other points than its tickets cost (points and allocation edited together)", async () => {
    const events = clone(log);
    const en1 = entry(events, "en1");
    en1.data.points = 10;
    en1.data.allocations = [{ lotId: (en1.data.allocations as { lotId: string }[])[0]?.lotId, points: 10 }];
    const report = await audit(rechain(events));
    expect(draws(report)).toContain(
      "member-nina: entry en1 of nina: 10 points for 2 tickets; the draw charges 2 × 10 = 20",
    );
  });

  it("a program whose ticketCost was changed after the entries: every entry of that draw", async () => {
    const events = clone(log);
    const published = events.find((e) => e.type === "ProgramPublished") as Env;
    const program = published.data.program as { draws: { id: string; ticketCost?: number }[] };
    const spring = program.draws.find((d) => d.id === "spring") as { ticketCost?: number };
    spring.ticketCost = 25;
    const report = await audit(rechain(events));
    const entries = draws(report).filter((m) => m.includes(": entry "));
    expect(entries).toContain(
      "member-ali: entry ea1 of ali: 60 points for 3 tickets; the draw charges 3 × 25 = 75",
    );
    expect(entries.every((m) => m.includes("× 25 ="))).toBe(true);
    expect(entries.length).toBe(
      log.filter((e) => e.type === "DrawEntered" && e.data.drawId === "spring").length,
    );
    // Tickets and winners do not depend on the price: nothing else about the draw.
    expect(draws(report).filter((m) => !m.includes(": entry "))).toEqual([]);
  });

  it("an entry of a draw that sells no tickets", async () => {
    const events = clone(log);
    entry(events, "ea1").data.drawId = "by-spend";
    const report = await audit(rechain(events));
    expect(draws(report)).toContain(
      "member-ali: entry ea1 of ali: draw by-spend sells no tickets, yet 3 were bought",
    );
  });
});

describe("club §3 draw-verify in process (verifyDraw)", () => {
  it("re-derives the recorded draw of the vectors: ok, no problems", async () => {
    const v = await verifyDraw(log, { drawId: "spring" });
    expect(v).toMatchObject({ ok: true, drawId: "spring", problems: [] });
    expect(v.recorded?.drawId).toBe("spring");
  });

  it("a ticket purchase changed after it was written names its member, then the ranks it moves", async () => {
    const events = clone(log);
    entry(events, "er3").data.tickets = 8;
    const v = await verifyDraw(events, { drawId: "spring" });
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => [p.memberId ?? null, p.message])).toEqual([
      [
        "reza",
        "member-reza revision 2: DrawEntered does not match its hash chain (changed after it was written)",
      ],
      ["nina", "rank 1: recorded nina (5 tickets), re-derived sara (2 tickets)"],
      ["sara", "rank 2: recorded sara (2 tickets), re-derived nina (5 tickets)"],
      [null, "recorded 12 tickets of 4 entrants, re-derived 18 of 4"],
    ]);
  });

  it("a draw that was never held is a problem, not a crash", async () => {
    expect(await verifyDraw(log, { drawId: "nope" })).toEqual({
      ok: false,
      drawId: "nope",
      recorded: undefined,
      problems: [
        {
          loc: { streamId: "draw-nope", revision: null, eventId: null },
          message: "draw nope has not been held: no DrawHeld in stream draw-nope",
        },
      ],
    });
  });
});
