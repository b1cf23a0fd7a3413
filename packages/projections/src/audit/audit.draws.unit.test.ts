import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TicketEvent } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { program } from "../../../core/src/testing/program.js";
import { audit, clone, type Env, find, normalize, rechain, where } from "../testing/audit-export.js";
import { verifyDraw } from "./draw-verify.js";
import { DrawBook } from "./draws.js";

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

// verifyDraw (strict: the program must be known; one draw) on edited vector logs.
// Each problem as "stream@revision member#rank: message".
const problems = (v: Awaited<ReturnType<typeof verifyDraw>>) =>
  v.problems.map(
    (p) =>
      `${p.loc.streamId}@${p.loc.revision}${p.memberId === undefined ? "" : ` ${p.memberId}`}${p.rank === undefined ? "" : `#${p.rank}`}: ${p.message}`,
  );
const verify = async (
  edit: (events: Env[]) => Env[] | undefined,
  options?: Partial<Parameters<typeof verifyDraw>[1]>,
) => {
  const events = clone(log);
  return problems(await verifyDraw(edit(events) ?? events, { drawId: "spring", ...options }));
};
const publication = (events: Env[]) => events.find((e) => e.type === "ProgramPublished") as Env;
const held = (events: Env[]) => find(events, "draw-spring", 0);
const springOf = (program: { draws: { id: string; seedHash: string }[] }) =>
  program.draws.find((d) => d.id === "spring") as { seedHash: string };
/** Another ProgramPublished of the vectors' program: version 2 at `occurredAt`, edited by `change`. */
const republish = (events: Env[], occurredAt: string, change: (p: Env["data"]) => void = () => {}) => {
  const e = structuredClone(publication(events));
  Object.assign(e, { revision: 1, occurredAt });
  e.data.program.version = 2;
  change(e.data.program);
  events.push(e);
};
const OTHER_HASH = "0".repeat(64);

