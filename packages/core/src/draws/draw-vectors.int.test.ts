import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toEnvelope } from "../index.js";
import { runVector } from "../testing/vector-runner.js";

// The club vectors of fixtures/club-vectors (club spec §2, §3): summary, rejections
// by line and code, and every event byte for byte, one by one and through
// executeMany (a batch is appended before each draw line).

const ndjson = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const strip = (e: Record<string, unknown>) => JSON.stringify({ ...e, recordedAt: "-" });

describe.each([
  ["draws-gregorian", undefined],
  ["draws-jalali", undefined],
  ["draws-gregorian", 1],
  ["draws-gregorian", 7],
  ["draws-jalali", 10_000],
  // Our reward vectors (club-v1 §2, §9; scripts/make-reward-vectors.ts): two lines crash
  // between claim and redemption on a claim-first store.
  ["rewards-gregorian", undefined],
  ["rewards-jalali", undefined],
  ["rewards-gregorian", 1],
  ["rewards-gregorian", 7],
  ["rewards-jalali", 10_000],
] as const)("club vector %s (executeMany batch size %s)", (name, batchSize) => {
  it("summary, rejections by line and code, and every event byte for byte", async () => {
    const r = await runVector(`../club-vectors/${name}`, batchSize);
    const crashed = r.crashed === undefined ? {} : { crashed: r.crashed };
    expect({ accepted: r.accepted, rejected: r.rejected, ...crashed, events: r.events }).toEqual(
      JSON.parse(readFileSync(join(r.dir, "expected-summary.json"), "utf8")),
    );
    expect(r.rejects.map((x) => ({ line: x.line, code: x.code }))).toEqual(
      ndjson(join(r.dir, "expected-rejects.ndjson")).map((x) => ({ line: x.line, code: x.code })),
    );
    const actual = r.exported.map(
      (e) => JSON.parse(JSON.stringify(toEnvelope(e))) as Record<string, unknown>,
    );
    expect(actual.map(strip)).toEqual(ndjson(join(r.dir, "expected-events.ndjson")).map(strip));
  });
});
