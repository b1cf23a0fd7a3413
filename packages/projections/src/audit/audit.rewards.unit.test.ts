import { DAY_MS, type Program, type ProposedEvent } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { clubProgram } from "../testing/club-program.js";
import { type EventLocation, Findings } from "./findings.js";
import { ProgramBook } from "./programs.js";
import { checkStockAcrossStreams, type RedemptionFact, RewardAudit } from "./reward-audit.js";

// club-v1 §2 reward streams and the §7/§9 stock rules (STOCK_OVERDRAWN,
// ORPHAN_CLAIM, SCHEMA), and the program versions the audit knows (spec 7),
// checked on the classes themselves: each finding exact, each boundary both sides.

const program = clubProgram([
  { id: "mug", cost: 100, stock: 2 },
  { id: "pen", cost: 10 },
]);
const T0 = Date.parse("2011-01-02T10:00:00.000Z");
const loc = (revision: number, streamId = "reward-mug"): EventLocation => ({
  streamId,
  revision,
  eventId: `e${revision}`,
});
const event = (
  type: "RewardClaimed" | "RewardReleased",
  data: Record<string, string>,
  version = 1,
  occurredAt = "2011-01-02T10:00:00.000Z",
): ProposedEvent =>
  ({
    type,
    occurredAt,
    data,
    metadata: { programId: "club", programVersion: version },
  }) as unknown as ProposedEvent;
const claim = (memberId: string, redemptionId = "r1", rewardId = "mug", version = 1) =>
  event("RewardClaimed", { rewardId, memberId, redemptionId }, version);
const release = (memberId: string, reason = "reversed", redemptionId = "r1") =>
  event("RewardReleased", { rewardId: "mug", memberId, redemptionId, reason });
const full = (f: Findings) => f.list.map((x) => `${x.code} ${x.streamId}@${x.revision}: ${x.message}`);
const setup = (programs: Program[] = [program], rewardId = "mug") => {
  const findings = new Findings();
  const book = new ProgramBook(programs);
  return { findings, book, audit: new RewardAudit(rewardId, findings, book) };
};

describe("club-v1 §2 a reward stream replayed in revision order (RewardAudit)", () => {
  it("claims up to the stock are fine; the claim above it is STOCK_OVERDRAWN", () => {
    const { findings, audit } = setup();
    audit.apply(claim("m1"), loc(0));
    audit.apply(claim("m2"), loc(1));
    expect(full(findings)).toEqual([]);
    audit.apply(claim("m3"), loc(2));
    expect(full(findings)).toEqual(["STOCK_OVERDRAWN reward-mug@2: 3 claims held of reward mug, stock 2"]);
    expect([...audit.held.keys()]).toEqual(["m1/r1", "m2/r1", "m3/r1"]);
    expect(audit.held.get("m2/r1")).toEqual({ at: T0, loc: loc(1) });
  });

  it("a release frees stock and is kept with its reason; a release of a claim not held is SCHEMA", () => {
    const { findings, audit } = setup();
    audit.apply(claim("m1"), loc(0));
    audit.apply(claim("m2"), loc(1));
    audit.apply(release("m1", "orphaned"), loc(2));
    audit.apply(claim("m3"), loc(3));
    expect(full(findings)).toEqual([]);
    expect(audit.releases).toEqual([{ key: "m1/r1", reason: "orphaned", loc: loc(2) }]);
    audit.apply(release("m1"), loc(4));
    expect(full(findings)).toEqual(["SCHEMA reward-mug@4: release of claim m1/r1, which is not held"]);
    expect(audit.releases).toHaveLength(1);
    expect([...audit.claimed]).toEqual(["m1/r1", "m2/r1", "m3/r1"]);
  });

  it("a repeated claim is SCHEMA and is held once", () => {
    const { findings, audit } = setup();
    audit.apply(claim("m1"), loc(0));
    audit.apply(claim("m1"), loc(1));
    audit.apply(claim("m2"), loc(2));
    expect(full(findings)).toEqual(["SCHEMA reward-mug@1: claim m1/r1 repeats in the stream"]);
    expect(audit.held.size).toBe(2);
  });

  it("an event of another reward in the stream is SCHEMA (and still counted)", () => {
    const { findings, audit } = setup();
    audit.apply(claim("m1", "r1", "pen"), loc(0));
    expect(full(findings)).toEqual(["SCHEMA reward-mug@0: rewardId pen in the stream of reward mug"]);
    expect(audit.claimed.has("m1/r1")).toBe(true);
  });

  it("a claim of a reward the program does not list is not stock-checked", () => {
    const { findings, audit } = setup([program], "cup");
    audit.apply(claim("m1", "r1", "cup"), loc(0, "reward-cup"));
    expect(full(findings)).toEqual([]);
  });

  it("a reward without stock is never overdrawn", () => {
    const { findings, audit } = setup([program], "pen");
    for (const m of ["m1", "m2", "m3", "m4"]) audit.apply(claim(m, "r1", "pen"), loc(0, "reward-pen"));
    expect(full(findings)).toEqual([]);
  });

  it("a claim under an unknown program version is checked once the version is known, with the count it had", () => {
    const { findings, audit, book } = setup([]);
    audit.apply(claim("m1", "r1", "mug", 2), loc(0));
    audit.apply(claim("m2", "r1", "mug", 2), loc(1));
    audit.apply(claim("m3", "r1", "mug", 2), loc(2));
    audit.apply(release("m3"), loc(3));
    expect(full(findings)).toEqual([]);
    book.publish({ ...program, version: 2 });
    book.finish(findings);
    expect(full(findings)).toEqual(["STOCK_OVERDRAWN reward-mug@2: 3 claims held of reward mug, stock 2"]);
  });
});

