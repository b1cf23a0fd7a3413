import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ConvertedCommand,
  ConvertInputError,
  type ConvertRejection,
  type ConvertSummary,
  convertCsv,
} from "./convert-csv.js";
import { type CsvMapping, parseMapping } from "./mapping.js";
import { Exact } from "./row-rules.js";

// The rows-to-commands rules of `vafa convert csv` (docs/analyst-guide.md), on
// small CSV texts. Command shapes: spec 5 (join, purchase, refund).

const retailLike = (patch: Record<string, unknown> = {}): CsvMapping =>
  parseMapping(
    {
      columns: {
        member: "CustomerID",
        time: "InvoiceDate",
        invoice: "InvoiceNo",
        quantity: "Quantity",
        unitPrice: "UnitPrice",
      },
      memberId: "integer",
      time: { format: "yyyy-MM-dd HH:mm:ss" },
      refunds: { marker: "invoice-prefix", prefix: "C" },
      ...patch,
    },
    "test mapping",
  );

const HEADER = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID";

interface Converted {
  commands: ConvertedCommand[];
  rejects: ConvertRejection[];
  summary: ConvertSummary;
}

const convert = async (text: string | Buffer, mapping: CsvMapping): Promise<Converted> => {
  const commands: ConvertedCommand[] = [];
  const rejects: ConvertRejection[] = [];
  const input = Readable.from([typeof text === "string" ? Buffer.from(text) : text]);
  const summary = await convertCsv(input, mapping, {
    command: (c) => {
      commands.push(c);
    },
    reject: (r) => {
      rejects.push(r);
    },
  });
  return { commands, rejects, summary };
};

const csv = (...rows: string[]) => `${[HEADER, ...rows].join("\n")}\n`;

