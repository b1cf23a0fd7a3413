import { parseTime } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEventData } from "./data-check.js";
import {
  checkEnvelope,
  checkMetadata,
  describeIssues,
  isTimeOut,
  parseCommandId,
  streamKindOf,
} from "./envelope-schema.js";

// Spec 2 envelope and metadata rules as the audit checks them (spec 7 SCHEMA).

const UUID = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
const HEX = "0123456789abcdef".repeat(4);
const envelope = (): Record<string, unknown> => ({
  streamId: "member-a",
  revision: 0,
  eventId: UUID,
  type: "FeedbackSubmitted",
  occurredAt: "2011-01-01T00:00:00.000Z",
  recordedAt: "2011-01-01T00:00:00.000Z",
  data: {},
  metadata: {},
  position: 1,
});
const problemsOf = (change: Record<string, unknown>, drop: string[] = []): string[] => {
  const raw = { ...envelope(), ...change };
  for (const k of drop) delete raw[k];
  return checkEnvelope(raw).problems;
};

describe("2 checkEnvelope", () => {
  it("an envelope with every known key has no problem and gives its fields back", () => {
    const raw = envelope();
    expect(checkEnvelope(raw)).toEqual({ problems: [], envelope: raw });
    for (const position of [undefined, 5n, "17", 0])
      expect(problemsOf({ position, recordedAt: "2011-01-01T03:30:00+03:30", data: null })).toEqual([]);
    expect(problemsOf({}, ["position"])).toEqual([]);
    expect(problemsOf({ eventId: UUID.toUpperCase(), revision: Number.MAX_SAFE_INTEGER })).toEqual([]);
  });

  it("names each unknown key; a bad envelope gives no fields", () => {
    expect(checkEnvelope({ ...envelope(), extra: 1, Data: 2 })).toEqual({
      problems: ["envelope.extra: unknown key", "envelope.Data: unknown key"],
    });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["streamId empty", { streamId: "" }, ["envelope.streamId: must be a non-empty string"]],
    ["streamId no string", { streamId: 5 }, ["envelope.streamId: must be a non-empty string"]],
    ["revision below 0", { revision: -1 }, ["envelope.revision: must be an integer >= 0"]],
    ["revision a fraction", { revision: 0.5 }, ["envelope.revision: must be an integer >= 0"]],
    ["revision text", { revision: "0" }, ["envelope.revision: must be an integer >= 0"]],
    ["revision unsafe", { revision: 2 ** 53 }, ["envelope.revision: must be an integer >= 0"]],
    ["eventId no string", { eventId: 5 }, ["envelope.eventId: must be a UUID"]],
    ["eventId short", { eventId: UUID.slice(1) }, ["envelope.eventId: must be a UUID"]],
    ["eventId with a prefix", { eventId: `x${UUID}` }, ["envelope.eventId: must be a UUID"]],
    ["eventId with a suffix", { eventId: `${UUID}0` }, ["envelope.eventId: must be a UUID"]],
    ["eventId not hex", { eventId: UUID.replace("6", "g") }, ["envelope.eventId: must be a UUID"]],
    // A regular expression reads an array as its text: a one-element array must still fail.
    ["eventId an array", { eventId: [UUID] }, ["envelope.eventId: must be a UUID"]],
    ["type an array", { type: ["FeedbackSubmitted"] }, ["envelope.type: unknown event type"]],
    ["type unknown", { type: "Nope" }, ["envelope.type: unknown event type"]],
    ["type no string", { type: 3 }, ["envelope.type: unknown event type"]],
  ])("%s", (_, change, problems) => {
    expect(problemsOf(change)).toEqual(problems);
  });

  it("occurredAt is a real UTC time written with milliseconds; recordedAt any time", () => {
    const bad = ["envelope.occurredAt: must be a UTC ISO time with milliseconds"];
    for (const occurredAt of [
      5,
      "2011-01-01T00:00:00Z",
      "2011-01-01T00:00:00.000+00:00",
      "2011-02-30T00:00:00.000Z",
      "x2011-01-01T00:00:00.000Z",
      "2011-01-01T00:00:00.000Zx",
      "2011-01-01T00:00:00.0000Z",
      ["2011-01-01T00:00:00.000Z"],
    ])
      expect(problemsOf({ occurredAt })).toEqual(bad);
    for (const recordedAt of [5, "2011-02-30T00:00:00.000Z", "yesterday"])
      expect(problemsOf({ recordedAt })).toEqual(["envelope.recordedAt: must be a time"]);
    expect(problemsOf({ recordedAt: "2011-01-01T00:00:00Z" })).toEqual([]);
  });

  it("data must be there (null is data); position is a number, bigint or numeric text", () => {
    expect(problemsOf({}, ["data"])).toEqual(["envelope.data: missing"]);
    for (const position of [true, {}, null])
      expect(problemsOf({ position })).toEqual(["envelope.position: must be a number"]);
  });

  it("lists every problem in field order", () => {
    expect(checkEnvelope({ extra: 1, data: 1 }).problems).toEqual([
      "envelope.extra: unknown key",
      "envelope.streamId: must be a non-empty string",
      "envelope.revision: must be an integer >= 0",
      "envelope.eventId: must be a UUID",
      "envelope.type: unknown event type",
      "envelope.occurredAt: must be a UTC ISO time with milliseconds",
      "envelope.recordedAt: must be a time",
    ]);
  });
});

