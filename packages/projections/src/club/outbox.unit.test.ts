import { type EventType, type Program, sealEventData, testDataKey } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProjectionEvent } from "../projection.js";
import { clubProgram } from "../testing/club-program.js";
import { ClubProjection, type KeyLookup } from "./club-projection.js";
import { membersAsOf } from "./members.js";
import { outbox } from "./outbox.js";
import { formatDay, persianDigits, renderMessage } from "./render.js";
import { memberTimeline } from "./timeline.js";

// club-v1 §5 and §10 ("Due times", "Outbox filters", "Rendering") on small hand-made streams.

const messages: NonNullable<Program["messages"]> = [
  {
    id: "hi",
    trigger: "welcome",
    channel: "sms",
    text: { en: "Hi {name} {memberId} {points} {tier} {code}" },
  },
  { id: "bd", trigger: "birthday", channel: "sms", text: { fa: "تولد {name}", en: "Happy birthday" } },
  { id: "up", trigger: "tier_up", channel: "sms", text: { en: "Now {tier} with {points}" } },
  {
    id: "ex",
    trigger: "points_expiring",
    daysBefore: 3,
    channel: "email",
    text: { en: "{points} on {expiresAt}" },
  },
  { id: "in", trigger: "inactive", inactiveDays: 10, channel: "sms", text: { en: "miss {name} {other}" } },
];
const program = (overrides: Partial<Program> = {}): Program => ({
  ...clubProgram([]),
  rewards: undefined,
  messages,
  tiers: {
    metric: "spend",
    windowDays: 365,
    retentionDays: 0,
    levels: [
      { id: "base", threshold: "0", multiplier: "1" },
      { id: "gold", threshold: "100", multiplier: "1" },
    ],
  },
  ...overrides,
});

let n = 0;
const ev = (memberId: string, type: EventType, at: string, data: object): ProjectionEvent => ({
  streamId: `member-${memberId}`,
  type,
  occurredAt: new Date(at).toISOString(),
  data,
  eventId: `e${++n}`,
});
const join = (memberId: string, at: string, extra: object = {}) =>
  ev(memberId, "MemberJoined", at, {
    memberId,
    kind: "person",
    name: memberId.toUpperCase(),
    contact: { phone: "+989120000001", email: `${memberId}@example.org` },
    consent: { sms: true, email: true },
    ...extra,
  });
const purchase = (memberId: string, at: string, purchaseId: string) =>
  ev(memberId, "PurchaseRecorded", at, { purchaseId, amount: "10" });
const earn = (memberId: string, at: string, lotId: string, points: number, expiresAt: string | null) =>
  ev(memberId, "PointsEarned", at, {
    lotId,
    points,
    reason: "adjustment",
    availableAt: new Date(at).toISOString(),
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    debtRepaid: 0,
  });
const update = (memberId: string, at: string, data: object) =>
  ev(memberId, "ProfileUpdated", at, { updateId: `u${++n}`, ...data });

const project = (events: ProjectionEvent[], p: Program = program()): ClubProjection => {
  const club = new ClubProjection({ program: p });
  for (const e of events) club.apply(e);
  return club;
};
const keysOf = (club: ClubProjection, since: string, asOf: string, keys?: KeyLookup) =>
  outbox(club, since, asOf, keys).map((m) => m.messageKey);

