import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type StoredEvent, toEnvelope } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalMs } from "../compact-purchases.js";
import { LedgerProjection } from "../ledger.js";
import { RFM_EVENT_TYPES, RFM_LEAN, rebuildFromNdjson } from "../rebuild.js";
import { runScenario, scenarioArb } from "../testing/histories.js";
import { RfmFold } from "./rfm-fold.js";

// Spec 6 rfm folded with only what it reads (`RfmFold`) equals the ledger
// projection's, from an export and from the same events in global order
// (where `reopened` matches the ledger projection settled the same way).

const DAY = 86_400_000;

const write = (dir: string, name: string, events: readonly StoredEvent[]): string => {
  const path = join(dir, name);
  writeFileSync(path, `${events.map((e) => JSON.stringify(toEnvelope(e))).join("\n")}\n`);
  return path;
};

const rowsOrError = (f: () => unknown): unknown => {
  try {
    return f();
  } catch (e) {
    return (e as Error).message;
  }
};

describe("spec 6 rfm from RfmFold", () => {
  it("§6 equals the ledger projection's rows, an export and global order, at random T", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-rfm-fold-"));
    let run = 0;
    let reopened = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb(40), fc.nat({ max: 999 }), fc.boolean(), async (scenario, ft, lean) => {
        const h = await runScenario(scenario);
        const asOf = new Date(h.start - 10 * DAY + (ft / 1000) * (h.end - h.start + 410 * DAY)).toISOString();
        const sorted = [...h.events].sort((a, b) =>
          a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.revision - b.revision,
        );
        run++;
        for (const path of [write(dir, `e-${run}.ndjson`, sorted), write(dir, `g-${run}.ndjson`, h.events)]) {
          const options = { until: asOf, types: RFM_EVENT_TYPES, ...(lean ? { lean: RFM_LEAN } : {}) };
          const full = new LedgerProjection();
          await rebuildFromNdjson(path, full, options);
          const settled = new LedgerProjection({ keepHistory: false });
          await rebuildFromNdjson(path, settled, {
            ...options,
            onStreamEnd: (id) => settled.settleRfmStream(id),
          });
          const fold = new RfmFold();
          await rebuildFromNdjson(path, fold, { ...options, onStreamEnd: (id) => fold.settle(id) });
          expect(fold.reopened).toBe(settled.reopened);
          if (fold.reopened) reopened++;
          else expect(rowsOrError(() => fold.rows(asOf))).toEqual(rowsOrError(() => full.rfmAsOf(asOf)));
          expect(fold.publishedProgram).toEqual(full.publishedProgram);
        }
      }),
      { numRuns: 25 },
    );
    expect(reopened).toBeGreaterThan(0);
  });

  it("§6 canonicalMs is Date.parse where toISOString gives the text back, else NaN", () => {
    const slow = (s: string): number => {
      const ms = Date.parse(s);
      return !Number.isNaN(ms) && new Date(ms).toISOString() === s ? ms : Number.NaN;
    };
    const maxMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(-100, 0, 1), max: maxMs }),
        fc.nat({ max: 23 }),
        fc.constantFrom("0", "9", "3", "T", "-", ":", ".", "Z", " "),
        (ms, at, ch) => {
          const text = new Date(ms).toISOString();
          expect(canonicalMs(text)).toBe(ms);
          const changed = text.slice(0, at) + ch + text.slice(at + 1);
          expect(canonicalMs(changed)).toBe(slow(changed));
        },
      ),
      { numRuns: 20_000 },
    );
    for (const s of [
      "2023-02-29T00:00:00.000Z",
      "2024-02-29T00:00:00.000Z",
      "2023-04-31T00:00:00.000Z",
      "0099-01-01T00:00:00.000Z",
      "2024-01-01T24:00:00.000Z",
    ])
      expect(canonicalMs(s)).toBe(slow(s));
  });
});
