import { describe, expect, it } from "vitest";
import { LedgerProjection } from "../ledger.js";
import { memberEvents, programEvent } from "../testing/events.js";
import { type RfmInput, SEGMENTS, scoreRfm, segmentOf } from "./rfm.js";

const input = (memberId: string, recencyDays: number, frequency: number, monetary: bigint): RfmInput => ({
  memberId,
  recencyDays,
  frequency,
  monetary: monetary * 100_000_000n,
});

describe("rfm scores and segments (spec 6)", () => {
  it("6 rfm: score = 1 + floor(5 * worse / n) over five distinct members", () => {
    const rows = scoreRfm([
      input("a", 1, 5, 500n),
      input("b", 2, 4, 400n),
      input("c", 3, 3, 300n),
      input("d", 4, 2, 200n),
      input("e", 5, 1, 100n),
    ]);
    expect(rows.map((r) => [r.memberId, r.r, r.f, r.m, r.segment])).toEqual([
      ["a", 5, 5, 5, "champions"],
      ["b", 4, 4, 4, "loyal_customers"],
      ["c", 3, 3, 3, "need_attention"],
      ["d", 2, 2, 2, "hibernating"],
      ["e", 1, 1, 1, "hibernating"],
    ]);
  });

  it("6 rfm: ties share a score", () => {
    // n = 4. Recency 10,10,20,30: worse for 10 = 2 -> 1 + floor(10/4) = 3; 20: 1 -> 2; 30: 0 -> 1.
    // Frequency 2,2,2,1: worse for 2 = 1 -> 2; for 1: 0 -> 1. Monetary all equal: worse 0 -> 1.
    const rows = scoreRfm([
      input("w", 10, 2, 50n),
      input("x", 10, 2, 50n),
      input("y", 20, 2, 50n),
      input("z", 30, 1, 50n),
    ]);
    expect(rows.map((r) => [r.r, r.f, r.m, r.segment])).toEqual([
      [3, 2, 1, "about_to_sleep"],
      [3, 2, 1, "about_to_sleep"],
      [2, 2, 1, "hibernating"],
      [1, 1, 1, "hibernating"],
    ]);
  });

  it("6 rfm: a single member scores 1 everywhere; monetary prints as plain money", () => {
    expect(scoreRfm([{ memberId: "solo", recencyDays: 0, frequency: 0, monetary: 0n }])).toEqual([
      {
        memberId: "solo",
        recencyDays: 0,
        frequency: 0,
        monetary: "0",
        r: 1,
        f: 1,
        m: 1,
        segment: "hibernating",
      },
    ]);
  });

  it("6 rfm: the segment table, cell by cell", () => {
    const table: Record<number, string[]> = {
      5: ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
      4: ["promising", "potential_loyalists", "potential_loyalists", "loyal_customers", "loyal_customers"],
      3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"],
      2: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
      1: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
    };
    for (const r of [1, 2, 3, 4, 5] as const)
      for (const f of [1, 2, 3, 4, 5] as const) expect(segmentOf(r, f)).toBe(table[r]?.[f - 1]);
    expect(new Set(Object.values(table).flat())).toEqual(new Set(SEGMENTS));
  });
});

describe("rfm from events (spec 6)", () => {
  const T = "2011-07-01T00:00:00Z";
  const build = () => {
    const p = new LedgerProjection();
    p.apply(programEvent({ rfmWindowDays: 30 }));
    // a: two purchases in the window, one fully refunded before T (does not count at all).
    for (const e of memberEvents("a", [
      ["join", "2011-01-01T00:00:00.000Z"],
      ["purchase", "2011-06-10T00:00:00.000Z", "p1", "100.50"],
      ["purchase", "2011-06-20T00:00:00.000Z", "p2", "40"],
      ["refund", "2011-06-21T00:00:00.000Z", "p2", "40"],
    ]))
      p.apply(e);
    // b: one old purchase (outside the window: frequency 0, monetary 0) partly refunded.
    for (const e of memberEvents("b", [
      ["join", "2011-01-01T00:00:00.000Z"],
      ["purchase", "2011-03-01T12:00:00.000Z", "p1", "80"],
      ["refund", "2011-03-02T00:00:00.000Z", "p1", "30.25"],
    ]))
      p.apply(e);
    // c: a prospect, and d: a purchase after T. Neither is scored.
    for (const e of memberEvents("c", [["join", "2011-01-01T00:00:00.000Z"]])) p.apply(e);
    for (const e of memberEvents("d", [
      ["join", "2011-01-01T00:00:00.000Z"],
      ["purchase", "2011-07-01T00:00:00.001Z", "p1", "10"],
    ]))
      p.apply(e);
    return p;
  };

  it("6 rfm: only purchases with positive net up to T count; window (T - windowDays, T]", () => {
    expect(build().rfmAsOf(T)).toEqual([
      {
        memberId: "a",
        recencyDays: 21,
        frequency: 1,
        monetary: "100.5",
        r: 3,
        f: 3,
        m: 3,
        segment: "need_attention",
      },
      {
        memberId: "b",
        recencyDays: 121,
        frequency: 0,
        monetary: "0",
        r: 1,
        f: 1,
        m: 1,
        segment: "hibernating",
      },
    ]);
  });

  it("6 rfm: a purchase exactly at T - windowDays is outside the window; one millisecond later is inside", () => {
    // Window (T - 30 days, T] with T = 2011-07-01: it opens just after 2011-06-01T00:00:00.000Z.
    const p = new LedgerProjection();
    p.apply(programEvent({ rfmWindowDays: 30 }));
    for (const e of memberEvents("edge", [
      ["join", "2011-01-01T00:00:00.000Z"],
      ["purchase", "2011-06-01T00:00:00.000Z", "p1", "7"],
    ]))
      p.apply(e);
    for (const e of memberEvents("inside", [
      ["join", "2011-01-01T00:00:00.000Z"],
      ["purchase", "2011-06-01T00:00:00.001Z", "p1", "5"],
    ]))
      p.apply(e);
    expect(p.rfmAsOf(T).map((r) => [r.memberId, r.recencyDays, r.frequency, r.monetary])).toEqual([
      ["edge", 30, 0, "0"],
      ["inside", 29, 1, "5"],
    ]);
    // At T itself the window's end is inclusive: a purchase at T counts.
    expect(p.rfmAsOf("2011-06-01T00:00:00Z").map((r) => [r.memberId, r.frequency])).toEqual([["edge", 1]]);
  });

  it("6 rfm: a refund after T does not count as of T", () => {
    const p = build();
    expect(p.rfmAsOf("2011-06-20T12:00:00Z").find((r) => r.memberId === "a")).toMatchObject({
      recencyDays: 0,
      frequency: 2,
      monetary: "140.5",
    });
  });
});