describe("outbox due times (club-v1 §5, §10)", () => {
  it("welcome is due at the join, keyed by the join event; MessageSent with that key closes it", () => {
    const j = join("ali", "2011-01-05T09:00:00Z");
    const club = project([j]);
    expect(outbox(club, "2011-01-01T00:00:00Z", "2011-02-01T00:00:00Z")).toEqual([
      {
        messageKey: `hi|ali|${j.eventId}`,
        ruleId: "hi",
        memberId: "ali",
        channel: "sms",
        to: "+989120000001",
        lang: "en",
        text: "Hi ALI ali 0 base ",
        dueAt: "2011-01-05T09:00:00.000Z",
      },
    ]);
    club.apply(
      ev("ali", "MessageSent", "2011-01-06T00:00:00Z", { messageKey: `hi|ali|${j.eventId}`, channel: "sms" }),
    );
    expect(keysOf(club, "2011-01-01T00:00:00Z", "2011-02-01T00:00:00Z")).toEqual([]);
    // Sent after T: as of T it is still due.
    expect(keysOf(club, "2011-01-01T00:00:00Z", "2011-01-05T12:00:00Z")).toEqual([`hi|ali|${j.eventId}`]);
  });

  it("the interval is (since, T]: a message due exactly at since is out, one due at T is in", () => {
    const j = join("ali", "2011-01-05T09:00:00Z");
    const club = project([j]);
    expect(keysOf(club, "2011-01-05T09:00:00Z", "2011-02-01T00:00:00Z")).toEqual([]);
    expect(keysOf(club, "2011-01-01T00:00:00Z", "2011-01-05T09:00:00Z")).toHaveLength(1);
  });

  it("birthday: each year from the join day, due at max(b, given), keyed by the calendar year", () => {
    const club = project([join("ali", "2011-03-10T09:00:00Z", { birthDate: "1980-03-10", lang: "fa" })]);
    const out = outbox(club, "2011-01-01T00:00:00Z", "2013-01-01T00:00:00Z").filter((m) => m.ruleId === "bd");
    expect(out.map((m) => [m.messageKey, m.dueAt, m.lang, m.text])).toEqual([
      ["bd|ali|2011", "2011-03-10T09:00:00.000Z", "fa", "تولد ALI"],
      ["bd|ali|2012", "2012-03-10T00:00:00.000Z", "fa", "تولد ALI"],
    ]);
  });

  it("birthday: a birth date given by update-profile counts from that day, still once per year", () => {
    const club = project([
      join("ali", "2011-01-01T09:00:00Z", { birthDate: "1980-03-10" }),
      // Changed after the 2011 birthday to a later day of the same year: 2011 was already due.
      update("ali", "2011-04-01T10:00:00Z", { birthDate: "1980-06-01" }),
      // A member without a birth date at the join gets one later: counts from that day.
      join("sara", "2011-01-01T09:00:00Z"),
      update("sara", "2011-05-20T10:00:00Z", { birthDate: "1990-05-20" }),
    ]);
    const out = outbox(club, "2011-01-01T00:00:00Z", "2012-12-31T00:00:00Z").filter((m) => m.ruleId === "bd");
    expect(out.map((m) => [m.messageKey, m.dueAt])).toEqual([
      ["bd|ali|2011", "2011-03-10T00:00:00.000Z"],
      ["bd|sara|2011", "2011-05-20T10:00:00.000Z"],
      ["bd|sara|2012", "2012-05-20T00:00:00.000Z"],
      ["bd|ali|2012", "2012-06-01T00:00:00.000Z"],
    ]);
  });

  it("birthday in the Jalali calendar: the year in the key is the Jalali year", () => {
    const club = project(
      [join("ali", "2011-01-01T09:00:00Z", { birthDate: "1985-02-10" })],
      program({ calendar: "jalali" }),
    );
    expect(
      keysOf(club, "2011-01-01T00:00:00Z", "2011-12-31T00:00:00Z").filter((k) => k.startsWith("bd")),
    ).toEqual(["bd|ali|1389"]);
  });

  it("tier_up: each TierChanged up, with {tier} and {points} at the due time; a move down sends nothing", () => {
    const club = project([
      join("ali", "2011-01-01T09:00:00Z"),
      earn("ali", "2011-01-02T09:00:00Z", "l1", 120, null),
      ev("ali", "TierChanged", "2011-01-02T09:00:00Z", {
        from: "base",
        to: "gold",
        direction: "up",
        metric: "120",
      }),
      ev("ali", "TierChanged", "2011-02-02T09:00:00Z", {
        from: "gold",
        to: "base",
        direction: "down",
        metric: "0",
      }),
    ]);
    const up = outbox(club, "2011-01-01T00:00:00Z", "2011-03-01T00:00:00Z").filter((m) => m.ruleId === "up");
    expect(up.map((m) => m.text)).toEqual(["Now gold with 120"]);
  });

  it("points_expiring: per UTC day of expiry, what those lots hold at the due time; none when 0", () => {
    const club = project([
      join("ali", "2011-01-01T09:00:00Z"),
      earn("ali", "2011-01-02T09:00:00Z", "l1", 30, "2011-02-10T09:00:00Z"),
      earn("ali", "2011-01-03T09:00:00Z", "l2", 20, "2011-02-10T18:00:00Z"),
      earn("ali", "2011-01-04T09:00:00Z", "l3", 5, "2011-02-20T00:00:00Z"),
      // Redeemed before the due time of 20 Feb (17 Feb): nothing left, no message.
      ev("ali", "PointsRedeemed", "2011-02-01T00:00:00Z", {
        redemptionId: "r1",
        points: 5,
        allocations: [{ lotId: "l3", points: 5 }],
      }),
      // Earned after the due time of 10 Feb (7 Feb) with the same expiry day: holds 0 then.
      earn("ali", "2011-02-08T09:00:00Z", "l4", 50, "2011-02-10T20:00:00Z"),
    ]);
    const out = outbox(club, "2011-01-01T00:00:00Z", "2011-03-01T00:00:00Z").filter((m) => m.ruleId === "ex");
    expect(out.map((m) => [m.messageKey, m.dueAt, m.text])).toEqual([
      ["ex|ali|2011-02-10", "2011-02-07T00:00:00.000Z", "50 on 2011-02-10"],
    ]);
  });

  it("inactive: last purchase + inactiveDays, cancelled by a purchase at or before it; keyed by the purchase id", () => {
    const club = project([
      join("ali", "2011-01-01T09:00:00Z"),
      purchase("ali", "2011-01-01T10:00:00Z", "p1"),
      purchase("ali", "2011-01-11T10:00:00Z", "p2"), // exactly at p1 + 10 days: cancels it
      purchase("ali", "2011-01-25T10:00:00Z", "p3"), // after p2 + 10 days: p2's message stays
    ]);
    const out = outbox(club, "2011-01-01T00:00:00Z", "2011-03-01T00:00:00Z").filter((m) => m.ruleId === "in");
    expect(out.map((m) => [m.messageKey, m.dueAt, m.text])).toEqual([
      ["in|ali|p2", "2011-01-21T10:00:00.000Z", "miss ALI {other}"],
      ["in|ali|p3", "2011-02-04T10:00:00.000Z", "miss ALI {other}"],
    ]);
  });
});

