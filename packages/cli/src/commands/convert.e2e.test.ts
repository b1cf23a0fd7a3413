import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, ndjson, readNdjson, tempDir } from "../testing/files.js";
import { cliEntry, ROOT, vafa } from "../testing/vafa.js";

// `vafa convert csv` then `vafa import`, as an analyst runs them
// (docs/analyst-guide.md), on the raw-row samples of the two real data sets
// (fixtures/online-retail/ATTRIBUTION.md, fixtures/cdnow/ATTRIBUTION.md).
const mapping = (name: string) => join(ROOT, "docs/mappings", `${name}.json`);

beforeAll(async () => {
  await cliEntry();
}, 300_000);

describe("8 vafa convert csv", () => {
  const work = tempDir("convert");

  for (const [name, sample] of [
    ["online-retail", "online-retail/sample-rows.csv.gz"],
    ["cdnow", "cdnow/sample-rows.txt"],
  ] as const)
    it(`${name}: the sample converts with the documented mapping and imports with no rejection`, async () => {
      const out = join(work, `${name}.ndjson`);
      const rejects = join(work, `${name}-rejects.ndjson`);
      const c = await vafa([
        "convert",
        "csv",
        "--mapping",
        mapping(name),
        fixture(sample),
        "--out",
        out,
        "--rejects",
        rejects,
        "--json",
      ]);
      const summary = JSON.parse(c.stdout);
      expect(c.stderr).toBe("");
      expect(summary.accepted + summary.rejected).toBe(summary.rows);
      expect(readNdjson(rejects)).toHaveLength(summary.rejected);
      expect(c.code).toBe(summary.rejected > 0 ? 3 : 0);
      const commands = readNdjson(out);
      expect(commands).toHaveLength(summary.commands);
      expect(summary.purchases).toBeGreaterThan(50);
      if (name === "online-retail") expect(summary.refunds).toBeGreaterThan(0);

      const i = await vafa([
        "import",
        "--program",
        fixture(`${name}/program.json`),
        "--store",
        "memory:",
        "--json",
        out,
      ]);
      expect(JSON.parse(i.stdout)).toMatchObject({ accepted: commands.length, rejected: 0 });
      expect(i.code).toBe(0);
    });

  it("piped: convert's stdout is import's stdin; the summary goes to stderr", async () => {
    const c = await vafa(["convert", "csv", "--mapping", mapping("cdnow"), fixture("cdnow/sample-rows.txt")]);
    expect(c.code).toBe(3); // one row of the sample is worth $0
    expect(c.stderr).toMatch(
      /^converted 1600 rows: 1599 used, 1 rejected; \d+ commands \(\d+ joins, 1599 purchases, 0 refunds\)\n/,
    );
    expect(c.stderr).toContain(
      "  1 ZERO_AMOUNT, first at line 1550: the row has the amount 0: nothing was bought\n",
    );
    expect(c.stderr).toContain("list every rejected row with --rejects <file>");
    const i = await vafa(
      ["import", "--program", fixture("cdnow/program.json"), "--store", "memory:", "--json", "-"],
      { stdin: c.stdout },
    );
    expect(JSON.parse(i.stdout)).toMatchObject({ accepted: ndjson(c.stdout).length, rejected: 0 });
  });

  it("bad rows are reported with their line numbers and reasons, and the rest is converted", async () => {
    const input = join(work, "shop.csv");
    writeFileSync(
      input,
      [
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        "1001,A,Mug,2,2011-05-01 10:00:00,4.50,17850.0,United Kingdom",
        "1002,A,Mug,1,2011-05-01 10:05:00,4.50,,United Kingdom",
        "1003,A,Mug,two,2011-05-01 10:06:00,4.50,17850.0,United Kingdom",
        "1004,A,Mug,1,2011-05-01 25:00:00,4.50,17850.0,United Kingdom",
        '1005,A,"Mug, large",1,2011-05-02 09:00:00,6,12346.0,United Kingdom',
        "C1006,A,Mug,-1,2011-05-02 09:30:00,4.50,17850.0,United Kingdom",
        "C1007,A,Mug,-1,2011-05-02 09:31:00,4.50,99999.0,United Kingdom",
        "",
      ].join("\r\n"),
    );
    const rejects = join(work, "shop-rejects.ndjson");
    const out = join(work, "shop.ndjson");
    const c = await vafa([
      "convert",
      "csv",
      "--mapping",
      mapping("online-retail"),
      input,
      "--out",
      out,
      "--rejects",
      rejects,
    ]);
    expect(c.code).toBe(3);
    expect(readNdjson(rejects)).toEqual([
      { line: 3, code: "MISSING_MEMBER", message: "the member column is empty (an anonymous sale?)" },
      { line: 4, code: "BAD_NUMBER", message: 'the quantity "two" is not a number (decimal separator ".")' },
      {
        line: 5,
        code: "BAD_TIME",
        message: '"2011-05-01 25:00:00" does not match the time format "yyyy-MM-dd HH:mm:ss"',
      },
      {
        line: 8,
        code: "REFUND_UNMATCHED",
        message:
          "refund invoice C1007 of 4.5: member 99999 has no earlier purchase in the file with money left to refund; it is left out",
      },
    ]);
    expect(c.stderr).toContain(`every rejected row is in ${rejects}`);
    expect(readFileSync(out, "utf8")).toBe(
      [
        '{"type":"join","memberId":"17850","at":"2011-05-01T10:00:00Z","kind":"person"}',
        '{"type":"purchase","memberId":"17850","at":"2011-05-01T10:00:00Z","purchaseId":"1001","amount":"9"}',
        '{"type":"join","memberId":"12346","at":"2011-05-02T09:00:00Z","kind":"person"}',
        '{"type":"purchase","memberId":"12346","at":"2011-05-02T09:00:00Z","purchaseId":"1005","amount":"6"}',
        '{"type":"refund","memberId":"17850","at":"2011-05-02T09:30:00Z","purchaseId":"1001","refundId":"C1006","amount":"4.5"}',
        "",
      ].join("\n"),
    );
  });

  it("usage: a bad mapping names its field; --json needs --out; a missing input; a missing column (exit 2)", async () => {
    const bad = join(work, "bad-mapping.json");
    writeFileSync(bad, JSON.stringify({ columns: { member: "CustomerID" }, time: { format: "yyyy" } }));
    const a = await vafa(["convert", "csv", "--mapping", bad, fixture("cdnow/sample-rows.txt")]);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(
      `vafa: mapping ${bad}: columns.time: is required: the column's header name, or its position (1 is the first); fix the mapping (docs/analyst-guide.md#the-mapping-file)\n`,
    );
    const b = await vafa([
      "convert",
      "csv",
      "--mapping",
      mapping("cdnow"),
      fixture("cdnow/sample-rows.txt"),
      "--json",
    ]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^vafa: --json prints the summary on stdout, .*give --out <commands.ndjson>\n$/);
    const c = await vafa(["convert", "csv", "--mapping", mapping("cdnow"), join(work, "nope.csv")]);
    expect(c.code).toBe(2);
    expect(c.stderr).toBe(`vafa: input ${join(work, "nope.csv")}: no such file; check the path\n`);
    const d = await vafa([
      "convert",
      "csv",
      "--mapping",
      mapping("online-retail"),
      fixture("cdnow/sample-rows.txt"),
    ]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(
      /^vafa: mapping columns\.member: no column "CustomerID" in the header of .*sample-rows\.txt; the header has \["customer_id {2}date number_of_cds {2}dollar_value"\] \(names are case-sensitive\); it is one column: is csv.delimiter "," right\?; nothing was converted\n$/,
    );
    const e = await vafa(["convert", "csv", fixture("cdnow/sample-rows.txt")]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(
      /^vafa convert csv: required option '--mapping <file>' not specified; see vafa convert csv --help\n$/,
    );
  });
});
