import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError, EXIT } from "../errors.js";
import { ROOT } from "../testing/vafa.js";
import { type CsvMapping, parseMapping } from "./mapping.js";

// The mapping file of `vafa convert csv` (docs/analyst-guide.md#the-mapping-file).
const docsMapping = (name: string): unknown =>
  JSON.parse(readFileSync(join(ROOT, "docs/mappings", `${name}.json`), "utf8"));

const minimal = {
  columns: { member: "Customer", time: "Date", amount: "Total" },
  time: { format: "yyyy-MM-dd" },
};

/** The one-line error for a mapping, as `vafa` prints it. */
const problem = (json: unknown): string => {
  try {
    parseMapping(json, "m.json");
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return (error as CliError).message;
  }
  throw new Error("the mapping was accepted");
};

const withPatch = (patch: Record<string, unknown>): unknown => ({ ...minimal, ...patch });

describe("vafa convert csv: the mapping file", () => {
  it("the documented mappings are valid", () => {
    const retail = parseMapping(docsMapping("online-retail"), "online-retail.json");
    expect(retail.refunds).toEqual({ marker: "invoice-prefix", prefix: "C" });
    expect(retail.memberId).toBe("integer");
    const cdnow = parseMapping(docsMapping("cdnow"), "cdnow.json");
    expect(cdnow.csv.delimiter).toBe("whitespace");
    expect(cdnow.time.timeOfDay).toBe("12:00");
  });

  it("fills the defaults: comma, header row, UTC, '.' decimals, no refunds, ids as written", () => {
    const m: CsvMapping = parseMapping(minimal, "m.json");
    expect(m.csv).toEqual({ delimiter: ",", header: true, quote: '"' });
    expect(m.time.zone).toBe("UTC");
    expect(m.numbers).toEqual({ decimalSeparator: ".", thousandsSeparator: "" });
    expect(m.refunds).toEqual({ marker: "none" });
    expect(m.memberId).toBe("text");
  });

  it("every error names the mapping, the field path, and what to do", () => {
    expect(problem({ time: { format: "yyyy" } })).toMatch(
      /^mapping m\.json: columns: is required; fix the mapping \(docs\/analyst-guide\.md#the-mapping-file\)$/,
    );
    expect(problem(withPatch({ columns: { time: "Date", amount: "Total" } }))).toMatch(
      /^mapping m\.json: columns\.member: is required: the column.s header name, or its position \(1 is the first\);/,
    );
    expect(problem(withPatch({ columns: { member: "C", time: "D", amount: "T", quantity: "Q" } }))).toMatch(
      /columns\.amount: give either columns\.amount or columns\.quantity with columns\.unitPrice, not both/,
    );
    expect(problem(withPatch({ columns: { member: "C", time: "D", quantity: "Q" } }))).toMatch(
      /columns\.unitPrice: give columns\.amount, or both columns\.quantity and columns\.unitPrice/,
    );
    expect(problem(withPatch({ columns: { member: "C", time: "D" } }))).toMatch(
      /columns\.amount: give columns\.amount/,
    );
    expect(problem(withPatch({ time: { format: "yyyy-MM-dd", zone: "Mars/Olympus" } }))).toMatch(
      /time\.zone: must be an IANA time zone/,
    );
    expect(problem(withPatch({ time: { format: "yyyy-MM-dd f HH" } }))).toMatch(
      /time\.format: must be "iso" or a date-fns format .*quote literal letters/,
    );
    expect(problem(withPatch({ time: { format: "yyyy-MM-dd HH:mm", timeOfDay: "12:00" } }))).toMatch(
      /time\.timeOfDay: is for dates without a time of day/,
    );
    expect(problem(withPatch({ time: { format: "yyyyMMdd", timeOfDay: "25:00" } }))).toMatch(
      /time\.timeOfDay: must be a time of day "HH:mm"/,
    );
    expect(problem(withPatch({ refunds: { marker: "invoice-prefix", prefix: "C" } }))).toMatch(
      /refunds\.marker: "invoice-prefix" reads the invoice id: give columns\.invoice/,
    );
    expect(problem(withPatch({ refunds: { marker: "sometimes" } }))).toMatch(
      /refunds\.marker: must be "none", "negative" .* or "invoice-prefix"/,
    );
    expect(problem(withPatch({ csv: { header: false } }))).toMatch(
      /columns\.member: csv\.header is false, so columns have no names: give the column's position/,
    );
    expect(problem(withPatch({ csv: { delimiter: ";;" } }))).toMatch(/csv\.delimiter: /);
    expect(problem(withPatch({ numbers: { decimalSeparator: ",", thousandsSeparator: "," } }))).toMatch(
      /numbers\.thousandsSeparator: must differ from numbers\.decimalSeparator/,
    );
    expect(problem(withPatch({ memberId: "number" }))).toMatch(/memberId: must be "text" .* or "integer"/);
    expect(problem(withPatch({ columns: { ...minimal.columns, sku: "Sku" } }))).toMatch(
      /columns\.sku: items need a quantity and a unit price/,
    );
    expect(problem(withPatch({ columns: { ...minimal.columns, refundOf: "Orig" } }))).toMatch(
      /columns\.refundOf: .*refunds\.marker is "none"/,
    );
    expect(problem(withPatch({ columns: { member: 0, time: "D", amount: "T" } }))).toMatch(
      /columns\.member: must be 1 or more: 1 is the first column/,
    );
  });

  it("unknown keys are errors (a typo never passes silently), named with their path", () => {
    expect(problem(withPatch({ colums: {} }))).toMatch(
      /^mapping m\.json: \(top level\): Unrecognized key.*colums/,
    );
    expect(problem(withPatch({ time: { format: "yyyy", zone: "UTC", tz: "x" } }))).toMatch(
      /^mapping m\.json: time: Unrecognized key.*tz/,
    );
  });

  it("positions instead of names without a header row", () => {
    const m = parseMapping(
      { csv: { header: false }, columns: { member: 1, time: 2, amount: 4 }, time: { format: "yyyyMMdd" } },
      "m.json",
    );
    expect(m.columns).toEqual({ member: 1, time: 2, amount: 4 });
  });
});
