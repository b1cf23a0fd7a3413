import { describe, expect, it } from "vitest";
import { type Env, loadExport, toLines } from "../testing/audit-export.js";
import { loadFixtureEvents } from "../testing/audit-rows.js";
import { Auditor } from "./audit.js";

// The checks that span streams (club-v1 §2 stock, §3 draws, §6 sealed values):
// whether a log has them decides if a parallel audit re-reads it in one thread.

const club = loadFixtureEvents("vectors/club-gregorian");
const rewards = loadFixtureEvents("club-vectors/rewards-gregorian");
const draws = loadFixtureEvents("club-vectors/draws-gregorian");

const spans = (events: Env[], extra: unknown[] = []): boolean => {
  const auditor = new Auditor();
  for (const l of toLines(events)) auditor.push(l);
  for (const item of extra) auditor.push(item as Parameters<Auditor["push"]>[0]);
  return auditor.spansStreams();
};
const only = (events: Env[], keep: (streamId: string) => boolean): Env[] =>
  events.filter((e) => keep(e.streamId));
const isProgram = (id: string) => id.startsWith("program-");

describe("club-v1 §2, §3, §6 checks that span streams", () => {
  it("a log of points alone has none, nor a redemption of a reward its program does not stock", () => {
    const greg = loadExport("gregorian");
    const noReward = (id: string) => id !== "member-ava" && id !== "member-dan";
    expect(greg.filter((e) => !noReward(e.streamId)).some((e) => e.data.rewardId !== undefined)).toBe(true);
    expect(spans(only(greg, noReward))).toBe(false);
    expect(spans(greg)).toBe(false);
  });

  it("§2 a reward stream alone has them (stock)", () => {
    expect(spans(only(rewards, (id) => id.startsWith("reward-") || isProgram(id)))).toBe(true);
  });

  it("§2 member streams with reward redemptions alone have them (stock)", () => {
    expect(spans(only(rewards, (id) => id.startsWith("member-") || isProgram(id)))).toBe(true);
  });

  it("§3 member streams with draw entries alone have them (the draw book)", () => {
    expect(spans(only(draws, (id) => id.startsWith("member-") || isProgram(id)))).toBe(true);
  });

  it("§3 a draw stream has them even when its event is no DrawHeld the book takes", () => {
    expect(spans([], [{ streamId: "draw-x" }])).toBe(true);
    expect(spans([], [{ streamId: "guest-x" }, { streamId: "member-x" }, { streamId: "program-x" }])).toBe(
      false,
    );
  });

  it("§6 a member stream with sealed personal values has them (birthdaysUnchecked is counted in one thread)", () => {
    const reza = only(club, (id) => id === "member-reza" || isProgram(id));
    expect(reza.some((e) => e.type === "ProfileUpdated")).toBe(true);
    expect(spans(reza)).toBe(true);
  });
});