describe("outbox filters at T (club-v1 §10)", () => {
  const events = () => [
    join("ali", "2011-01-05T09:00:00Z", { consent: {}, contact: { email: "a@example.org" } }),
  ];
  const since = "2011-01-01T00:00:00Z";

  it("consent and a contact given after the due time bring the message in; `to` is the contact at T", () => {
    const club = project([
      ...events(),
      update("ali", "2011-02-01T00:00:00Z", { consent: { sms: true }, contact: { phone: "+989121111111" } }),
    ]);
    expect(keysOf(club, since, "2011-01-20T00:00:00Z")).toEqual([]);
    const out = outbox(club, since, "2011-02-02T00:00:00Z");
    expect(out.map((m) => [m.ruleId, m.to, m.dueAt])).toEqual([
      ["hi", "+989121111111", "2011-01-05T09:00:00.000Z"],
    ]);
  });

  it("a consent withdrawn or a contact removed before T takes it out; a forgotten member gets nothing", () => {
    const base = [join("ali", "2011-01-05T09:00:00Z")];
    expect(keysOf(project(base), since, "2011-02-02T00:00:00Z")).toHaveLength(1);
    const withdrawn = [...base, update("ali", "2011-02-01T00:00:00Z", { consent: { email: true } })];
    expect(keysOf(project(withdrawn), since, "2011-02-02T00:00:00Z")).toEqual([]);
    const removed = [...base, update("ali", "2011-02-01T00:00:00Z", { contact: { phone: null } })];
    expect(keysOf(project(removed), since, "2011-02-02T00:00:00Z")).toEqual([]);
    const forgotten = [
      ...base,
      ev("ali", "MemberForgotten", "2011-02-01T00:00:00Z", { requestId: "g", actor: "dpo" }),
    ];
    expect(keysOf(project(forgotten), since, "2011-02-02T00:00:00Z")).toEqual([]);
  });

  it("lang: the member's when the rule has it, else the rule's first language in the program's JSON order", () => {
    const rules: NonNullable<Program["messages"]> = [
      { id: "a", trigger: "welcome", channel: "sms", text: { fa: "سلام", en: "hello" } },
      { id: "b", trigger: "welcome", channel: "sms", text: { en: "hello", fa: "سلام" } },
    ];
    const club = project(
      [join("ali", "2011-01-05T09:00:00Z"), join("sara", "2011-01-05T09:00:00Z", { lang: "en" })],
      program({ messages: rules }),
    );
    const out = outbox(club, since, "2011-02-01T00:00:00Z");
    expect(out.map((m) => [m.ruleId, m.memberId, m.lang])).toEqual([
      ["a", "ali", "fa"],
      ["a", "sara", "en"],
      ["b", "ali", "en"],
      ["b", "sara", "en"],
    ]);
  });

  it("sealed values: opened with the member's key, absent without it", () => {
    const j = join("ali", "2011-01-05T09:00:00Z");
    const sealed = { ...j, data: sealEventData(j.data as object, j.eventId as string, testDataKey("ali")) };
    const club = project([sealed], program({ privacy: { encryptPersonalData: true } }));
    expect(keysOf(club, since, "2011-02-01T00:00:00Z", (id) => testDataKey(id))).toHaveLength(1);
    expect(keysOf(club, since, "2011-02-01T00:00:00Z")).toEqual([]);
    expect(membersAsOf(club, "2011-02-01T00:00:00Z", (id) => testDataKey(id))[0]?.name).toBe("ALI");
  });

  it("members and the outbox exist only under a club program (club-v1 §10)", () => {
    const club = project([join("ali", "2011-01-05T09:00:00Z")], { ...program(), messages: undefined });
    expect(() => membersAsOf(club, "2011-02-01T00:00:00Z")).toThrow(
      expect.objectContaining({ code: "VALIDATION" }),
    );
    expect(() => outbox(club, since, "2011-02-01T00:00:00Z")).toThrow(/club program/);
  });

  it("sorted by dueAt then key; since must be before T", () => {
    const club = project([join("b", "2011-01-05T09:00:00Z"), join("a", "2011-01-05T09:00:00Z")]);
    const out = outbox(club, since, "2011-02-01T00:00:00Z");
    expect(out.map((m) => m.memberId)).toEqual(["a", "b"]);
    expect(() => outbox(club, "2011-02-01T00:00:00Z", since)).toThrow(/since/);
  });

  it("a bigger T never loses a message of an earlier interval unless it was sent, withdrawn or forgotten", () => {
    // Without MessageSent, consent changes or forget, the outbox of (since, T] is monotone in T.
    const club = project([
      join("ali", "2011-01-05T09:00:00Z", { birthDate: "1980-02-01" }),
      purchase("ali", "2011-01-06T10:00:00Z", "p1"),
      earn("ali", "2011-01-06T10:00:00Z", "l1", 40, "2011-03-01T00:00:00Z"),
      purchase("ali", "2011-03-06T10:00:00Z", "p2"),
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 120 }), (a, b) => {
        const day = (d: number) => new Date(Date.UTC(2011, 0, 1) + d * 86_400_000).toISOString();
        const early = keysOf(club, since, day(a));
        const late = keysOf(club, since, day(a + b));
        expect(late.filter((k) => early.includes(k))).toEqual(early);
      }),
      { numRuns: 50 },
    );
  });
});

