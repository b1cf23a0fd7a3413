import { sealEventData, testDataKey } from "@vafa/core";
import { afterEach, describe, expect, it } from "vitest";
import type { KeyLookup } from "../club/club-projection.js";
import type { ProjectionEvent } from "../projection.js";
import { memberEvents, programEvent, type Step, withPositions } from "../testing/events.js";
import { createEngagementProjection, type RiskTransition, type TierChangeRow } from "./engagement.js";

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

const withMembers = (calendar: "gregorian" | "jalali", members: Record<string, Step[]>) => {
  const e = createEngagementProjection();
  e.apply(programEvent({ calendar }));
  for (const [id, steps] of Object.entries(members)) for (const ev of memberEvents(id, steps)) e.apply(ev);
  return e;
};

const ids = (rows: { memberId: string }[]) => rows.map((r) => r.memberId);

describe("engagement: birthdays (spec 5.6 calendar rules)", () => {
  const gregorian = () =>
    withMembers("gregorian", {
      leap: [["join", "2010-01-01T00:00:00.000Z", "1992-02-29"]],
      june: [["join", "2010-01-01T00:00:00.000Z", "1985-06-15"]],
      none: [["join", "2010-01-01T00:00:00.000Z"]],
      late: [["join", "2011-06-16T00:00:00.000Z", "1985-06-15"]],
    });

  it("5.6 gregorian: 29 Feb falls on 28 Feb in common years, on 29 Feb in leap years", () => {
    const e = gregorian();
    expect(ids(e.birthdaysOn("2011-02-28T15:00:00Z"))).toEqual(["leap"]);
    expect(ids(e.birthdaysOn("2011-03-01T00:00:00Z"))).toEqual([]);
    expect(ids(e.birthdaysOn("2012-02-28T00:00:00Z"))).toEqual([]);
    expect(ids(e.birthdaysOn("2012-02-29T23:59:59.999Z"))).toEqual(["leap"]);
  });

  it("6 engagement: only members joined by then; the UTC day of the time counts", () => {
    const e = gregorian();
    expect(ids(e.birthdaysOn("2011-06-15T00:00:00Z"))).toEqual(["june"]);
    expect(ids(e.birthdaysOn("2011-06-15T23:00:00-05:00"))).toEqual([]); // 2011-06-16 04:00 UTC
    expect(ids(e.birthdaysOn("2012-06-15T08:00:00Z"))).toEqual(["june", "late"]);
  });

  it("5.6 jalali: 30 Esfand falls on 29 Esfand in common years; Dey birthdays follow the Jalali year", () => {
    const e = withMembers("jalali", {
      esfand: [["join", "2011-01-01T00:00:00.000Z", "1992-03-20"]], // 30 Esfand 1370
      dey: [["join", "2011-01-01T00:00:00.000Z", "1990-01-01"]], // 11 Dey 1368
    });
    expect(ids(e.birthdaysOn("2012-03-19T00:00:00Z"))).toEqual(["esfand"]); // 29 Esfand 1390 (common)
    expect(ids(e.birthdaysOn("2012-03-20T00:00:00Z"))).toEqual([]); // 1 Farvardin 1391
    expect(ids(e.birthdaysOn("2013-03-20T00:00:00Z"))).toEqual(["esfand"]); // 30 Esfand 1391 (leap)
    expect(ids(e.birthdaysOn("2012-01-01T00:00:00Z"))).toEqual(["dey"]); // 11 Dey 1390
    expect(ids(e.birthdaysOn("2012-12-31T00:00:00Z"))).toEqual(["dey"]); // 11 Dey 1391
    expect(ids(e.birthdaysOn("2013-01-01T00:00:00Z"))).toEqual([]);
  });

  it("1 calendars: results do not depend on the process time zone", () => {
    const answers = new Set<string>();
    for (const tz of [
      "UTC",
      "Asia/Tehran",
      "America/Los_Angeles",
      "Pacific/Kiritimati",
      "Pacific/Pago_Pago",
    ]) {
      process.env.TZ = tz;
      const e = withMembers("jalali", {
        esfand: [["join", "2011-01-01T00:00:00.000Z", "1992-03-20"]],
        dey: [["join", "2011-01-01T00:00:00.000Z", "1990-01-01"]],
      });
      const days = ["2012-03-19", "2012-03-20", "2012-12-31", "2013-03-20", "2013-01-01"].map((d) =>
        ids(e.birthdaysOn(`${d}T00:30:00Z`)).join(","),
      );
      answers.add(days.join("|"));
    }
    expect([...answers]).toEqual(["esfand||dey|esfand|"]);
  });
});

