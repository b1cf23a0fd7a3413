import { describe, expect, it } from "vitest";
import { clone, type Env, find, loadExport, normalize, rechain, toLines } from "../testing/audit-export.js";
import { full, loadFixtureEvents } from "../testing/audit-rows.js";
import { Auditor, auditEvents } from "./audit.js";
import type { AuditInput } from "./types.js";

// The audit loop (audit.ts) on damaged inputs: exact findings (code,
// stream@revision, message) for the cases the damaged-input tables leave open.

const greg = loadExport("gregorian");
const draws = loadFixtureEvents("club-vectors/draws-gregorian");
const rewards = loadFixtureEvents("club-vectors/rewards-gregorian");

const run = async (events: Env[]): Promise<string[]> => full(await auditEvents(toLines(events)));
const streams = (events: Env[], keep: (streamId: string) => boolean) =>
  clone(events).filter((e) => keep(e.streamId));
const STRAY = "00000000-0000-4000-8000-000000000000";

describe("7 input framing", () => {
  it("8 a BOM is dropped on line 1 only", async () => {
    const ben = streams(greg, (id) => id === "member-ben").slice(0, 2);
    const lines = toLines(ben).map((l) => ({ ...l, text: `\uFEFF${l.text}` }));
    expect(full(await auditEvents(lines))).toEqual([
      expect.stringMatching(/^SCHEMA -@-: line 2 is not JSON \(.+\)$/),
    ]);
  });

  it("7 an item that is no object is no envelope, whatever properties it has", async () => {
    const fn = (props: Record<string, unknown>) =>
      Object.assign(() => undefined, props) as unknown as AuditInput;
    const report = await auditEvents([
      fn({ streamId: "member-a", eventId: STRAY }),
      fn({ text: "{}", line: 1 }),
    ]);
    expect(full(report)).toEqual(
      Array(2).fill("SCHEMA -@-: an input item is not an event envelope (no streamId)"),
    );
    expect(report.events).toBe(0);
  });
});

describe("7 TIME_REVERSED", () => {
  it("7 the first event of a stream is never reversed, even before 1970", async () => {
    const join = streams(greg, (id) => id === "member-ben").slice(0, 1);
    (join[0] as Env).occurredAt = "1969-12-31T23:59:59.000Z";
    expect(await run(rechain(join))).toEqual([]);
  });

  it("club-v1 §3 a draw stream has no time order (a second DrawHeld earlier than the first)", async () => {
    const events = clone(draws);
    const held = find(events, "draw-spring", 0);
    const again = { ...structuredClone(held), revision: 1, occurredAt: "2011-02-28T00:00:00.000Z" };
    events.splice(events.indexOf(held) + 1, 0, again);
    expect(await run(rechain(events))).toEqual([
      "SCHEMA draw-spring@1: eventId does not re-derive from draw-spring|draw:spring|1 (1e09272a-a9a4-56ce-aa4d-8380f59d8939)",
      "DRAW_MISMATCH draw-spring@1: draw spring was held at 2011-02-28T00:00:00.000Z, before entryTo 2011-03-01T00:00:00Z",
    ]);
  });
});

describe("club-v1 §9 ORPHAN_CLAIM", () => {
  it("a claim's age is measured against the latest occurredAt of the log, not the last one read", async () => {
    // ali's redemption ra4 is gone: the lamp claim of 2011-05-02 has none. The log's latest
    // event is 2011-05-04; it is read before sara's stream, which ends on 2011-05-01.
    const events = clone(rewards).filter((e) => !(e.streamId === "member-ali" && e.revision === 11));
    const rank = (id: string) =>
      id.startsWith("reward-") ? 0 : id.startsWith("program-") ? 1 : id === "member-sara" ? 3 : 2;
    const ordered = events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => rank(a.e.streamId) - rank(b.e.streamId) || a.i - b.i);
    expect(ordered.at(-1)?.e.occurredAt).toBe("2011-05-01T13:00:00.000Z");
    expect(await run(ordered.map(({ e }) => e))).toEqual([
      "ORPHAN_CLAIM reward-lamp@0: claim ali/ra4 has no redemption and no release after more than a day",
    ]);
  });
});