describe("vafa convert csv: rows to commands", () => {
  it("5 the lines of an invoice are one purchase (exact sum); a join comes before a member's first purchase", async () => {
    const r = await convert(
      csv(
        "536365,85123A,6,2010-12-01 08:26:00,2.55,17850.0",
        "536365,71053,6,2010-12-01 08:26:00,3.39,17850.0",
        "536366,22633,6,2010-12-01 08:28:00,1.85,17850.0",
        "536367,84879,32,2010-12-01 08:34:00,1.69,13047.0",
      ),
      retailLike(),
    );
    expect(r.commands).toEqual([
      { type: "join", memberId: "17850", at: "2010-12-01T08:26:00Z", kind: "person" },
      {
        type: "purchase",
        memberId: "17850",
        at: "2010-12-01T08:26:00Z",
        purchaseId: "536365",
        amount: "35.64",
      },
      {
        type: "purchase",
        memberId: "17850",
        at: "2010-12-01T08:28:00Z",
        purchaseId: "536366",
        amount: "11.1",
      },
      { type: "join", memberId: "13047", at: "2010-12-01T08:34:00Z", kind: "person" },
      {
        type: "purchase",
        memberId: "13047",
        at: "2010-12-01T08:34:00Z",
        purchaseId: "536367",
        amount: "54.08",
      },
    ]);
    expect(r.rejects).toEqual([]);
    expect(r.summary).toMatchObject({
      rows: 4,
      accepted: 4,
      rejected: 0,
      commands: 5,
      joins: 2,
      purchases: 3,
    });
  });

  it("bad rows are rejected with their line numbers and reasons; the rest goes on", async () => {
    const r = await convert(
      csv(
        "536365,85123A,6,2010-12-01 08:26:00,2.55,17850.0", // line 2
        "536366,85123A,6,2010-12-01 08:27:00,2.55,", // 3: anonymous
        "536367,85123A,six,2010-12-01 08:28:00,2.55,17850.0", // 4: bad number
        "536368,85123A,6,2010-13-01 08:29:00,2.55,17850.0", // 5: bad time
        "536369,85123A,6,2010-12-01 08:30:00,0,17850.0", // 6: zero invoice
        "536370,85123A,6,2010-12-01 08:31:00,2.55", // 7: a field short
        ",85123A,6,2010-12-01 08:32:00,2.55,17850.0", // 8: no invoice
        "536371,85123A,6,2010-12-01 08:33:00,2.55,17850.5", // 9: not an integer id
        "536365,85123A,1,2010-12-01 08:26:00,1,12345.0", // 10: another member's invoice
        "536372,85123A,1,2010-12-01 08:34:00,-5,17850.0", // 11: negative purchase
        "536373,85123A,1,2010-12-01 08:35:00,1.5,17850.0", // 12
      ),
      retailLike(),
    );
    expect(r.rejects.map((x) => [x.line, x.code])).toEqual([
      [3, "MISSING_MEMBER"],
      [4, "BAD_NUMBER"],
      [5, "BAD_TIME"],
      [7, "COLUMN_COUNT"],
      [8, "MISSING_INVOICE"],
      [9, "BAD_MEMBER_ID"],
      [10, "MEMBER_MISMATCH"],
      [6, "ZERO_AMOUNT"],
      [11, "NEGATIVE_AMOUNT"],
    ]);
    expect(r.rejects.find((x) => x.line === 4)?.message).toBe(
      'the quantity "six" is not a number (decimal separator ".")',
    );
    expect(r.rejects.find((x) => x.line === 10)?.message).toBe(
      "invoice 536365 is member 17850's (line 2), this row names member 12345",
    );
    expect(r.commands.filter((c) => c.type === "purchase").map((c) => c.purchaseId)).toEqual([
      "536365",
      "536373",
    ]);
    expect(r.summary).toMatchObject({ rows: 11, accepted: 2, rejected: 9 });
    expect(r.summary.rejectedByCode).toMatchObject({ MISSING_MEMBER: 1, ZERO_AMOUNT: 1 });
  });

  it("a CSV quoting error rejects that row (CSV_ERROR) and the next rows are read", async () => {
    const r = await convert(
      csv(
        "536365,85123A,6,2010-12-01 08:26:00,2.55,17850.0",
        '536366,"85123A,6,2010-12-01 08:27:00,2.55,17850.0',
        "536367,85123A,1,2010-12-01 08:28:00,2,17850.0",
      ),
      retailLike(),
    );
    expect(r.rejects.map((x) => x.code)).toContain("CSV_ERROR");
    expect(r.commands.filter((c) => c.type === "purchase").map((c) => c.purchaseId)).toContain("536365");
    expect(r.summary.accepted + r.summary.rejected).toBe(r.summary.rows);
  });

  it("an invoice whose lines are apart is still one purchase, dated at its earliest line", async () => {
    const r = await convert(
      csv(
        "536365,A,1,2010-12-01 08:27:00,10,17850.0",
        "536366,B,1,2010-12-01 08:28:00,5,17850.0",
        "536365,C,1,2010-12-01 08:26:00,2.5,17850.0",
      ),
      retailLike(),
    );
    expect(r.commands.slice(1)).toEqual([
      {
        type: "purchase",
        memberId: "17850",
        at: "2010-12-01T08:26:00Z",
        purchaseId: "536365",
        amount: "12.5",
      },
      { type: "purchase", memberId: "17850", at: "2010-12-01T08:28:00Z", purchaseId: "536366", amount: "5" },
    ]);
  });

  it("5.3 a cancellation refunds an earlier purchase; spread when no single one has enough; else REFUND_UNMATCHED", async () => {
    const r = await convert(
      csv(
        "C536000,A,-1,2010-12-01 08:00:00,5,17850.0", // 2: nothing bought yet
        "536365,A,10,2010-12-01 08:26:00,10,17850.0", // 3: 100
        "536366,A,3,2010-12-01 08:28:00,10,17850.0", // 4: 30
        "C536379,A,-2,2010-12-01 09:41:00,10,17850.0", // 5: 20 of 536366
        "C536380,A,-10,2010-12-01 09:42:00,10.5,17850.0", // 6: 10 of 536366 + 95 of 536365
        "C536381,A,-3,2010-12-01 09:43:00,10,17850.0", // 7: 5 left, 30 asked
      ),
      retailLike(),
    );
    expect(r.commands.filter((c) => c.type === "refund")).toEqual([
      {
        type: "refund",
        memberId: "17850",
        at: "2010-12-01T09:41:00Z",
        purchaseId: "536366",
        refundId: "C536379",
        amount: "20",
      },
      {
        type: "refund",
        memberId: "17850",
        at: "2010-12-01T09:42:00Z",
        purchaseId: "536366",
        refundId: "C536380",
        amount: "10",
      },
      {
        type: "refund",
        memberId: "17850",
        at: "2010-12-01T09:42:00Z",
        purchaseId: "536365",
        refundId: "C536380.2",
        amount: "95",
      },
    ]);
    expect(r.rejects.map((x) => [x.line, x.code])).toEqual([
      [2, "REFUND_UNMATCHED"],
      [7, "REFUND_UNMATCHED"],
    ]);
    expect(r.rejects[1]?.message).toBe(
      "refund invoice C536381 of 30: member 17850's earlier purchases have only 5 left to refund in all, not 30; it is left out",
    );
    // No join for a member whose only line is an unmatched refund.
    expect(r.commands.filter((c) => c.type === "join")).toHaveLength(1);
  });

  it("refunds marked by a negative amount, and a column naming the refunded purchase", async () => {
    const mapping = parseMapping(
      {
        csv: { delimiter: ";" },
        columns: { member: "member", time: "day", invoice: "order", amount: "total", refundOf: "of" },
        time: { format: "dd.MM.yyyy", zone: "Europe/Berlin", timeOfDay: "12:00" },
        numbers: { decimalSeparator: ",", thousandsSeparator: "." },
        refunds: { marker: "negative" },
      },
      "m",
    );
    const r = await convert(
      "member;day;order;total;of\nm1;01.06.2011;o1;1.234,50;\nm1;02.06.2011;o2;10;\nm1;03.06.2011;r1;-34,5;o1\n",
      mapping,
    );
    expect(r.commands).toEqual([
      { type: "join", memberId: "m1", at: "2011-06-01T10:00:00Z", kind: "person" },
      { type: "purchase", memberId: "m1", at: "2011-06-01T10:00:00Z", purchaseId: "o1", amount: "1234.5" },
      { type: "purchase", memberId: "m1", at: "2011-06-02T10:00:00Z", purchaseId: "o2", amount: "10" },
      {
        type: "refund",
        memberId: "m1",
        at: "2011-06-03T10:00:00Z",
        purchaseId: "o1",
        refundId: "r1",
        amount: "34.5",
      },
    ]);
  });

  it("without an invoice column each row is a purchase <member>-<day>-<n>; whitespace columns; CRLF; positions", async () => {
    const mapping = parseMapping(
      {
        csv: { delimiter: "whitespace", header: false },
        columns: { member: 1, time: 2, amount: 4 },
        memberId: "integer",
        time: { format: "yyyyMMdd", timeOfDay: "12:00" },
      },
      "m",
    );
    const r = await convert(
      " 00001 19970101  1   11.77\r\n 00001 19970101  5   77.00\r\n\r\n 00002 19970102 2 0.00\r\n",
      mapping,
    );
    expect(r.commands).toEqual([
      { type: "join", memberId: "1", at: "1997-01-01T12:00:00Z", kind: "person" },
      {
        type: "purchase",
        memberId: "1",
        at: "1997-01-01T12:00:00Z",
        purchaseId: "1-19970101-1",
        amount: "11.77",
      },
      {
        type: "purchase",
        memberId: "1",
        at: "1997-01-01T12:00:00Z",
        purchaseId: "1-19970101-2",
        amount: "77",
      },
    ]);
    expect(r.rejects).toEqual([
      { line: 4, code: "ZERO_AMOUNT", message: "the row has the amount 0: nothing was bought" },
    ]);
  });

  it("a sku column gives items (lines that cannot be items still count in the amount)", async () => {
    const r = await convert(
      csv(
        "536365,85123A,6,2010-12-01 08:26:00,2.55,17850.0",
        "536365,POST,1.5,2010-12-01 08:26:00,2,17850.0",
      ),
      retailLike({
        columns: {
          member: "CustomerID",
          time: "InvoiceDate",
          invoice: "InvoiceNo",
          quantity: "Quantity",
          unitPrice: "UnitPrice",
          sku: "StockCode",
        },
      }),
    );
    expect(r.commands[1]).toEqual({
      type: "purchase",
      memberId: "17850",
      at: "2010-12-01T08:26:00Z",
      purchaseId: "536365",
      amount: "18.3",
      items: [{ sku: "85123A", quantity: 6, unitPrice: "2.55" }],
    });
  });

  it("gzip is read transparently", async () => {
    const text = csv("536365,85123A,6,2010-12-01 08:26:00,2.55,17850.0");
    const plain = await convert(text, retailLike());
    const zipped = await convert(gzipSync(text), retailLike());
    expect(zipped).toEqual(plain);
  });

  it("a column the mapping names but the header lacks, or no header at all, stops before anything is converted", async () => {
    await expect(convert("a,b,c\n1,2,3\n", retailLike())).rejects.toThrow(ConvertInputError);
    await expect(convert("a,b,c\n1,2,3\n", retailLike())).rejects.toThrow(
      /mapping columns\.member: no column "CustomerID" in the header of the input; the header has \["a","b","c"\]/,
    );
    await expect(convert("", retailLike())).rejects.toThrow(/has no header row/);
    await expect(convert(Buffer.from([0x1f, 0x8b, 1, 2, 3]), retailLike())).rejects.toThrow(
      /cannot be read to the end/,
    );
  });
});

