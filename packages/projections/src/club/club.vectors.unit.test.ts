import { type EventEnvelope, testDataKey } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLUB_VECTOR_SETS, CLUB_VECTOR_TIMES, vectorEvents, vectorJson } from "../testing/vectors.js";
import { ClubProjection, type KeyLookup } from "./club-projection.js";
import { membersAsOf } from "./members.js";
import { outbox } from "./outbox.js";
import { memberTimeline } from "./timeline.js";

// club-v1 §4, §5, §10 against the club golden vectors (fixtures/vectors/club-*):
// keys are testDataKey(memberId), destroyed for members with a MemberForgotten.

const t = CLUB_VECTOR_TIMES;

const load = (events: readonly EventEnvelope[]): ClubProjection => {
  const p = new ClubProjection();
  for (const e of events) p.apply(e);
  return p;
};

/** The vectors' key store: every member's test key, none for a forgotten member. */
const vectorKeys = (events: readonly EventEnvelope[]): KeyLookup => {
  const forgotten = new Set(
    events.filter((e) => e.type === "MemberForgotten").map((e) => e.streamId.slice("member-".length)),
  );
  return (memberId) => (forgotten.has(memberId) ? undefined : testDataKey(memberId));
};

describe.each(CLUB_VECTOR_SETS)("club vector %s", (set) => {
  const events = vectorEvents(set);
  const keys = vectorKeys(events);

  it("§4 members as of T: exactly expected-members.json", () => {
    expect(JSON.stringify(membersAsOf(load(events), t.asOf, keys), null, 2)).toBe(
      JSON.stringify(vectorJson(set, "expected-members.json"), null, 2),
    );
  });

  it("§5 outbox for (since, T]: exactly expected-outbox.json", () => {
    expect(JSON.stringify(outbox(load(events), t.since, t.asOf, keys), null, 2)).toBe(
      JSON.stringify(vectorJson(set, "expected-outbox.json"), null, 2),
    );
  });

  it("§6 a forgotten member reads the same with or without its key (the reader treats it as destroyed)", () => {
    const all: KeyLookup = (memberId) => testDataKey(memberId);
    expect(membersAsOf(load(events), t.asOf, all)).toEqual(membersAsOf(load(events), t.asOf, keys));
  });

  it("§6 a destroyed key shows the values as absent at every T, also before the forget", () => {
    const p = load(events);
    for (const asOf of ["2011-01-07T09:00:00Z", "2011-03-01T00:00:00Z", t.asOf]) {
      const reza = membersAsOf(p, asOf, keys).find((r) => r.memberId === "reza");
      expect(reza).toBeDefined();
      expect(reza).not.toHaveProperty("name");
      expect(reza).not.toHaveProperty("contact");
    }
  });

  it("§4 without keys, every sealed value is absent but the rest stays", () => {
    const rows = membersAsOf(load(events), t.asOf);
    for (const row of rows) {
      expect(row).not.toHaveProperty("name");
      expect(row).not.toHaveProperty("contact");
      expect(row).not.toHaveProperty("birthDate");
    }
    expect(rows.map((r) => [r.memberId, r.consent, r.tier, r.notes])).toEqual(
      vectorJson<{ memberId: string; consent: unknown; tier: string; notes: number }[]>(
        set,
        "expected-members.json",
      ).map((r) => [r.memberId, r.consent, r.tier, r.notes]),
    );
    // No contact: nothing can be sent.
    expect(outbox(load(events), t.since, t.asOf)).toEqual([]);
  });

  it("§5 --channel keeps one channel's messages, in the same order", () => {
    const all = outbox(load(events), t.since, t.asOf, keys);
    expect(outbox(load(events), t.since, t.asOf, keys, { channel: "sms" })).toEqual(
      all.filter((m) => m.channel === "sms"),
    );
  });

  it("§5 a period split in two gives the same messages as the whole period", () => {
    const p = load(events);
    const mid = "2011-03-01T00:00:00.000Z";
    // Filters are evaluated at T, so the first half is asked as of T too... it differs only by its interval.
    const whole = outbox(p, t.since, t.asOf, keys);
    const first = outbox(p, t.since, mid, keys).map((m) => m.messageKey);
    const second = outbox(p, mid, t.asOf, keys).map((m) => m.messageKey);
    expect(whole.map((m) => m.messageKey).filter((k) => !first.includes(k))).toEqual(second);
  });

  it("§5 a MessageSent closes exactly its message: any subset recorded leaves the others due", () => {
    const all = outbox(load(events), t.since, t.asOf, keys);
    fc.assert(
      fc.property(fc.subarray(all), (sent) => {
        const p = load(events);
        for (const [i, m] of sent.entries())
          p.apply({
            streamId: `member-${m.memberId}`,
            type: "MessageSent",
            occurredAt: "2011-04-30T12:00:00.000Z",
            data: { messageKey: m.messageKey, channel: m.channel },
            eventId: `sent-${i}`,
          });
        const keys2 = new Set(sent.map((m) => m.messageKey));
        expect(outbox(p, t.since, t.asOf, keys)).toEqual(all.filter((m) => !keys2.has(m.messageKey)));
      }),
      { numRuns: 30 },
    );
  });

  it("§4 the timeline lists every event of a member in order, points before and after, notes opened", () => {
    const p = load(events);
    const rows = memberTimeline(p, "nina", t.asOf, keys) ?? [];
    expect(rows.map((r) => r.revision)).toEqual(rows.map((_, i) => i));
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.pointsBefore).toBe(rows[i - 1]?.pointsAfter);
    const note = rows.find((r) => r.type === "NoteAdded");
    expect(note?.data).toEqual({ noteId: "n-1", text: "key account", actor: "ops" });
    // The sweep at 2011-04-30 recorded every expiry due by T: the last balance is the balances row's.
    const balance = vectorJson<{ memberId: string; available: number; pending: number; debt: number }[]>(
      set,
      "expected-balances.json",
    ).find((b) => b.memberId === "nina");
    expect(rows.at(-1)?.pointsAfter).toBe(
      (balance?.available ?? 0) + (balance?.pending ?? 0) - (balance?.debt ?? 0),
    );
    const reza = memberTimeline(p, "reza", t.asOf, keys) ?? [];
    expect(reza[0]?.erased).toEqual(["name", "contact"]);
    expect(JSON.stringify(reza)).not.toContain("Reza");
    expect(memberTimeline(p, "nobody", t.asOf, keys)).toBeUndefined();
  });
});