describe("club §3 draw-verify: the draw stream and the program (verifyDraw)", () => {
  it("a DrawHeld in another draw's stream", async () => {
    expect(
      await verify((events) => {
        held(events).streamId = "draw-autumn";
      }),
    ).toEqual(["draw-autumn@0: DrawHeld of spring in stream draw-autumn"]);
  });

  it("a DrawHeld of a draw its program does not have", async () => {
    expect(
      await verify(
        (events) => {
          held(events).data.drawId = "autumn";
        },
        { drawId: "autumn" },
      ),
    ).toEqual([
      "draw-spring@0: DrawHeld of autumn in stream draw-spring",
      "draw-spring@0: program draws-gbp version 1 has no draw autumn",
    ]);
  });

  it("a program version not in the log is a problem unless given; a given one needs no publication", async () => {
    const without = (events: Env[]) => events.filter((e) => e.type !== "ProgramPublished");
    expect(await verify(without)).toEqual([
      "draw-spring@0: program draws-gbp version 1 is not in the log; give it with --program",
    ]);
    expect(await verify(without, { programs: [publication(log).data.program] })).toEqual([]);
  });

  it("a given program wins over the published one; no published version holding its seedHash is a problem", async () => {
    expect(
      await verify(
        (events) => {
          springOf(publication(events).data.program).seedHash = OTHER_HASH;
        },
        { programs: [publication(log).data.program] },
      ),
    ).toEqual(["draw-spring@0: no published version of program draws-gbp holds the seedHash of draw spring"]);
  });

  it("a given program of another version does not stand in for the version the DrawHeld names", async () => {
    const v2 = structuredClone(publication(log).data.program);
    v2.version = 2;
    springOf(v2).seedHash = OTHER_HASH;
    expect(await verify(() => undefined, { programs: [v2] })).toEqual([]);
  });

  it("the seedHash published exactly at entryFrom is in time", async () => {
    expect(
      await verify((events) => {
        publication(events).occurredAt = "2011-02-01T00:00:00.000Z";
      }),
    ).toEqual([]);
  });

  it("the earliest publication holding the seedHash counts; one with another seedHash does not", async () => {
    const late = (events: Env[]) => {
      publication(events).occurredAt = "2011-02-02T00:00:00.000Z";
    };
    expect(
      await verify((events) => {
        late(events);
        republish(events, "2011-01-01T00:00:00.000Z");
      }),
    ).toEqual([]);
    expect(
      await verify((events) => {
        late(events);
        republish(events, "2011-01-01T00:00:00.000Z", (p) => {
          springOf(p).seedHash = OTHER_HASH;
        });
      }),
    ).toEqual([
      "draw-spring@0: the seedHash of draw spring was published at 2011-02-02T00:00:00.000Z, after entryFrom 2011-02-01T00:00:00Z",
    ]);
    // The seedHash under another draw's id does not commit this draw.
    expect(
      await verify((events) => {
        late(events);
        republish(events, "2011-01-01T00:00:00.000Z", (p) => {
          const spring = springOf(p);
          p.draws.push({ ...spring, id: "autumn" });
          spring.seedHash = OTHER_HASH;
        });
      }),
    ).toEqual([
      "draw-spring@0: the seedHash of draw spring was published at 2011-02-02T00:00:00.000Z, after entryFrom 2011-02-01T00:00:00Z",
    ]);
    // A version without draws holds no seedHash.
    expect(
      await verify((events) => {
        late(events);
        republish(events, "2011-01-01T00:00:00.000Z", (p) => {
          delete p.draws;
        });
      }),
    ).toEqual([
      "draw-spring@0: the seedHash of draw spring was published at 2011-02-02T00:00:00.000Z, after entryFrom 2011-02-01T00:00:00Z",
    ]);
    // The earliest of two late publications is named.
    expect(
      await verify((events) => {
        late(events);
        republish(events, "2011-02-03T00:00:00.000Z");
      }),
    ).toEqual([
      "draw-spring@0: the seedHash of draw spring was published at 2011-02-02T00:00:00.000Z, after entryFrom 2011-02-01T00:00:00Z",
    ]);
  });

  it("a draw held before entryTo (held exactly at entryTo is fine: the vectors)", async () => {
    expect(
      await verify((events) => {
        held(events).occurredAt = "2011-02-28T23:59:59.999Z";
      }),
    ).toEqual([
      "draw-spring@0: draw spring was held at 2011-02-28T23:59:59.999Z, before entryTo 2011-03-01T00:00:00Z",
    ]);
  });

  it("only the draw asked for is checked", async () => {
    expect(
      await verify((events) => {
        find(events, "draw-by-spend", 0).data.entrants = 9;
        find(events, "member-sara", 8).data.drawId = "ghost";
      }),
    ).toEqual([]);
  });

  it("events of other streams (a reward's claim) are not read", async () => {
    expect(
      await verify((events) => {
        const claim = structuredClone(find(events, "member-sara", 8));
        Object.assign(claim, { streamId: "reward-mug", revision: 0, type: "RewardClaimed" });
        claim.data = { rewardId: "mug", memberId: "sara", redemptionId: "r1" };
        events.push(claim);
      }),
    ).toEqual([]);
  });

  it("a log that cannot be read as draw events is a problem, not a crash", async () => {
    const v = await verifyDraw(
      clone(log).map((e) => (e.type === "DrawHeld" ? { ...e, data: { ...e.data, winners: undefined } } : e)),
      { drawId: "spring" },
    );
    expect(v.ok).toBe(false);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]?.loc).toEqual({ streamId: "draw-spring", revision: 0, eventId: null });
    // The TypeError's own message (V8's wording).
    expect(v.problems[0]?.message).toBe(
      "the log cannot be read as draw events: Cannot read properties of undefined (reading 'length')",
    );
  });
});

describe("club §3 draw-verify: recorded winners against the re-derived ones", () => {
  const winners = (events: Env[]) =>
    held(events).data.winners as { rank: number; memberId: string; tickets: number }[];

  it("a winner's ticket count changed", async () => {
    expect(
      await verify((events) => {
        (winners(events)[0] as { tickets: number }).tickets = 6;
      }),
    ).toEqual(["draw-spring@0 nina#1: rank 1: recorded nina (6 tickets), re-derived nina (5 tickets)"]);
  });

  it("a winner's rank changed: the DrawWon no longer matches it", async () => {
    expect(
      await verify((events) => {
        (winners(events)[1] as { rank: number }).rank = 3;
      }),
    ).toEqual([
      "draw-spring@0 sara#3: rank 2: recorded sara (2 tickets), re-derived sara (2 tickets)",
      "member-sara@6 sara#3: rank 3: sara's DrawWon says rank 2",
    ]);
  });

  it("a recorded winner's member changed (same tickets and rank)", async () => {
    expect(
      await verify((events) => {
        (winners(events)[1] as { memberId: string }).memberId = "reza";
      }),
    ).toEqual([
      "draw-spring@0 reza#2: rank 2: recorded reza (2 tickets), re-derived sara (2 tickets)",
      "draw-spring@0 reza#2: rank 2: reza has no DrawWon (run the draw again)",
      "member-sara@6 sara#2: sara has a DrawWon of spring but is not a recorded winner",
    ]);
  });

  it("a recorded winner more than the draw gives, without a DrawWon", async () => {
    expect(
      await verify((events) => {
        winners(events).push({ rank: 3, memberId: "ali", tickets: 3 });
      }),
    ).toEqual([
      "draw-spring@0 ali#3: rank 3: recorded ali (3 tickets), re-derived no winner",
      "draw-spring@0 ali#3: rank 3: ali has no DrawWon (run the draw again)",
    ]);
  });

  it("a recorded winner fewer: the left-out winner's DrawWon is of no recorded winner", async () => {
    expect(
      await verify((events) => {
        winners(events).pop();
      }),
    ).toEqual([
      "draw-spring@0 sara#2: rank 2: recorded no winner, re-derived sara (2 tickets)",
      "member-sara@6 sara#2: sara has a DrawWon of spring but is not a recorded winner",
    ]);
  });

  it("recorded tickets or entrants that do not re-derive", async () => {
    expect(
      await verify((events) => {
        held(events).data.entrants = 5;
      }),
    ).toEqual(["draw-spring@0: recorded 12 tickets of 5 entrants, re-derived 12 of 4"]);
    expect(
      await verify((events) => {
        held(events).data.tickets = 13;
      }),
    ).toEqual(["draw-spring@0: recorded 13 tickets of 4 entrants, re-derived 12 of 4"]);
  });
});