describe("vafa convert csv: invariants (property)", () => {
  const row = fc.record({
    invoice: fc.integer({ min: 1, max: 12 }),
    cancel: fc.boolean(),
    member: fc.constantFrom("1", "2", "3", ""),
    minute: fc.integer({ min: 0, max: 59 }),
    quantity: fc.integer({ min: -5, max: 20 }),
    priceCents: fc.integer({ min: 0, max: 5000 }),
    bad: fc.constantFrom("", "", "", "", "", "", "time", "number"),
  });

  it("purchases minus refunds = the sum of the accepted rows; every row is used or rejected once; a member's commands are in time order after its join", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), async (rows) => {
        const lines = rows.map((x) => {
          const time =
            x.bad === "time" ? "2010-12-01 8h" : `2010-12-01 10:${String(x.minute).padStart(2, "0")}:00`;
          const price = x.bad === "number" ? "n/a" : (x.priceCents / 100).toFixed(2);
          const quantity = x.cancel ? -Math.abs(x.quantity) : x.quantity;
          // The member of an invoice follows from its number, so invoices do not mix members.
          const member = x.member === "" ? "" : String(1 + (x.invoice % 3));
          return `${x.cancel ? "C" : ""}${x.invoice},S,${quantity},${time},${price},${member}`;
        });
        const r = await convert(csv(...lines), retailLike());
        const rejected = new Set(r.rejects.map((x) => x.line));
        expect(rejected.size).toBe(r.rejects.length);
        expect(r.summary.rows).toBe(rows.length);
        expect(r.summary.accepted + r.summary.rejected).toBe(rows.length);
        let csvSum = new Exact(0);
        for (const [i, line] of lines.entries()) {
          if (rejected.has(i + 2)) continue;
          const [, , q, , p] = line.split(",");
          csvSum = csvSum.plus(new Exact(q as string).times(p as string));
        }
        let converted = new Exact(0);
        const lastAt = new Map<string, string>();
        for (const c of r.commands) {
          if (c.type === "purchase") converted = converted.plus(c.amount);
          if (c.type === "refund") converted = converted.minus(c.amount);
          if (c.type === "join") expect(lastAt.has(c.memberId)).toBe(false);
          else expect(lastAt.has(c.memberId)).toBe(true);
          expect((lastAt.get(c.memberId) ?? "") <= c.at).toBe(true);
          lastAt.set(c.memberId, c.at);
        }
        expect(converted.toFixed()).toBe(csvSum.toFixed());
      }),
      { numRuns: 200 },
    );
  });
});