describe("engagement: expiring points", () => {
  it("6 engagement: members with points expiring in (T, T + days], and how many", () => {
    const e = withMembers("gregorian", {
      a: [
        ["join", "2011-01-01T00:00:00.000Z"],
        ["earn", "2011-01-01T00:00:00.000Z", "a1", 100, "2011-02-01T00:00:00.000Z"],
        ["earn", "2011-01-02T00:00:00.000Z", "a2", 50, "2011-02-10T00:00:00.000Z"],
        ["earn", "2011-01-03T00:00:00.000Z", "a3", 5, "2011-06-10T00:00:00.000Z"],
        ["redeem", "2011-01-05T00:00:00.000Z", 30, [["a1", 30]]],
      ],
      b: [
        ["join", "2011-01-01T00:00:00.000Z"],
        ["earn", "2011-01-01T00:00:00.000Z", "b1", 10, null],
      ],
    });
    expect(e.expiringWithin("2011-01-20T00:00:00Z", 12)).toEqual([
      { memberId: "a", points: 70, firstExpiresAt: "2011-02-01T00:00:00.000Z" },
    ]);
    expect(e.expiringWithin("2011-01-20T00:00:00Z", 21)).toEqual([
      { memberId: "a", points: 120, firstExpiresAt: "2011-02-01T00:00:00.000Z" },
    ]);
    // At the expiry instant the lot is already expired: not "expiring".
    expect(e.expiringWithin("2011-02-01T00:00:00Z", 5)).toEqual([]);
  });
});

describe("engagement: tier changes", () => {
  it("6 engagement: tier changes since a checkpoint time or position, and a callback per change", () => {
    const e = createEngagementProjection();
    const seen: TierChangeRow[] = [];
    const unsubscribe = e.subscribe({ onTierChanged: (c) => seen.push(c) });
    const events = withPositions([
      programEvent(),
      ...memberEvents("a", [
        ["join", "2011-01-01T00:00:00.000Z"],
        ["tier", "2011-02-01T00:00:00.000Z", "bronze", "silver", "up"],
        ["tier", "2011-05-01T00:00:00.000Z", "silver", "bronze", "down"],
      ]),
    ]);
    for (const ev of events) e.apply(ev);
    expect(seen.map((c) => [c.memberId, c.to, c.direction])).toEqual([
      ["a", "silver", "up"],
      ["a", "bronze", "down"],
    ]);
    expect(e.tierChangesSince("2011-02-01T00:00:00Z").map((c) => c.to)).toEqual(["bronze"]);
    expect(e.tierChangesAfter(3n).map((c) => c.to)).toEqual(["bronze"]);
    // A redelivered event (same position) changes nothing and fires nothing.
    expect(e.apply(events[3] as (typeof events)[number])).toBe(false);
    expect(seen).toHaveLength(2);
    unsubscribe();
    e.apply({ ...(events[2] as (typeof events)[number]), position: 10n });
    expect(seen).toHaveLength(2);
  });
});

describe("engagement: at_risk and cant_lose transitions", () => {
  const build = () =>
    withMembers("gregorian", {
      x: [
        ["join", "2011-01-01T00:00:00.000Z"],
        ["purchase", "2011-09-01T00:00:00.000Z", "x1", "10"],
        ["purchase", "2011-09-05T00:00:00.000Z", "x2", "10"],
        ["purchase", "2011-09-10T00:00:00.000Z", "x3", "10"],
      ],
      ...Object.fromEntries(
        ["a", "b", "c", "d"].map((id, i): [string, Step[]] => [
          id,
          [
            ["join", "2011-01-01T00:00:00.000Z"],
            ["purchase", "2011-03-01T00:00:00.000Z", `${id}1`, "5"],
            ["purchase", `2011-11-0${i + 1}T00:00:00.000Z`, `${id}2`, "5"],
          ],
        ]),
      ),
    });

  it("6 engagement: a member who falls into cant_lose is reported once, at the first run that sees it", () => {
    const e = build();
    const fired: RiskTransition[] = [];
    e.subscribe({ onRiskTransition: (r) => fired.push(r) });
    const first = e.run("2011-09-15T00:00:00Z");
    expect(first.riskTransitions).toEqual([]);
    expect(e.segmentsOfLastRun().get("x")).toBe("champions");
    const second = e.run("2011-11-15T00:00:00Z");
    expect(second.riskTransitions).toEqual([{ memberId: "x", from: "champions", to: "cant_lose" }]);
    expect(fired).toEqual(second.riskTransitions);
    expect(e.run("2011-11-16T00:00:00Z").riskTransitions).toEqual([]);
  });

  it("6 engagement: without a previous run every member in a risk segment is reported; commit false keeps the last run", () => {
    const e = build();
    expect(e.riskTransitions("2011-11-15T00:00:00Z", { commit: false })).toEqual([
      { memberId: "x", from: undefined, to: "cant_lose" },
    ]);
    expect(e.segmentsOfLastRun().size).toBe(0);
    e.setSegmentsOfLastRun(new Map([["x", "cant_lose"]]));
    expect(e.riskTransitions("2011-11-15T00:00:00Z")).toEqual([]);
  });
});

