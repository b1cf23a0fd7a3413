import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type DrawHeldData,
  decideAndSeal,
  drawOutcome,
  eventIdFor,
  foldMemberEvents,
  type Program,
  type ProposedEvent,
  sealEvent,
  ticketsAtEntryTo,
  toEnvelope,
} from "../index.js";

// Club spec §3 against the club golden vectors (fixtures/vectors/club-*, made by
// an independent implementation): the draw re-derived from the expected export,
// and every draw event (DrawEntered, DrawHeld, DrawWon, the prize lot) decided
// again from the events before it, byte for byte. The rest of those vectors
// (rewards, coupons, profiles) belongs to other sections.

const root = join(import.meta.dirname, "../../../../fixtures/vectors");
const ndjson = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
const strip = (e: unknown) =>
  JSON.stringify({ ...(toEnvelope(e as ProposedEvent as never) as object), recordedAt: "-" });

describe.each(["club-gregorian", "club-jalali"])("club vector %s: draws", (name) => {
  const dir = join(root, name);
  const full = JSON.parse(readFileSync(join(dir, "program.json"), "utf8"));
  // Only the keys of ledger-v1 and draws: rewards, messages and privacy are other sections.
  const { rewards: _r, messages: _m, privacy: _p, ...program } = full as Program & Record<string, unknown>;
  const events = ndjson(join(dir, "expected-events.ndjson")) as ProposedEvent[];
  const commands = ndjson(join(dir, "commands.ndjson"));
  const firstTier = program.tiers.levels[0]?.id as string;
  const draw = program.draws?.[0];
  const byStream = new Map<string, ProposedEvent[]>();
  for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
  const held = events.find((e) => e.type === "DrawHeld") as ProposedEvent<"DrawHeld">;

  it("re-derives DrawHeld (tickets at entryTo, seeded winners) and its hash", () => {
    if (!draw) throw new Error("the vector has a draw");
    const entrants = [...byStream]
      .filter(([id]) => id.startsWith("member-"))
      .map(([id, list]) => ({ memberId: id.slice(7), tickets: ticketsAtEntryTo(draw, firstTier, list) }));
    const data = drawOutcome(draw, held.data.seed, held.data.beacon, entrants);
    expect(data).toEqual(held.data);
    const sealed = sealEvent(
      {
        streamId: held.streamId,
        revision: 0,
        lastHash: null,
        programId: program.programId,
        programVersion: program.version,
        commandId: "draw:spring",
        correlationId: "draw:spring",
      },
      eventIdFor(held.streamId, "draw:spring", 0),
      "DrawHeld",
      held.occurredAt,
      data as DrawHeldData,
    );
    expect(strip(sealed)).toEqual(strip(held));
  });

  it("decides every DrawEntered and each winner's events again, byte for byte", () => {
    const ctx = { program: program as Program };
    let checked = 0;
    for (const [streamId, list] of byStream) {
      if (!streamId.startsWith("member-")) continue;
      const commandIds = new Set(
        list
          .map((e) => e.metadata.commandId)
          .filter((c) => c.startsWith("enter-draw:") || c.startsWith("draw:")),
      );
      for (const commandId of commandIds) {
        const first = list.findIndex((e) => e.metadata.commandId === commandId);
        const expected = list.filter((e) => e.metadata.commandId === commandId);
        // Birth dates are sealed personal data (§6) in these vectors: no birthday falls due at these commands.
        const before = list
          .slice(0, first)
          .map((e) =>
            e.type === "MemberJoined" ? { ...e, data: { ...e.data, birthDate: undefined } } : e,
          ) as ProposedEvent[];
        const state = foldMemberEvents(streamId, firstTier, before);
        const input = commandId.startsWith("draw:")
          ? {
              type: "draw-win" as const,
              drawId: held.data.drawId,
              rank: held.data.winners.find((w) => `member-${w.memberId}` === streamId)?.rank as number,
              at: Date.parse(held.occurredAt),
              prizePoints:
                draw?.prizePoints?.[
                  (held.data.winners.find((w) => `member-${w.memberId}` === streamId)?.rank as number) - 1
                ] ?? 0,
            }
          : commands.find((c) => c.type === "enter-draw" && `enter-draw:${c.entryId}` === commandId);
        const decision = decideAndSeal(input, state, ctx);
        expect(decision.ok && decision.events.map(strip)).toEqual(expected.map(strip));
        checked += expected.length;
      }
    }
    expect(checked).toBe(5);
  });
});