describe("club §3 draw-verify: tickets by net spend", () => {
  it("a larger refund in the entry window (re-chained) leaves fewer tickets by spend", async () => {
    expect(
      await verify(
        (events) => {
          find(events, "member-nina", 9).data.amount = "61";
          return rechain(events);
        },
        { drawId: "by-spend" },
      ),
    ).toEqual([
      "draw-by-spend@0 nina#2: rank 2: recorded nina (2 tickets), re-derived nina (1 tickets)",
      "draw-by-spend@0: recorded 3 tickets of 2 entrants, re-derived 2 of 2",
    ]);
  });
});

describe("club §3 draw-verify: each winner's DrawWon and prize, once", () => {
  it("a DrawWon twice names the second", async () => {
    expect(
      await verify((events) => {
        events.push({ ...structuredClone(find(events, "member-sara", 6)), revision: 12 });
      }),
    ).toEqual(["member-sara@12 sara#2: rank 2: sara has 2 DrawWon"]);
  });

  it("a prize without its DrawWon is no DrawWon", async () => {
    expect(
      await verify((events) => events.filter((e) => !(e.streamId === "member-sara" && e.revision === 6))),
    ).toEqual(["draw-spring@0 sara#2: rank 2: sara has no DrawWon (run the draw again)"]);
    // No DrawWon of the draw at all.
    expect(
      await verify((events) => events.filter((e) => !(e.type === "DrawWon" && e.data.drawId === "spring"))),
    ).toEqual([
      "draw-spring@0 nina#1: rank 1: nina has no DrawWon (run the draw again)",
      "draw-spring@0 sara#2: rank 2: sara has no DrawWon (run the draw again)",
    ]);
  });

  it("only a PointsEarned pays a prize", async () => {
    expect(
      await verify((events) => {
        find(events, "member-sara", 7).type = "PointsAdjusted";
      }),
    ).toEqual(["member-sara@6 sara#2: rank 2: sara got 0 prize points, the draw gives 100"]);
  });

  it("a prize paid in two lots adds up; a prize not paid, or paid for another reason, is 0", async () => {
    expect(
      await verify((events) => {
        find(events, "member-sara", 7).data.points = 60;
        events.push({ ...structuredClone(find(events, "member-sara", 7)), revision: 12 });
        find(events, "member-sara", 12).data.points = 40;
      }),
    ).toEqual([]);
    const unpaid = "member-sara@6 sara#2: rank 2: sara got 0 prize points, the draw gives 100";
    expect(
      await verify((events) => events.filter((e) => !(e.streamId === "member-sara" && e.revision === 7))),
    ).toEqual([unpaid]);
    expect(
      await verify((events) => {
        find(events, "member-sara", 7).data.reason = "purchase";
      }),
    ).toEqual([unpaid]);
  });
});

describe("club §3 draw-verify: the events a ticket count reads, against their hash chain", () => {
  it("a changed event that counts for no tickets is not reported, and the chain goes on from its hash", async () => {
    expect(
      await verify((events) => {
        find(events, "member-ali", 1).data.points = 51;
      }),
    ).toEqual([]);
  });

  it("a ticket event whose prevHash is not the event before it (an event removed)", async () => {
    expect(
      await verify((events) => events.filter((e) => !(e.streamId === "member-reza" && e.revision === 1))),
    ).toEqual([
      "member-reza@2 reza: member-reza revision 2: DrawEntered does not match its hash chain (changed after it was written)",
    ]);
  });

  it("a ticket event without a hash", async () => {
    expect(
      await verify((events) => {
        find(events, "member-reza", 2).metadata.hash = undefined as unknown as string;
      }),
    ).toEqual([
      "member-reza@2 reza: member-reza revision 2: DrawEntered does not match its hash chain (changed after it was written)",
    ]);
  });
  it("a ticket event that cannot be hashed (a value JSON cannot write) does not hold its chain", async () => {
    expect(
      await verify((events) => {
        find(events, "member-reza", 2).data.note = 1n;
      }),
    ).toEqual([
      "member-reza@2 reza: member-reza revision 2: DrawEntered does not match its hash chain (changed after it was written)",
    ]);
  });
});