describe("rendering (club-v1 §10)", () => {
  it("fa: Persian digits for numbers and dates, never for ids and codes; unknown placeholders stay", () => {
    const text = renderMessage(
      "{memberId} {code} {points} {rank} {expiresAt} {draw} {unknown} {name}",
      { memberId: "m42", code: "AB12", points: 1250, rank: 2, expiresAt: Date.UTC(2011, 3, 10), draw: "d1" },
      "fa",
      "gregorian",
    );
    expect(text).toBe("m42 AB12 ۱۲۵۰ ۲ ۲۰۱۱/۰۴/۱۰ d1 {unknown} ");
  });

  it("dates are UTC days in the program calendar", () => {
    expect(formatDay("jalali", Date.UTC(2011, 2, 21), "en")).toBe("1390-01-01");
    expect(formatDay("jalali", Date.UTC(2011, 2, 21, 23, 59), "fa")).toBe("۱۳۹۰/۰۱/۰۱");
    expect(formatDay("gregorian", Date.UTC(2011, 0, 30, 10), "en")).toBe("2011-01-30");
    expect(persianDigits("a1b9")).toBe("a۱b۹");
  });
});

describe("robustness (the audit reports malformed events; reads never throw on them)", () => {
  it("members, outbox and timeline read malformed data as absent", () => {
    const bad = (type: EventType, data: unknown, at = "2011-01-06T00:00:00Z") => ({
      ...ev("ali", type, at, {}),
      data,
    });
    const rules: NonNullable<Program["messages"]> = [
      ...messages,
      { id: "cp", trigger: "coupon_issued", channel: "sms", text: { en: "{code} {expiresAt}" } },
      { id: "dw", trigger: "draw_won", channel: "sms", text: { en: "{draw} {rank} {points}" } },
    ];
    const p = project(
      [
        join("ali", "2011-01-05T09:00:00Z"),
        bad("CouponIssued", null),
        bad("CouponIssued", { couponId: "c", validUntil: "not a time" }),
        bad("DrawWon", 42),
        bad("PurchaseRecorded", "x"),
        bad("ProfileUpdated", null),
        bad("NoteAdded", [1, 2]),
      ],
      program({ messages: rules }),
    );
    expect(() => membersAsOf(p, "2011-02-01T00:00:00Z")).not.toThrow();
    const out = outbox(p, "2011-01-01T00:00:00Z", "2011-03-01T00:00:00Z");
    expect(out.filter((m) => m.ruleId === "cp").map((m) => m.text)).toEqual([" ", " "]);
    expect(out.filter((m) => m.ruleId === "dw").map((m) => m.text)).toEqual(["  0"]);
    expect(memberTimeline(p, "ali", "2011-03-01T00:00:00Z")?.length).toBe(7);
  });
});
