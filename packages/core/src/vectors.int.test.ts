import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toEnvelope } from "./index.js";
import { runVector } from "./testing/vector-runner.js";

// Golden vectors (spec README): the same events byte for byte in eventId, data
// and hash, and the same rejections by line and code.

const readNdjson = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.each([
  ["gregorian", undefined],
  ["jalali", undefined],
  // Issue 11: batched through executeMany, byte for byte the same.
  ["gregorian", 1],
  ["gregorian", 7],
  ["gregorian", 10_000],
  ["jalali", 5],
  ["jalali", 10_000],
  // club-v1: rewards, draws, profiles, notes, messages and erasure, sealed with the test keys.
  ["club-gregorian", undefined],
  ["club-jalali", undefined],
  ["club-gregorian", 1],
  ["club-gregorian", 5],
  ["club-gregorian", 10_000],
  ["club-jalali", 3],
  ["club-jalali", 10_000],
] as const)("golden vector %s (executeMany batch size %s)", (name, batchSize) => {
  it("summary, rejections by line and code, and every event byte for byte (spec 2, 4, 5, 8)", async () => {
    const r = await runVector(name, batchSize);
    const summary = JSON.parse(readFileSync(join(r.dir, "expected-summary.json"), "utf8"));
    expect({ accepted: r.accepted, rejected: r.rejected, events: r.events }).toEqual(summary);
    const expectedRejects = readNdjson(join(r.dir, "expected-rejects.ndjson")).map((x) => ({
      line: x.line,
      code: x.code,
    }));
    expect(r.rejects.map((x) => ({ line: x.line, code: x.code }))).toEqual(expectedRejects);
    if (batchSize !== undefined) expect(r.rejects).toEqual((await runVector(name)).rejects);
    const expected = readNdjson(join(r.dir, "expected-events.ndjson"));
    const actual = r.exported.map((e) => {
      const env = toEnvelope(e) as unknown as Record<string, unknown>;
      return JSON.parse(JSON.stringify({ ...env, recordedAt: "-" })) as Record<string, unknown>;
    });
    const strip = (e: Record<string, unknown>) => JSON.stringify({ ...e, recordedAt: "-" });
    expect(actual.map(strip)).toEqual(expected.map(strip));
  });
});
