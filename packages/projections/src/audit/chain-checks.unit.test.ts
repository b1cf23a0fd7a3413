import { eventIdFor, genesisHash, hashEvent } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bestEffortMetadata,
  type ChainTail,
  checkEventId,
  checkHash,
  checkRevision,
  isDerivedEventId,
  kindOfType,
} from "./chain-checks.js";
import { Findings } from "./findings.js";

// Spec 2 envelope chain, checked per stream by the audit (spec 7 REVISION_GAP, HASH_MISMATCH, SCHEMA).

const STREAM = "member-a";
const tail = (): ChainTail => ({ nextRevision: 0, lastHash: undefined, commandCounts: new Map() });
const show = (f: Findings): string[] =>
  f.list.map((x) => `${x.code} ${x.streamId}@${x.revision}: ${x.message}`);
const locAt = (revision: number | null, eventId: string | null = null) => ({
  streamId: STREAM,
  revision,
  eventId,
});

describe("2 checkRevision", () => {
  it("revisions count up from 0; a gap is reported and the count goes on from the revision seen", () => {
    const f = new Findings();
    const s = tail();
    for (const r of [0, 1, 3, 4, 4, 2]) checkRevision(f, s, r, locAt(r));
    expect(show(f)).toEqual([
      "REVISION_GAP member-a@3: revision 3 where 2 comes next",
      "REVISION_GAP member-a@4: revision 4 where 5 comes next",
      "REVISION_GAP member-a@2: revision 2 where 5 comes next",
    ]);
    expect(s.nextRevision).toBe(3);
  });

  it("a revision that is no integer is left to the SCHEMA check and does not move the count", () => {
    const f = new Findings();
    const s = tail();
    for (const r of ["0", 0.5, null, Number.NaN]) checkRevision(f, s, r, locAt(null));
    expect(show(f)).toEqual([]);
    expect(s.nextRevision).toBe(0);
  });
});

describe("2 checkHash", () => {
  const body = (revision: number, data: unknown = { n: revision }) => ({
    streamId: STREAM,
    revision,
    eventId: `e-${revision}`,
    type: "FeedbackGiven",
    occurredAt: "2011-01-01T00:00:00.000Z",
    data,
  });
  /** A chain of events with right hashes; `change` edits one before the audit sees it. */
  const chain = (n: number): { raw: Record<string, unknown>; meta: Record<string, unknown> }[] => {
    let prev = genesisHash(STREAM);
    const out = [];
    for (let r = 0; r < n; r++) {
      const b = body(r);
      const hash = hashEvent(prev, b);
      out.push({ raw: b as unknown as Record<string, unknown>, meta: { prevHash: prev, hash } });
      prev = hash;
    }
    return out;
  };
  const run = (events: { raw: Record<string, unknown>; meta: Record<string, unknown> }[]) => {
    const f = new Findings();
    const s = tail();
    for (const e of events) checkHash(f, s, e.raw, e.meta, locAt(e.raw.revision as number));
    return { findings: show(f), s };
  };

  it("a clean chain has no finding and keeps the last hash", () => {
    const events = chain(3);
    const { findings, s } = run(events);
    expect(findings).toEqual([]);
    expect(s.lastHash).toBe(events[2]?.meta.hash);
  });

  it("the first prevHash must be the stream's genesis hash, later ones the previous hash", () => {
    const events = chain(3);
    const wrong = "0".repeat(64);
    (events[0] as { meta: Record<string, unknown> }).meta = {
      prevHash: wrong,
      hash: hashEvent(wrong, body(0)),
    };
    const e2 = events[2] as { meta: Record<string, unknown> };
    e2.meta = { prevHash: wrong, hash: hashEvent(wrong, body(2)) };
    expect(run(events).findings).toEqual([
      "HASH_MISMATCH member-a@0: prevHash is not the stream's genesis hash",
      // Event 1 links to the genesis hash, not to event 0's recorded hash.
      "HASH_MISMATCH member-a@1: prevHash is not the previous event's hash",
      "HASH_MISMATCH member-a@2: prevHash is not the previous event's hash",
    ]);
  });

  it("a changed body fails its own hash, and both problems are joined", () => {
    const events = chain(2);
    (events[1]?.raw as { data: unknown }).data = { n: 99 };
    expect(run(events).findings).toEqual([
      "HASH_MISMATCH member-a@1: hash does not match the event's content",
    ]);
    const both = chain(2);
    (both[1] as { meta: Record<string, unknown> }).meta.prevHash = "f".repeat(64);
    expect(run(both).findings).toEqual([
      "HASH_MISMATCH member-a@1: hash does not match the event's content; prevHash is not the previous event's hash",
    ]);
  });

  it("a missing prevHash or hash cannot be verified; with no hash, the next event's link is not checked", () => {
    const cases: [Record<string, unknown>, string[]][] = [
      // A recorded hash with no prevHash still is the link the next event must name.
      [{ hash: "1".repeat(64) }, ["HASH_MISMATCH member-a@1: prevHash is not the previous event's hash"]],
      [{ prevHash: genesisHash(STREAM) }, []],
      [{ prevHash: 5, hash: 6 }, []],
    ];
    for (const [meta, next] of cases) {
      const events = chain(2);
      (events[0] as { meta: Record<string, unknown> }).meta = meta;
      expect(run(events).findings).toEqual([
        "HASH_MISMATCH member-a@0: the event has no prevHash and hash to verify",
        ...next,
      ]);
    }
    const events = chain(2);
    (events[0] as { meta: Record<string, unknown> }).meta = { hash: "1".repeat(64) };
    (events[1] as { meta: Record<string, unknown> }).meta = {
      prevHash: "1".repeat(64),
      hash: hashEvent("1".repeat(64), body(1)),
    };
    const { findings, s } = run(events);
    expect(findings).toEqual(["HASH_MISMATCH member-a@0: the event has no prevHash and hash to verify"]);
    expect(s.lastHash).toBe(hashEvent("1".repeat(64), body(1)));
    const noHash = run([{ raw: body(0) as unknown as Record<string, unknown>, meta: {} }]).s;
    expect(noHash.lastHash).toBeNull();
  });

  it("a body with no canonical JSON cannot be hashed", () => {
    const events = chain(1);
    (events[0]?.raw as { data: unknown }).data = { n: Number.POSITIVE_INFINITY };
    expect(run(events).findings).toEqual(["HASH_MISMATCH member-a@0: the event body cannot be hashed"]);
    const wrongPrev = chain(1);
    (wrongPrev[0]?.raw as { data: unknown }).data = { n: "\ud800" };
    (wrongPrev[0] as { meta: Record<string, unknown> }).meta.prevHash = "0".repeat(64);
    expect(run(wrongPrev).findings).toEqual([
      "HASH_MISMATCH member-a@0: the event body cannot be hashed; prevHash is not the stream's genesis hash",
    ]);
  });
});