describe("7 program versions named by reward and draw events", () => {
  const renamed = (events: Env[], streamId: string, metadata: Record<string, unknown>) => {
    const copy = clone(events);
    Object.assign(find(copy, streamId, 0).metadata, metadata);
    return rechain(copy);
  };

  it("club-v1 §2 a claim naming a version the log never published", async () => {
    expect(await run(renamed(rewards, "reward-lamp", { programVersion: 9 }))).toEqual([
      "SCHEMA reward-lamp@0: metadata names program rewards-gbp version 9, which the log never published",
    ]);
  });

  it("club-v1 §3 a DrawHeld naming a version the log never published", async () => {
    expect(await run(renamed(draws, "draw-spring", { programVersion: 9 }))).toEqual([
      "SCHEMA draw-spring@0: metadata names program draws-gbp version 9, which the log never published",
    ]);
  });

  it("7 bad metadata names no version: only the metadata is reported", async () => {
    const bad = { programVersion: 9, schemaVersion: 2 };
    expect(await run(renamed(rewards, "reward-lamp", bad))).toEqual([
      "SCHEMA reward-lamp@0: metadata.schemaVersion: must be 1",
    ]);
    expect(await run(renamed(draws, "draw-spring", bad))).toEqual([
      "SCHEMA draw-spring@0: metadata.schemaVersion: must be 1",
    ]);
  });

  it("club-v1 §3 a draw whose program is neither in the log nor given is not checked", async () => {
    expect(await run(streams(draws, (id) => !id.startsWith("program-")))).toEqual([]);
  });
});

describe("7 ProgramPublished", () => {
  const program = greg.find((e) => e.type === "ProgramPublished") as Env;
  const programId = program.data.program.programId as string;

  it("7 in a stream of no known kind, with another publish command: only the stream is named", async () => {
    const e = { ...structuredClone(program), streamId: "guest-x" };
    e.metadata.commandId = "publish:other:1";
    e.metadata.correlationId = "publish:other:1";
    expect(await run(normalize([e]))).toEqual([
      "SCHEMA guest-x@0: stream guest-x is neither member-<memberId>, program-<programId>, reward-<rewardId> nor draw-<drawId>",
    ]);
  });

  it("7 all problems of a publication in one finding", async () => {
    const e = { ...structuredClone(program), streamId: "program-other" };
    e.metadata.programVersion = 2;
    expect(await run(normalize([e]))).toEqual([
      `SCHEMA program-other@0: program ${programId} published in program-other; metadata names ${programId} v2`,
    ]);
  });
});

describe("2 eventIds that do not re-derive", () => {
  /** ben@3 and ava@2 carry the same stray eventId; ben@3's revision is no number. */
  const strays = (): Env[] => {
    const events = streams(greg, (id) => id === "member-ben" || id === "member-ava");
    find(events, "member-ava", 2).eventId = STRAY;
    const ben = find(events, "member-ben", 3);
    ben.eventId = STRAY;
    (ben as { revision: unknown }).revision = "3";
    // member-ava comes first in the export: put ben first, so his is the first stray.
    return rechain([
      ...events.filter((e) => e.streamId === "member-ben"),
      ...events.filter((e) => e.streamId !== "member-ben"),
    ]);
  };

  it("2 a stray eventId again in the log names where it was first seen", async () => {
    const findings = await run(strays());
    expect(findings.filter((f) => f.includes("repeats"))).toEqual([
      "SCHEMA member-ava@2: eventId repeats in the log (first at member-ben@?)",
    ]);
  });

  it("2 a shard of the parallel audit hands every stray eventId to its hooks and reports no repeat itself", () => {
    const seen: string[] = [];
    const auditor = new Auditor(
      {},
      { clock: () => 0, strayEventId: (id, where) => seen.push(`${id} ${where}`) },
    );
    for (const l of toLines(strays())) auditor.push(l);
    expect(seen).toEqual([`${STRAY} member-ben@?`, `${STRAY} member-ava@2`]);
    expect(auditor.progress().findings.filter((f) => f.message.includes("repeats"))).toEqual([]);
  });
});
