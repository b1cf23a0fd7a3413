import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyJson } from "./json-copy.js";

// The memory store copies events in and out with it (ledger-v1 §2: a stored event never changes).
describe("copyJson", () => {
  it("equals a JSON round trip on any JSON-like value, undefined members included", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (value) => {
        let expected: unknown;
        try {
          expected = JSON.parse(JSON.stringify(value) ?? "null");
        } catch {
          expect(() => copyJson(value)).toThrow();
          return;
        }
        const text = JSON.stringify(value);
        if (text === undefined) return;
        expect(JSON.stringify(copyJson(value))).toBe(text);
        expect(copyJson(value)).toStrictEqual(expected);
      }),
    );
  });

  it("writes -0 as 0, as JSON does", () => {
    expect(copyJson({ n: -0, a: [-0] })).toStrictEqual({ n: 0, a: [0] });
  });

  it("returns a copy: changing it leaves the original as it was", () => {
    const original = { a: [1, { b: "x" }], c: { d: null }, e: undefined, f: [undefined] };
    const copied = copyJson(original) as { a: [number, { b: string }] };
    copied.a[1].b = "changed";
    expect(original.a[1]).toEqual({ b: "x" });
    expect(copied).toStrictEqual({ a: [1, { b: "changed" }], c: { d: null }, f: [null] });
  });

  it("goes through JSON for what is not plain data (toJSON, Date, NaN, __proto__ key)", () => {
    const date = new Date(0);
    expect(copyJson({ at: date, n: Number.NaN })).toStrictEqual({ at: "1970-01-01T00:00:00.000Z", n: null });
    const proto = JSON.parse('{"__proto__": {"x": 1}}') as object;
    expect(Object.keys(copyJson(proto))).toEqual(["__proto__"]);
  });
});
