import { describe, expect, it } from "vitest";
import { flattenRow, render, renderCsv, renderTable } from "./output-format.js";

const balances = [
  { memberId: "ava", available: 806, tier: "silver", tierSince: "2011-05-10T00:00:00.000Z" },
  { memberId: "ben, jr", available: 0, tier: "bronze", tierSince: "2011-01-05T10:00:00.000Z" },
];
const liability = {
  asOf: "2011-05-15T00:00:00.000Z",
  points: 1011,
  value: "10.11",
  buckets: { le30: { points: 966, value: "9.66" }, never: { points: 0, value: "0" } },
};

describe("8 output formats", () => {
  it("json is the spec shape, pretty-printed, ending in a newline", () => {
    const text = render(balances, "json");
    expect(JSON.parse(text)).toEqual(balances);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("csv has a header row and one row per array item, quoting where needed", () => {
    expect(renderCsv(balances)).toBe(
      'memberId,available,tier,tierSince\nava,806,silver,2011-05-10T00:00:00.000Z\n"ben, jr",0,bronze,2011-01-05T10:00:00.000Z\n',
    );
  });

  it("csv writes money as the plain decimal string, never a float", () => {
    const csv = renderCsv({ revenue: "1234567890123.12345678", rate: 0.5 });
    expect(csv).toBe("revenue,rate\n1234567890123.12345678,0.5\n");
  });

  it("csv flattens nested objects into dotted columns of one row", () => {
    expect(renderCsv(liability)).toBe(
      "asOf,points,value,buckets.le30.points,buckets.le30.value,buckets.never.points,buckets.never.value\n" +
        "2011-05-15T00:00:00.000Z,1011,10.11,966,9.66,0,0\n",
    );
  });

  it("csv of an empty array is empty", () => {
    expect(renderCsv([])).toBe("");
  });

  it("flattenRow keeps arrays as JSON text", () => {
    expect(flattenRow({ a: [1, 2], b: { c: null } })).toEqual({ a: "[1,2]", "b.c": null });
  });

  it("table aligns columns: every row has the header's width and numbers are right-aligned", () => {
    const lines = renderTable(balances).trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^memberId\s+available\s+tier\s+tierSince/);
    const availableEnd = (lines[0] ?? "").indexOf("available") + "available".length;
    expect(lines[1]?.slice(0, availableEnd).endsWith("806")).toBe(true);
    expect(lines[2]?.slice(0, availableEnd).endsWith("0")).toBe(true);
    const tierAt = (lines[0] ?? "").indexOf("tier ");
    expect(lines[1]?.slice(tierAt).startsWith("silver")).toBe(true);
    expect(lines[2]?.slice(tierAt).startsWith("bronze")).toBe(true);
  });

  it("table keeps an id column left-aligned even when its ids are digits", () => {
    const lines = renderTable([
      { memberId: "7", points: 5 },
      { memberId: "12346", points: 100 },
    ]).split("\n");
    expect(lines[1]).toMatch(/^7\s+5$/);
    expect(lines[2]).toMatch(/^12346\s+100$/);
  });

  it("table of an object lists one field per line", () => {
    const lines = renderTable(liability).trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^asOf\s+2011-05-15T00:00:00.000Z$/);
    expect(lines[3]).toMatch(/^buckets\.le30\.points\s+966$/);
  });

  it("table of an empty array says so", () => {
    expect(renderTable([])).toBe("(no rows)\n");
  });
});