describe("2 checkMetadata", () => {
  const metadata = (): Record<string, unknown> => ({
    schemaVersion: 1,
    programId: "p-1",
    programVersion: 1,
    commandId: "join:a",
    correlationId: "c",
    actor: "clerk",
    prevHash: HEX,
    hash: HEX,
  });
  const of = (change: Record<string, unknown>, drop: string[] = []): string[] => {
    const m = { ...metadata(), ...change };
    for (const k of drop) delete m[k];
    return checkMetadata(m);
  };

  it("valid metadata has no problem, with or without an actor", () => {
    expect(of({})).toEqual([]);
    expect(of({}, ["actor"])).toEqual([]);
    expect(of({ programVersion: 7, programId: "A.b_c:9" })).toEqual([]);
  });

  it("must be an object", () => {
    for (const m of [null, [], "x", 5, undefined])
      expect(checkMetadata(m)).toEqual(["metadata: must be an object"]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["unknown keys", { extra: 1, Hash: 2 }, ["metadata.extra: unknown key", "metadata.Hash: unknown key"]],
    ["schemaVersion 2", { schemaVersion: 2 }, ["metadata.schemaVersion: must be 1"]],
    ["schemaVersion text", { schemaVersion: "1" }, ["metadata.schemaVersion: must be 1"]],
    ["programId no id", { programId: "-p" }, ["metadata.programId: must be an id"]],
    ["programId no string", { programId: 1 }, ["metadata.programId: must be an id"]],
    ["programVersion 0", { programVersion: 0 }, ["metadata.programVersion: must be an integer >= 1"]],
    ["programVersion text", { programVersion: "1" }, ["metadata.programVersion: must be an integer >= 1"]],
    [
      "programVersion fraction",
      { programVersion: 1.5 },
      ["metadata.programVersion: must be an integer >= 1"],
    ],
    ["commandId empty", { commandId: "" }, ["metadata.commandId: must be a non-empty string"]],
    ["commandId no string", { commandId: 1 }, ["metadata.commandId: must be a non-empty string"]],
    ["correlationId empty", { correlationId: "" }, ["metadata.correlationId: must be a non-empty string"]],
    ["correlationId no string", { correlationId: 1 }, ["metadata.correlationId: must be a non-empty string"]],
    ["actor empty", { actor: "" }, ["metadata.actor: must be a non-empty string"]],
    ["actor no string", { actor: 1 }, ["metadata.actor: must be a non-empty string"]],
    ["prevHash upper case", { prevHash: HEX.toUpperCase() }, ["metadata.prevHash: must be 64 hex digits"]],
    ["prevHash short", { prevHash: HEX.slice(1) }, ["metadata.prevHash: must be 64 hex digits"]],
    ["prevHash long", { prevHash: `${HEX}0` }, ["metadata.prevHash: must be 64 hex digits"]],
    ["prevHash with a prefix", { prevHash: `x${HEX}` }, ["metadata.prevHash: must be 64 hex digits"]],
    ["prevHash no string", { prevHash: 1 }, ["metadata.prevHash: must be 64 hex digits"]],
    ["prevHash an array", { prevHash: [HEX] }, ["metadata.prevHash: must be 64 hex digits"]],
    ["hash an array", { hash: [HEX] }, ["metadata.hash: must be 64 hex digits"]],
    ["hash short", { hash: HEX.slice(1) }, ["metadata.hash: must be 64 hex digits"]],
    ["hash long", { hash: `${HEX}0` }, ["metadata.hash: must be 64 hex digits"]],
    ["hash with a prefix", { hash: `x${HEX}` }, ["metadata.hash: must be 64 hex digits"]],
    ["hash no string", { hash: null }, ["metadata.hash: must be 64 hex digits"]],
  ])("%s", (_, change, problems) => {
    expect(of(change)).toEqual(problems);
  });

  it("lists every problem in field order", () => {
    expect(checkMetadata({ z: 1 })).toEqual([
      "metadata.z: unknown key",
      "metadata.schemaVersion: must be 1",
      "metadata.programId: must be an id",
      "metadata.programVersion: must be an integer >= 1",
      "metadata.commandId: must be a non-empty string",
      "metadata.correlationId: must be a non-empty string",
      "metadata.prevHash: must be 64 hex digits",
      "metadata.hash: must be 64 hex digits",
    ]);
  });
});

describe("2 streamKindOf", () => {
  it.each([
    ["member-a", "member"],
    ["program-p.1", "program"],
    ["reward-r:1", "reward"],
    ["draw-d_1", "draw"],
    ["member-", "other"],
    ["member--a", "other"],
    ["program--p", "other"],
    ["reward--r", "other"],
    ["draw--d", "other"],
    ["program-", "other"],
    ["reward-", "other"],
    ["draw-", "other"],
    ["xmember-a", "other"],
    ["member-a b", "other"],
    ["guest-a", "other"],
  ])("%s is a %s stream", (streamId, kind) => {
    expect(streamKindOf(streamId)).toBe(kind);
  });
});

describe("7 describeIssues", () => {
  it("the first three issues, each at its path under the prefix", () => {
    const r = parseEventData("PointsEarned", { lotId: "x", points: "5", reason: "nope", purchaseId: "-" });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.issues.length).toBeGreaterThan(3);
    const text = describeIssues(r.error, "data");
    expect(text.split("; ").map((p) => p.slice(0, p.indexOf(":")))).toEqual([
      "data.lotId",
      "data.points",
      "data.reason",
    ]);
    expect(text.startsWith(`data.lotId: ${r.error.issues[0]?.message}; data.points: `)).toBe(true);
    expect(describeIssues(r.error, "").split("; ")[0]).toBe(`lotId: ${r.error.issues[0]?.message}`);
  });

  it("a nested path is written with dots", () => {
    const r = parseEventData("PointsRedeemed", { allocations: [{ lotId: UUID, points: -1 }] });
    if (r.success) throw new Error("parsed");
    expect(describeIssues(r.error, "data")).toMatch(/data\.allocations\.0\.points: /);
  });
});

