import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Exact, readInvoiceId, readMemberId, readNumber } from "./row-rules.js";

const dot = { decimalSeparator: ".", thousandsSeparator: "" } as const;
const comma = { decimalSeparator: ",", thousandsSeparator: "." } as const;
const value = (r: ReturnType<typeof readNumber>) => ("value" in r ? r.value.toFixed() : r.code);

describe("vafa convert csv: the values of a row", () => {
  it("numbers: exact, with the mapping's separators; anything else is BAD_NUMBER", () => {
    expect(value(readNumber("2.55", dot, "x"))).toBe("2.55");
    expect(value(readNumber(" -12 ", dot, "x"))).toBe("-12");
    expect(value(readNumber(".5", dot, "x"))).toBe("0.5");
    expect(value(readNumber("1.234,56", comma, "x"))).toBe("1234.56");
    expect(value(readNumber("0,1", comma, "x"))).toBe("0.1");
    for (const bad of ["", "abc", "1e5", "NaN", "1.2.3", "--1", "1,5"])
      expect(value(readNumber(bad, dot, "the unit price"))).toBe("BAD_NUMBER");
    expect(readNumber("", dot, "the unit price")).toEqual({
      code: "BAD_NUMBER",
      message: "the unit price is empty",
    });
  });

  it("numbers written with any separators read back exactly (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(
          { decimalSeparator: ".", thousandsSeparator: "" },
          { decimalSeparator: ".", thousandsSeparator: "," },
          { decimalSeparator: ",", thousandsSeparator: "." },
          { decimalSeparator: ",", thousandsSeparator: " " },
        ) as fc.Arbitrary<{ decimalSeparator: "." | ","; thousandsSeparator: "" | "," | "." | " " }>,
        (units, scale, numbers) => {
          const exact = new Exact(units.toString()).div(new Exact(10).pow(scale));
          const [whole = "0", fraction] = exact.abs().toFixed(scale).split(".");
          const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, numbers.thousandsSeparator);
          const text = `${exact.isNeg() ? "-" : ""}${grouped}${fraction ? numbers.decimalSeparator + fraction : ""}`;
          const r = readNumber(text, numbers, "x");
          expect("value" in r && r.value.eq(exact)).toBe(true);
        },
      ),
    );
  });

  it('member ids: as written, or "integer" ("17850.0" and "00017" are 17850 and 17)', () => {
    expect(readMemberId(" 17850.0 ", "integer")).toEqual({ value: "17850" });
    expect(readMemberId("00001", "integer")).toEqual({ value: "1" });
    expect(readMemberId("0", "integer")).toEqual({ value: "0" });
    expect(readMemberId("17850.5", "integer")).toMatchObject({ code: "BAD_MEMBER_ID" });
    expect(readMemberId("A-17", "text")).toEqual({ value: "A-17" });
    expect(readMemberId("Ana María", "text")).toMatchObject({ code: "BAD_MEMBER_ID" });
    expect(readMemberId("  ", "text")).toMatchObject({ code: "MISSING_MEMBER" });
    expect(readInvoiceId("C536379")).toEqual({ value: "C536379" });
    expect(readInvoiceId("")).toMatchObject({ code: "MISSING_INVOICE" });
    expect(readInvoiceId("#12")).toMatchObject({ code: "BAD_INVOICE_ID" });
  });
});