describe("club-v1 §2 and §9 stock across streams (checkStockAcrossStreams)", () => {
  const fact = (rewardId: string, reversedAt?: number, version = 1): RedemptionFact => ({
    rewardId,
    reversedAt,
    programId: "club",
    programVersion: version,
    loc: loc(5, "member-m1"),
  });
  const run = (
    rewards: RewardAudit[],
    redemptions: [string, RedemptionFact][],
    latestAt: number,
    findings = new Findings(),
  ) => {
    checkStockAcrossStreams(
      new Map(rewards.map((r) => [r.rewardId, r])),
      new Map(redemptions),
      latestAt,
      new ProgramBook([program]),
      findings,
    );
    return full(findings);
  };

  it("a stocked redemption needs a claim; an unstocked one or one of an unknown version does not", () => {
    const { audit } = setup();
    audit.apply(claim("m2"), loc(0));
    expect(
      run(
        [audit],
        [
          ["m1/r1", fact("mug")],
          ["m2/r1", fact("mug")],
          ["m1/r2", fact("pen")],
          ["m1/r3", fact("mug", undefined, 9)],
          ["m1/r4", fact("cup")],
        ],
        T0,
      ),
    ).toEqual(["STOCK_OVERDRAWN member-m1@5: redemption m1/r1 of stocked reward mug has no claim"]);
    expect(run([], [["m1/r1", fact("mug")]], T0)).toEqual([
      "STOCK_OVERDRAWN member-m1@5: redemption m1/r1 of stocked reward mug has no claim",
    ]);
  });

  it("a release while its redemption stands is STOCK_OVERDRAWN; after a reversal or without a redemption it is not", () => {
    const { audit } = setup();
    for (const m of ["m1", "m2", "m3"]) audit.apply(claim(m), loc(0));
    audit.apply(release("m1"), loc(1));
    audit.apply(release("m2"), loc(2));
    audit.apply(release("m3", "orphaned"), loc(3));
    expect(
      run(
        [audit],
        [
          ["m1/r1", fact("mug")],
          ["m2/r1", fact("mug", T0)],
        ],
        T0,
      ),
    ).toEqual(["STOCK_OVERDRAWN reward-mug@1: claim m1/r1 released (reversed) while its redemption stands"]);
  });

  it("a claim without redemption is an ORPHAN_CLAIM after more than a day, not at exactly a day", () => {
    const { audit } = setup();
    audit.apply(claim("m1"), loc(0));
    expect(run([audit], [], T0 + DAY_MS)).toEqual([]);
    expect(run([audit], [], T0 + DAY_MS + 1)).toEqual([
      "ORPHAN_CLAIM reward-mug@0: claim m1/r1 has no redemption and no release after more than a day",
    ]);
    // With a standing redemption it is no orphan, however old.
    expect(run([audit], [["m1/r1", fact("mug")]], T0 + 10 * DAY_MS)).toEqual([]);
  });

  it("a claim still held more than a day after its redemption was reversed is an ORPHAN_CLAIM", () => {
    const { audit } = setup();
    audit.apply(claim("m1"), loc(0));
    const reversed: [string, RedemptionFact] = ["m1/r1", fact("mug", T0 + DAY_MS)];
    expect(run([audit], [reversed], T0 + 2 * DAY_MS)).toEqual([]);
    expect(run([audit], [reversed], T0 + 2 * DAY_MS + 1)).toEqual([
      "ORPHAN_CLAIM reward-mug@0: claim m1/r1 is still held more than a day after its redemption was reversed",
    ]);
  });
});

