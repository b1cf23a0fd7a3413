import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectForQuery, projectSource, type QueryOptions, queryResult } from "./query.js";
import { QUERIES } from "./query-names.js";

// ledger-v1 §6, §8: `vafa <query> --events` settles each member when its
// stream ends; a file whose streams interleave (global order) is read again
// without settling. Both give the answers of the plain replay (every event,
// with history), for every query and several times.

const EXPORT = "fixtures/vectors/gregorian/expected-events.ndjson";

/** The export's events sorted by time (stable, so each stream keeps its order): streams interleave. */
const globalOrder = (): string => {
  const lines = readFileSync(EXPORT, "utf8").trimEnd().split("\n");
  const at = (l: string) => (JSON.parse(l) as { occurredAt: string }).occurredAt;
  const path = join(mkdtempSync(join(tmpdir(), "vafa-query-")), "global.ndjson");
  writeFileSync(
    path,
    `${[...lines].sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0)).join("\n")}\n`,
  );
  return path;
};

const TIMES = [
  { asOf: "2011-05-15T00:00:00.000Z", from: "2011-03-01T00:00:00.000Z", to: "2011-06-01T00:00:00.000Z" },
  { asOf: "2011-02-01T00:00:00.000Z", from: "2011-01-01T00:00:00.000Z", to: "2011-02-15T00:00:00.000Z" },
  { asOf: "2100-01-01T00:00:00.000Z", from: "2011-04-01T00:00:00.000Z", to: "2100-01-01T00:00:00.000Z" },
];

describe("6 file queries settle members stream by stream, and fall back for other orders", () => {
  it("6 an export and the same events in global order answer as the plain replay, every query", async () => {
    const global = globalOrder();
    expect(readFileSync(global, "utf8")).not.toBe(readFileSync(EXPORT, "utf8"));
    for (const t of TIMES) {
      const options = (events: string): QueryOptions => ({ store: "memory:", events, format: "json", ...t });
      const plain = await projectSource(options(EXPORT));
      for (const name of QUERIES) {
        const expected = queryResult(name, plain, options(EXPORT));
        for (const events of [EXPORT, global])
          expect(queryResult(name, await projectForQuery(name, options(events)), options(events))).toEqual(
            expected,
          );
      }
    }
  });
});