describe("2 parseCommandId", () => {
  it.each<[string, ReturnType<typeof parseCommandId>]>([
    ["sweep:2011-01-01T00:00:00.000Z", { kind: "sweep" }],
    ["sweep:2011-02-30T00:00:00.000Z", undefined],
    ["sweep:2011-01-01T00:00:00Z", undefined],
    ["xsweep:2011-01-01T00:00:00.000Z", undefined],
    ["sweep:2011-01-01T00:00:00.000Zx", undefined],
    ["publish:p-1:3", { kind: "publish", programId: "p-1", version: 3 }],
    ["publish:A:12", { kind: "publish", programId: "A", version: 12 }],
    ["publish:p:0", undefined],
    ["publish:p:03", undefined],
    ["publish:-p:1", undefined],
    ["publish:p:1x", undefined],
    ["xpublish:p:1", undefined],
    [`publish:${"p".repeat(128)}:1`, { kind: "publish", programId: "p".repeat(128), version: 1 }],
    [`publish:${"p".repeat(129)}:1`, undefined],
    ["claim:ann/r-1", { kind: "claim", memberId: "ann", redemptionId: "r-1" }],
    ["claim:ann/r/1", undefined],
    ["claim:-a/r", undefined],
    ["claim:a/-r", undefined],
    ["claim:/r", undefined],
    ["claim:a/", undefined],
    ["xclaim:a/r", undefined],
    [
      "message-sent:birthday 2011/ann\nsecond line",
      { kind: "message-sent", id: "birthday 2011/ann\nsecond line" },
    ],
    ["message-sent:", undefined],
    ["xmessage-sent:k", undefined],
    ["join:ann", { kind: "join", id: "ann" }],
    ["reverse-redemption:r.1", { kind: "reverse-redemption", id: "r.1" }],
    ["forget:a", { kind: "forget", id: "a" }],
    ["use-coupon:c", { kind: "use-coupon", id: "c" }],
    ["purchase:p 1", undefined],
    ["purchase:", undefined],
    ["xjoin:a", undefined],
    ["nope:a", undefined],
    ["join", undefined],
  ])("%s", (commandId, ref) => {
    expect(parseCommandId(commandId)).toEqual(ref);
  });
});

describe("spec 1 times as the audit reads them", () => {
  it("1 isTimeOut is parseTime's verdict on a UTC ISO time with milliseconds", () => {
    const digits = (n: number) => fc.array(fc.constantFrom(..."0123456789"), { minLength: n, maxLength: n });
    const near = fc.constantFrom("0000", "0001", "1900", "2000", "2023", "2024", "9999");
    fc.assert(
      fc.property(
        fc.oneof(
          near,
          digits(4).map((d) => d.join("")),
        ),
        fc.array(
          fc.oneof(
            fc.constantFrom("00", "01", "02", "12", "13", "23", "24", "28", "29", "30", "31", "59", "60"),
            digits(2).map((d) => d.join("")),
          ),
          { minLength: 5, maxLength: 5 },
        ),
        (year, [mo, d, h, mi, s]) => {
          const text = `${year}-${mo}-${d}T${h}:${mi}:${s}.123Z`;
          expect(isTimeOut(text)).toBe(parseTime(text) !== undefined);
        },
      ),
      { numRuns: 5000 },
    );
    expect(isTimeOut("2024-02-29T00:00:00.000Z")).toBe(true);
    expect(isTimeOut("2023-02-29T00:00:00.000Z")).toBe(false);
    for (const year of ["0000", "1900", "2000", "2100", "2400"]) {
      const text = `${year}-02-29T00:00:00.000Z`;
      expect(isTimeOut(text)).toBe(parseTime(text) !== undefined);
    }
    expect(isTimeOut("2024-02-29T00:00:00Z")).toBe(false);
  });
});
