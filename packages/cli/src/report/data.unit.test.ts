import { createReadStream } from "node:fs";
import type { StoredEvent } from "@vafa/core";
import { balancesAsOf, kpis, rollforward } from "@vafa/projections";
import { describe, expect, it } from "vitest";
import { readLines } from "../lines.js";
import { buildReportData, projectEvents } from "./data.js";

async function* exportEvents(path: string): AsyncGenerator<StoredEvent> {
  let position = 0n;
  for await (const { text } of readLines(createReadStream(path))) {
    position += 1n;
    yield { ...(JSON.parse(text) as StoredEvent), position };
  }
}

const CLEAN = { ok: true, streams: 0, events: 0, findings: [] };

describe("8 report data from the projections", () => {
  it("gregorian vectors: spec 6 results as of T, 12 months ending at T, tiers counted from balances", async () => {
    const projected = await projectEvents(exportEvents("fixtures/vectors/gregorian/expected-events.ndjson"));
    const asOf = "2011-05-15T00:00:00.000Z";
    const data = buildReportData({
      projected,
      audit: CLEAN,
      asOf,
      lang: "en",
      generatedAt: "2026-01-01T00:00:00.000Z",
    });
    expect(data).toMatchObject({
      programId: "vectors-gbp",
      programVersion: 1,
      currency: "GBP",
      calendar: "gregorian",
    });
    expect(data.balances).toEqual(balancesAsOf(projected.ledger, asOf));
    expect(data.monthlyCalendar).toBe("gregorian");
    expect(data.monthly.map((m) => m.month)).toEqual([
      "2010-06",
      "2010-07",
      "2010-08",
      "2010-09",
      "2010-10",
      "2010-11",
      "2010-12",
      "2011-01",
      "2011-02",
      "2011-03",
      "2011-04",
      "2011-05",
    ]);
    const from = "2010-06-01T00:00:00.000Z";
    expect(data.kpis).toEqual(kpis(projected.ledger, from, asOf));
    expect(data.rollforward).toEqual(rollforward(projected.ledger, from, asOf));
    // The months add up to the period's roll-forward.
    const sum = (key: "earned" | "redeemed" | "expired") => data.monthly.reduce((s, m) => s + m[key], 0);
    expect(sum("earned")).toBe(data.rollforward.earned);
    expect(sum("redeemed")).toBe(data.rollforward.redeemed);
    expect(sum("expired")).toBe(data.rollforward.expired);
    expect(data.tiers).toEqual([
      { id: "bronze", members: 3 },
      { id: "silver", members: 1 },
      { id: "gold", members: 0 },
    ]);
    expect(data.audit).toBe(CLEAN);
  });

  it("jalali program (or --lang fa): months are Jalali", async () => {
    const projected = await projectEvents(exportEvents("fixtures/vectors/jalali/expected-events.ndjson"));
    const data = buildReportData({
      projected,
      audit: CLEAN,
      asOf: "2012-04-01T00:00:00.000Z",
      lang: "en",
      generatedAt: "x",
    });
    expect(data.currency).toBe("IRR");
    expect(data.monthlyCalendar).toBe("jalali");
    expect(data.monthly.at(-1)?.month).toBe("1391-01");
    expect(data.monthly[0]?.month).toBe("1390-02");
  });
});
