import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jcs, jcsEventBody } from "./jcs.js";

// Spec 2: the event hash is over RFC 8785 JCS. The fast path must write the
// very text the `canonicalize` package writes, or throw where it throws.

const viaPackage = (value: unknown): { text?: string; threw: boolean } => {
  try {
    const text = canonicalize(value);
    if (text === undefined) throw new TypeError("no JSON form");
    return { text, threw: false };
  } catch {
    return { threw: true };
  }
};

const viaFast = (f: () => string): { text?: string; threw: boolean } => {
  try {
    return { text: f(), threw: false };
  } catch {
    return { threw: true };
  }
};

// Strings of any UTF-16 code units (lone surrogates too) and keys that sort differently by code unit and code point.
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom("\ud800", "a\udc00b", "\u{1f600}", "\uffff", "é", "\u0000", '"\\', "lotId", "data"),
);
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 1e21, 1e-7, 5e-324, Number.NaN, Infinity),
);
const leaf = fc.oneof(
  anyString,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(anyString, tie("value"), { maxKeys: 6 }),
    fc.constantFrom(
      new Date(0),
      new Number(3),
      new String("s"),
      Object.create(null),
      new Array(3),
      [1, undefined, 3],
      {
        toJSON: () => "x",
      },
    ),
  ),
}));

describe("2 canonical JSON (RFC 8785)", () => {
  it("2 jcs writes what canonicalize writes, for any value", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(viaFast(() => jcs(v))).toEqual(viaPackage(v));
      }),
      { numRuns: 3000 },
    );
  });

  it("2 on plain JSON data (what events carry) too", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(jcs(v)).toBe(canonicalize(v));
      }),
      { numRuns: 2000 },
    );
  });

  it("2 jcsEventBody writes the body's jcs", () => {
    fc.assert(
      fc.property(
        fc.record({
          streamId: fc.oneof(anyString, leaf),
          revision: fc.oneof(fc.nat(), leaf),
          eventId: fc.oneof(fc.uuid(), leaf),
          type: fc.oneof(anyString, leaf),
          occurredAt: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            leaf,
          ),
          data: value,
        }),
        (b) => {
          const body = {
            streamId: b.streamId,
            revision: b.revision,
            eventId: b.eventId,
            type: b.type,
            occurredAt: b.occurredAt,
            data: b.data,
          };
          expect(viaFast(() => jcsEventBody(body as never))).toEqual(viaPackage(body));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("2 nesting deeper than the fast path goes gives the same text", () => {
    let deep: unknown = { z: 1, a: [1] };
    for (let i = 0; i < 200; i++) deep = i % 2 ? { b: deep, a: i } : [deep, i];
    expect(jcs(deep)).toBe(canonicalize(deep));
  });
});