describe("2 checkEventId", () => {
  it("re-derives streamId|commandId|index, counting events per command; a stray id is returned", () => {
    const f = new Findings();
    const s = tail();
    const ok0 = eventIdFor(STREAM, "join:a", 0);
    const ok1 = eventIdFor(STREAM, "join:a", 1);
    expect(checkEventId(f, s, "join:a", locAt(0, ok0))).toBeNull();
    expect(checkEventId(f, s, "purchase:p", locAt(1, null))).toBeNull();
    expect(checkEventId(f, s, "join:a", locAt(2, ok1))).toBeNull();
    expect(checkEventId(f, s, "purchase:p", locAt(3, "stray"))).toBe("stray");
    expect(show(f)).toEqual([
      `SCHEMA member-a@3: eventId does not re-derive from member-a|purchase:p|1 (${eventIdFor(STREAM, "purchase:p", 1)})`,
    ]);
    expect([...s.commandCounts]).toEqual([
      ["join:a", 2],
      ["purchase:p", 2],
    ]);
  });
});

describe("2 bestEffortMetadata", () => {
  it("keeps fields of the right type; others become NaN or empty", () => {
    const good = {
      schemaVersion: 1,
      programId: "p",
      programVersion: 2,
      commandId: "c",
      correlationId: "k",
      prevHash: "a",
      hash: "b",
    };
    expect(bestEffortMetadata({ ...good, actor: "x" })).toEqual(good);
    expect(
      bestEffortMetadata({
        schemaVersion: "1",
        programId: 1,
        programVersion: "2",
        commandId: 3,
        correlationId: null,
        prevHash: 4,
        hash: 5,
      }),
    ).toEqual({
      schemaVersion: Number.NaN,
      programId: "",
      programVersion: Number.NaN,
      commandId: "",
      correlationId: "",
      prevHash: "",
      hash: "",
    });
  });
});

describe("2 kindOfType", () => {
  it("names the stream kind each event type belongs in", () => {
    expect(kindOfType("ProgramPublished")).toBe("program");
    expect(kindOfType("RewardClaimed")).toBe("reward");
    expect(kindOfType("RewardReleased")).toBe("reward");
    expect(kindOfType("DrawHeld")).toBe("draw");
    expect(kindOfType("PointsEarned")).toBe("member");
    expect(kindOfType("DrawEntered")).toBe("member");
  });
});

describe("spec 2 eventIds re-derived without their text", () => {
  it("2 isDerivedEventId says what comparing with eventIdFor says", () => {
    const name = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: "binary", maxLength: 8 }),
      fc.string({ minLength: 1400, maxLength: 1500 }),
    );
    fc.assert(
      fc.property(
        name,
        name,
        fc.nat(1000),
        fc.nat(35),
        fc.constantFrom("0", "f", "-", "A"),
        (streamId, commandId, index, at, c) => {
          const id = eventIdFor(streamId, commandId, index);
          expect(isDerivedEventId(id, streamId, commandId, index)).toBe(true);
          const edited = `${id.slice(0, at)}${c}${id.slice(at + 1)}`;
          expect(isDerivedEventId(edited, streamId, commandId, index)).toBe(edited === id);
          expect(isDerivedEventId(id.toUpperCase(), streamId, commandId, index)).toBe(
            id.toUpperCase() === id,
          );
          expect(isDerivedEventId(`${id}0`, streamId, commandId, index)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