describe("spec 7 the program versions the audit knows (ProgramBook)", () => {
  const v1 = { ...program, earn: { ...program.earn, campaigns: undefined } } as Program;

  it("a given version wins over the published one of the same content; a different one is refused", () => {
    const book = new ProgramBook([v1]);
    const published = structuredClone({ ...v1, earn: { ...v1.earn, campaigns: [] } });
    // A missing `campaigns` equals [] (spec 3 default).
    expect(book.publish(published)).toBe(true);
    expect(book.get("club", 1)).toBe(v1);
    expect(book.publish({ ...v1, redemption: { ...v1.redemption, minPoints: 2 } })).toBe(false);
    expect(book.publish({ ...v1, earn: { ...v1.earn, pointsPerUnit: "2" } })).toBe(false);
    expect(book.get("club", 1)).toBe(v1);
    expect(book.get("club", 2)).toBeUndefined();
    expect(book.get("other", 1)).toBeUndefined();
  });

  it("a version only published is known from then on", () => {
    const book = new ProgramBook([]);
    expect(book.get("club", 1)).toBeUndefined();
    expect(book.publish(program)).toBe(true);
    expect(book.get("club", 1)).toBe(program);
    expect(book.publish({ ...program, version: 2 })).toBe(true);
    expect(book.get("club", 2)?.version).toBe(2);
  });

  it("a check runs at once when its version is known, else once at finish; never for a version still unknown", () => {
    const book = new ProgramBook([program]);
    const ran: string[] = [];
    book.withProgram("club", 1, loc(0), (p) => ran.push(`now v${p.version}`));
    book.withProgram("club", 2, loc(1), (p) => ran.push(`late v${p.version}`));
    book.withProgram("club", 3, loc(2), (p) => ran.push(`never v${p.version}`));
    expect(ran).toEqual(["now v1"]);
    book.publish({ ...program, version: 2 });
    expect(ran).toEqual(["now v1"]);
    expect(book.finishDeferred()).toEqual([]);
    expect(ran).toEqual(["now v1", "late v2"]);
    book.publish({ ...program, version: 3 });
    expect(book.finishDeferred()).toEqual([]);
    expect(ran).toEqual(["now v1", "late v2"]);
  });

  it("a referenced version that is unknown while its program is published is SCHEMA, once, where first named", () => {
    let now = 10;
    const book = new ProgramBook([], () => now++);
    book.reference("club", 1, loc(0, "member-m1"));
    book.reference("club", 7, loc(1, "member-m1"));
    book.reference("club", 7, loc(2, "member-m2"));
    book.reference("gone", 1, loc(3, "member-m2"));
    book.publish(program);
    expect(book.finishDeferred()).toEqual([
      { programId: "club", version: 7, loc: loc(1, "member-m1"), at: 11 },
    ]);
    const findings = new Findings();
    book.finish(findings);
    expect(full(findings)).toEqual([
      "SCHEMA member-m1@1: metadata names program club version 7, which the log never published",
    ]);
  });

  it("without a clock a reference is at 0", () => {
    const book = new ProgramBook([]);
    book.reference("club", 2, loc(0));
    book.publish(program);
    expect(book.finishDeferred()).toEqual([{ programId: "club", version: 2, loc: loc(0), at: 0 }]);
  });
});
