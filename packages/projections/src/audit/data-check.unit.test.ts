import { type EventType, eventDataSchemas, jcs } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadFixtureEvents } from "../testing/audit-rows.js";
import { parseEventData } from "./data-check.js";
import { describeIssues } from "./envelope-schema.js";

// Spec 4 event data as the audit parses it (spec 7 SCHEMA): the hand checks
// give what the zod schema gives, data (key order included) and messages.

const events = [
  "vectors/gregorian",
  "vectors/jalali",
  "vectors/club-gregorian",
  "vectors/club-jalali",
  "club-vectors/rewards-gregorian",
  "club-vectors/draws-gregorian",
].flatMap(loadFixtureEvents);

const same = (type: EventType, data: unknown): void => {
  const zod = eventDataSchemas[type].safeParse(data);
  const ours = parseEventData(type, data);
  expect(ours.success).toBe(zod.success);
  expect(JSON.stringify(ours.data)).toBe(JSON.stringify(zod.data));
  // The canonical text the hash is taken of (spec 2), when the check wrote it.
  if (ours.jcs !== undefined) expect(ours.jcs).toBe(jcs(data));
  // The finding's text (the audit reports the first issues).
  if (zod.error)
    expect(ours.error && describeIssues(ours.error, "data")).toBe(describeIssues(zod.error, "data"));
};

const jsonValue = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, 11, 2 ** 53, "", "x", "1.005", "a b", null, true, [], {}),
  fc.constantFrom("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "6BA7B811-9DAD-11D1-80B4-00C04FD430C8"),
  fc.constantFrom("2024-01-01T00:00:00.000Z", "2024-02-30T00:00:00.000Z", "2024-01-01T00:00:00Z"),
  fc.constantFrom({ $pii: "abc" }, [{ lotId: "6ba7b811-9dad-11d1-80b4-00c04fd430c8", points: 1 }]),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom("\ud800", 'a"b\\c\n', "\u2028", "é"),
);

/** One edit of an event's data: a key set, removed or moved, or one of an array's objects edited. */
const edit = fc.record({
  op: fc.constantFrom("set", "delete", "moveLast", "nested"),
  pick: fc.nat(),
  key: fc.oneof(fc.constantFrom("extra", "__proto__", "0"), fc.string({ maxLength: 3 })),
  value: jsonValue,
});

const applyEdit = (data: Record<string, unknown>, e: fc.RecordValue<typeof edit>): unknown => {
  const copy = structuredClone(data);
  const keys = Object.keys(copy);
  const key = keys.length > 0 && e.pick % 3 !== 0 ? (keys[e.pick % keys.length] as string) : e.key;
  if (e.op === "set") Object.defineProperty(copy, key, { value: e.value, enumerable: true, writable: true });
  else if (e.op === "delete") delete copy[key];
  else if (e.op === "moveLast") {
    const v = copy[key];
    delete copy[key];
    copy[key] = v;
  } else
    for (const v of Object.values(copy))
      if (Array.isArray(v) && typeof v[0] === "object" && v[0] !== null)
        return { ...copy, [key]: v.map((x, i) => (i === 0 ? applyEdit(x, { ...e, op: "set" }) : x)) };
  return copy;
};

describe("spec 4 event data: the audit's checks = the zod schemas", () => {
  it("4 every event of the golden and club vectors parses to the same data", () => {
    expect(events.length).toBeGreaterThan(100);
    let written = 0;
    for (const e of events) {
      same(e.type as EventType, e.data);
      if (parseEventData(e.type as EventType, e.data).jcs !== undefined) written++;
    }
    expect(written).toBeGreaterThan(events.length / 2);
  });

  it("4 edited data: same success, same data, same issues", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), (n, edits) => {
        const e = events[n % events.length] as (typeof events)[number];
        let data: unknown = e.data;
        for (const x of edits) data = applyEdit(data as Record<string, unknown>, x);
        same(e.type as EventType, data);
      }),
      { numRuns: 3000 },
    );
  });

  it("4 data that is not a plain object goes to zod", () => {
    for (const data of [null, [], "x", 1, Object.create(null), new Date(0)]) same("PointsExpired", data);
  });
});
