import { Dec, MONEY_PATTERN } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Findings } from "./findings.js";
import { iso, isPositiveMoney, repeated, reportProblems, sum } from "./member-findings.js";
import type { AuditFinding } from "./types.js";

// Spec 8: the findings of `vafa audit --json`, in report order.

const show = (list: AuditFinding[]): string[] =>
  list.map((f) => `${f.streamId ?? "-"}@${f.revision ?? "-"} ${f.eventId ?? "-"} ${f.code} ${f.message}`);

describe("8 Findings", () => {
  it("at keeps where the finding points; unplaced has no stream nor revision, and an eventId only when given", () => {
    const f = new Findings();
    f.at({ streamId: "member-a", revision: 3, eventId: "e-3" }, "OVERDRAW", "m1");
    f.unplaced("SCHEMA", "m2");
    f.unplaced("SCHEMA", "m3", "e-9");
    expect(f.list).toEqual([
      { streamId: "member-a", revision: 3, eventId: "e-3", code: "OVERDRAW", message: "m1" },
      { streamId: null, revision: null, eventId: null, code: "SCHEMA", message: "m2" },
      { streamId: null, revision: null, eventId: "e-9", code: "SCHEMA", message: "m3" },
    ]);
  });

  it("sorts by stream id in code units (unplaced first), then revision (none first), then the order found", () => {
    const f = new Findings();
    const at = (streamId: string, revision: number | null, message: string) =>
      f.at({ streamId, revision, eventId: null }, "SCHEMA", message);
    at("member-b", 2, "1");
    at("member-a", 10, "2");
    f.unplaced("SCHEMA", "3");
    at("member-B", 5, "4");
    at("member-a", 9, "5");
    at("member-a", 0, "6");
    at("member-a", null, "7");
    at("member-b", 2, "8");
    f.unplaced("SCHEMA", "9");
    at("member-a", 10, "10");
    at("member-b", 1, "11");
    at("member-a", 0, "12");
    expect(show(f.sorted()).map((s) => s.replace(/ - SCHEMA/, ""))).toEqual([
      "-@- 3",
      "-@- 9",
      "member-B@5 4",
      "member-a@- 7",
      "member-a@0 6",
      "member-a@0 12",
      "member-a@9 5",
      "member-a@10 2",
      "member-a@10 10",
      "member-b@1 11",
      "member-b@2 1",
      "member-b@2 8",
    ]);
    // Sorting reports; it does not reorder the list itself.
    expect(f.list[0]?.message).toBe("1");
  });

  it("sorts an unplaced finding before placed ones whichever comes first", () => {
    for (const unplacedFirst of [true, false]) {
      const f = new Findings();
      if (unplacedFirst) f.unplaced("SCHEMA", "u");
      f.at({ streamId: "a", revision: 0, eventId: null }, "SCHEMA", "p");
      if (!unplacedFirst) f.unplaced("SCHEMA", "u");
      expect(f.sorted().map((x) => x.message)).toEqual(["u", "p"]);
    }
  });
});

describe("7 member-findings helpers", () => {
  const loc = { streamId: "member-a", revision: 4, eventId: "e-4" };

  it("iso writes a time, or never", () => {
    expect(iso(null)).toBe("never");
    expect(iso(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(iso(1_300_000_000_123)).toBe("2011-03-13T07:06:40.123Z");
  });

  it("sum adds allocation points", () => {
    expect(sum([])).toBe(0);
    expect(
      sum([
        { lotId: "a", points: 5 },
        { lotId: "b", points: 7 },
      ]),
    ).toBe(12);
  });

  it("4 isPositiveMoney says what Decimal says of every amount the money schema accepts", () => {
    const digits = fc.string({
      unit: fc.constantFrom("0", "0", "0", "1", "5", "9"),
      minLength: 1,
      maxLength: 12,
    });
    const amount = fc
      .tuple(
        digits,
        fc.option(fc.string({ unit: fc.constantFrom("0", "0", "3"), minLength: 1, maxLength: 8 })),
      )
      .map(([whole, frac]) => `${whole.replace(/^0+(?=.)/, "")}${frac === null ? "" : `.${frac}`}`);
    fc.assert(
      fc.property(amount, (a) => {
        expect(MONEY_PATTERN.test(a)).toBe(true);
        expect(isPositiveMoney(a)).toBe(new Dec(a).gt(0));
      }),
      { numRuns: 2000 },
    );
    expect([isPositiveMoney("0"), isPositiveMoney("0.00000000"), isPositiveMoney("0.00000001")]).toEqual([
      false,
      false,
      true,
    ]);
  });

  it("repeated names the field and id", () => {
    const f = new Findings();
    repeated(f, loc, "purchaseId", "p-1");
    expect(show(f.list)).toEqual(["member-a@4 e-4 SCHEMA purchaseId p-1 repeats in the stream"]);
  });

  it("reportProblems: problems joined by '; ', none is no finding, a throw is a finding", () => {
    const f = new Findings();
    reportProblems(f, loc, "EARN_MISMATCH", () => []);
    reportProblems(f, loc, "EARN_MISMATCH", () => ["one", "two"]);
    reportProblems(f, loc, "TIER_MISMATCH", () => {
      throw new Error("bad tier");
    });
    reportProblems(f, loc, "TIER_MISMATCH", () => {
      throw "plain";
    });
    expect(show(f.list)).toEqual([
      "member-a@4 e-4 EARN_MISMATCH one; two",
      "member-a@4 e-4 TIER_MISMATCH could not be checked: bad tier",
      "member-a@4 e-4 TIER_MISMATCH could not be checked: plain",
    ]);
  });
});