describe("club §7 DRAW_MISMATCH in the audit (not strict: every draw, unknown programs skipped)", () => {
  it("a DrawWon of a draw that was never held", async () => {
    const events = clone(log);
    find(events, "member-sara", 8).data.drawId = "ghost";
    expect(draws(await audit(rechain(events)))).toEqual([
      "draw-by-spend: rank 1: sara has no DrawWon (run the draw again)",
      "member-sara: DrawWon of draw ghost, which has no DrawHeld",
    ]);
  });

  it("an entry of a draw its program does not have", async () => {
    const events = clone(log);
    entry(events, "ea1").data.drawId = "ghost";
    expect(draws(await audit(rechain(events)))).toContain(
      "member-ali: entry ea1 of ali: program draws-gbp version 1 has no draw ghost",
    );
  });

  it("without the program in the log or given, the draws are not checked", async () => {
    const events = clone(log).filter((e) => e.type !== "ProgramPublished");
    entry(events, "er3").data.tickets = 8;
    expect(draws(await audit(rechain(events)))).toEqual([]);
  });
});

describe("club §3 DrawBook.any: whether a log has anything about a draw", () => {
  const loc = { streamId: "member-m1", revision: 0, eventId: null };
  const ticketEvent = (type: string, data: Record<string, unknown>) =>
    ({ type, occurredAt: "2011-02-02T00:00:00.000Z", data }) as unknown as TicketEvent;

  it("no draw events: false, even with purchases and tier changes that count for tickets", () => {
    const book = new DrawBook();
    expect(book.any).toBe(false);
    book.memberEvent("member-m1", ticketEvent("PurchaseRecorded", { purchaseId: "p1", amount: "10" }), loc);
    book.memberEvent("member-m1", ticketEvent("PointsEarned", { reason: "purchase", points: 10 }), loc);
    expect(book.any).toBe(false);
  });

  it("a DrawHeld, a DrawWon or a DrawEntered alone: true", () => {
    const held = new DrawBook();
    held.drawHeld(
      {
        occurredAt: "2011-03-01T00:00:00.000Z",
        data: { drawId: "d", seed: "s", tickets: 0, entrants: 0, winners: [] },
        metadata: { programId: "p", programVersion: 1 },
      },
      loc,
    );
    expect(held.any).toBe(true);
    const won = new DrawBook();
    won.memberEvent("member-m1", ticketEvent("DrawWon", { drawId: "d", rank: 1 }), loc);
    expect(won.any).toBe(true);
    const entered = new DrawBook();
    entered.drawEntered(
      "member-m1",
      {
        data: { drawId: "d", entryId: "e1", tickets: 1, points: 10 },
        metadata: { programId: "p", programVersion: 1 },
      },
      loc,
    );
    expect(entered.any).toBe(true);
  });
});

describe("club §3 a program without draws (DrawBook)", () => {
  const loc = { streamId: "draw-d", revision: 0, eventId: null };
  const noDraws = program({ programId: "p" });

  it("an entry or a DrawHeld naming its version is of no draw", () => {
    const book = new DrawBook();
    book.drawEntered(
      "member-m1",
      {
        data: { drawId: "d", entryId: "e1", tickets: 1, points: 10 },
        metadata: { programId: "p", programVersion: 1 },
      },
      { ...loc, streamId: "member-m1" },
    );
    book.drawHeld(
      {
        occurredAt: "2011-03-01T00:00:00.000Z",
        data: { drawId: "d", seed: "s", tickets: 0, entrants: 0, winners: [] },
        metadata: { programId: "p", programVersion: 1 },
      },
      loc,
    );
    book.published(noDraws, "2011-01-01T00:00:00.000Z");
    expect(book.checkEntries(() => noDraws)).toEqual([
      {
        loc: { ...loc, streamId: "member-m1" },
        message: "entry e1 of m1: program p version 1 has no draw d",
      },
    ]);
    expect(book.check(() => noDraws, { strict: true })).toEqual([
      { loc, message: "program p version 1 has no draw d" },
    ]);
    // An unknown version: the entry is skipped, the draw reported only when strict.
    expect(book.checkEntries(() => undefined)).toEqual([]);
    expect(book.check(() => undefined, { strict: false })).toEqual([]);
  });
});