describe("engagement: birthdays from profiles (club-v1 §4, §6, §10)", () => {
  // Hand-made member events with event ids, sealed as the ledger seals them.
  const key = testDataKey("sealed");
  let n = 0;
  const event = (memberId: string, type: string, at: string, data: object, seal = false): ProjectionEvent => {
    n += 1;
    const eventId = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    return {
      streamId: `member-${memberId}`,
      type: type as ProjectionEvent["type"],
      occurredAt: at,
      eventId,
      revision: 0,
      data: seal ? sealEventData(data, eventId, key) : data,
    };
  };
  const joined = (memberId: string, birthDate?: string, seal = false) =>
    event(
      memberId,
      "MemberJoined",
      "2010-01-01T00:00:00.000Z",
      { kind: "person", ...(birthDate ? { birthDate } : {}), joinedAt: "2010-01-01T00:00:00.000Z" },
      seal,
    );
  const keys: KeyLookup = (memberId) => (memberId === "sealed" ? key : undefined);
  const build = (events: ProjectionEvent[], options: { keys?: KeyLookup } = {}) => {
    const e = createEngagementProjection(options);
    e.apply(programEvent());
    for (const ev of events) e.apply(ev);
    return e;
  };
  const JUNE = "2011-06-15T08:00:00Z";

  it("§6: a sealed birth date is opened with the member's key; without the key it reads as absent", () => {
    const events = [joined("sealed", "1985-06-15", true), joined("plain", "1985-06-15")];
    expect(build(events, { keys }).birthdaysOn(JUNE)).toEqual([
      { memberId: "plain", birthDate: "1985-06-15" },
      { memberId: "sealed", birthDate: "1985-06-15" },
    ]);
    expect(ids(build(events).birthdaysOn(JUNE))).toEqual(["plain"]);
    // The keys of one call win over the projection's.
    expect(ids(build(events).birthdaysOn(JUNE, keys))).toEqual(["plain", "sealed"]);
  });

  it("§10: a birth date given by update-profile counts from then on; a later one replaces it", () => {
    const e = build(
      [
        joined("sealed"),
        event(
          "sealed",
          "ProfileUpdated",
          "2011-03-01T00:00:00.000Z",
          { updateId: "u1", birthDate: "1985-06-15" },
          true,
        ),
        event(
          "sealed",
          "ProfileUpdated",
          "2012-01-01T00:00:00.000Z",
          { updateId: "u2", birthDate: "1985-07-01" },
          true,
        ),
      ],
      { keys },
    );
    expect(ids(e.birthdaysOn("2010-06-15T08:00:00Z"))).toEqual([]); // not given yet
    expect(ids(e.birthdaysOn(JUNE))).toEqual(["sealed"]);
    expect(ids(e.birthdaysOn("2012-06-15T08:00:00Z"))).toEqual([]);
    expect(e.birthdaysOn("2012-07-01T08:00:00Z")).toEqual([{ memberId: "sealed", birthDate: "1985-07-01" }]);
  });

  it("§6: a forgotten member gets no greeting from then on, even if a lookup still had the key", () => {
    const forgotten = event("sealed", "MemberForgotten", "2011-09-01T00:00:00.000Z", { requestId: "g1" });
    const e = build([joined("sealed", "1985-06-15", true), forgotten], { keys });
    // Every read after forget shows the values as absent, at every T (the key is destroyed).
    expect(ids(e.birthdaysOn(JUNE))).toEqual([]);
    expect(ids(e.birthdaysOn("2012-06-15T08:00:00Z"))).toEqual([]);
    // A plain (non-encrypting) member with a MemberForgotten: no greeting after it either.
    const plain = build([
      joined("plain", "1985-06-15"),
      event("plain", "MemberForgotten", "2011-09-01T00:00:00.000Z", { requestId: "g1" }),
    ]);
    expect(ids(plain.birthdaysOn(JUNE))).toEqual(["plain"]);
    expect(ids(plain.birthdaysOn("2012-06-15T08:00:00Z"))).toEqual([]);
  });
});
