import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type StoredEvent, toEnvelope } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LeanReader } from "./lean-envelope.js";
import { LedgerProjection } from "./ledger.js";
import { RFM_EVENT_TYPES, RFM_LEAN, rebuildFromNdjson } from "./rebuild.js";
import { runScenario, type Scenario, scenarioArb } from "./testing/histories.js";

// ledger-v1 §2 envelopes, §6 rfm: the lean read of an export's RFM lines
// (`RebuildOptions.lean`) gives what JSON.parse of the whole line gives, or
// declines; a file read lean and read plain give the same counts, the same
// bad lines and the same rows, on exports with random damage.

const DAY = 86_400_000;

/** As `vafa export`: stream after stream, each in revision order. */
const exportLines = (events: readonly StoredEvent[]): string[] =>
  [...events]
    .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.revision - b.revision))
    .map((e) => JSON.stringify(toEnvelope(e)));

/** Damage to one line: bytes replaced, inserted or cut, keys repeated or added. */
const damageArb = fc.record({
  line: fc.nat(),
  /** Most damage goes to the lines read lean (an RFM member event). */
  rfmLine: fc.nat({ max: 9 }).map((x) => x < 8),
  // Not fc.double: it favours 0 and 1, the line's ends.
  at: fc.nat({ max: 999_999 }).map((n) => n / 1_000_000),
  kind: fc.constantFrom(
    "replace",
    "insert",
    "delete",
    "truncate",
    "append",
    "repeatKey",
    "repeatData",
    "extraKey",
    "nonString",
  ),
  text: fc.constantFrom(
    '"',
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "0",
    "-",
    "e",
    " ",
    "\t",
    "\r",
    "\u0001",
    "é",
    "x",
  ),
});

type Damage = typeof damageArb extends fc.Arbitrary<infer D> ? D : never;

const damage = (lines: string[], d: Damage): void => {
  const lean = lines.flatMap((l, i) => (RFM_LEAN.types.some((t) => l.includes(`"type":"${t}"`)) ? [i] : []));
  const pool = d.rfmLine && lean.length > 0 ? lean : lines.map((_, i) => i);
  if (pool.length === 0) return;
  const i = pool[d.line % pool.length] as number;
  const line = lines[i] as string;
  const at = Math.floor(d.at * line.length);
  switch (d.kind) {
    case "replace":
      lines[i] = line.slice(0, at) + d.text + line.slice(at + 1);
      return;
    case "insert":
      lines[i] = line.slice(0, at) + d.text + line.slice(at);
      return;
    case "delete":
      lines[i] = line.slice(0, at) + line.slice(at + 1);
      return;
    case "append":
      lines[i] = line + d.text;
      return;
    case "truncate":
      lines[i] = line.slice(0, at);
      return;
    case "repeatKey":
      // JSON.parse keeps the last of a repeated key.
      lines[i] = line
        .replace('"data":{', '"data":{"amount":"999999",')
        .replace(',"metadata"', ',"type":"PurchaseRecorded","metadata"');
      return;
    case "repeatData":
      lines[i] = line.replace(',"metadata"', ',"data":{"purchaseId":"p","amount":"5"},"metadata"');
      return;
    case "extraKey":
      lines[i] = line.replace(
        '"data":',
        d.at < 0.5 ? '"position":1,"data":' : '"occurredAt":"2000-01-01T00:00:00.000Z","data":',
      );
      return;
    case "nonString":
      lines[i] = line.replace(/"(amount|purchaseId)":"[^"]*"/, d.at < 0.5 ? '"$1":12' : '"$1":null');
      return;
  }
};

const readFile = async (path: string, asOf: string, lean: boolean) => {
  const p = new LedgerProjection({ keepHistory: false });
  const result = await rebuildFromNdjson(path, p, {
    until: asOf,
    types: RFM_EVENT_TYPES,
    ...(lean ? { lean: RFM_LEAN } : {}),
    onStreamEnd: (id) => p.settleRfmStream(id),
  });
  let rows: unknown;
  try {
    rows = p.rfmAsOf(asOf);
  } catch (e) {
    rows = (e as Error).message;
  }
  return { result, rows, reopened: p.reopened };
};

describe("ledger-v1 §2, §6 lean read of RFM lines", () => {
  it("§2 a line read lean holds what JSON.parse gives; a file read lean equals it read plain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-lean-"));
    const reader = new LeanReader(RFM_LEAN.types, RFM_LEAN.dataKeys, RFM_EVENT_TYPES);
    let run = 0;
    let readLean = 0;
    let declined = 0;
    await fc.assert(
      fc.asyncProperty(
        scenarioArb(30),
        fc.array(damageArb, { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (scenario, damages, ft) => {
          const h = await runScenario(scenario);
          const lines = exportLines(h.events);
          for (const d of damages) damage(lines, d);
          for (const line of lines) {
            const buf = Buffer.from(`${line}\n`);
            const read = reader.read(buf, 0, buf.length - 1);
            if (read.kind === "declined") {
              declined++;
              continue;
            }
            if (read.kind === "wanted" || read.kind === "unwanted") {
              // The type the byte filter reads: the first `"type":"`.
              const t = line.indexOf('"type":"') + 8;
              const type = line.slice(t, line.indexOf('"', t));
              expect(read.kind === "wanted").toBe(RFM_EVENT_TYPES.some((w) => w === type));
              continue;
            }
            readLean++;
            const parsed = JSON.parse(line) as Record<string, unknown>;
            expect(Object.keys(parsed).sort()).toEqual(
              [
                "data",
                "eventId",
                "metadata",
                "occurredAt",
                "recordedAt",
                "revision",
                "streamId",
                "type",
              ].filter((k) => k !== "recordedAt" || "recordedAt" in parsed),
            );
            expect(typeof parsed.revision).toBe("number");
            expect(typeof parsed.metadata === "object" && parsed.metadata !== null).toBe(true);
            const data = parsed.data as Record<string, unknown>;
            const kept = Object.fromEntries(
              RFM_LEAN.dataKeys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]),
            );
            expect(read.event).toEqual({
              streamId: parsed.streamId,
              type: parsed.type,
              occurredAt: parsed.occurredAt,
              data: kept,
            });
          }
          run++;
          const path = join(dir, `export-${run}.ndjson`);
          writeFileSync(path, `${lines.join("\n")}\n`);
          const asOf = new Date(h.start + ft * (h.end + 400 * DAY - h.start)).toISOString();
          expect(await readFile(path, asOf, true)).toEqual(await readFile(path, asOf, false));
        },
      ),
      { numRuns: 150 },
    );
    // Both ways were taken: lines read lean and lines left to JSON.parse.
    expect(readLean).toBeGreaterThan(100);
    expect(declined).toBeGreaterThan(10);
  });

  it("§2 a damaged RFM line is still a bad line, named by its number", async () => {
    const [scenario] = fc.sample(scenarioArb(30), { numRuns: 1, seed: 7 });
    const h = await runScenario(scenario as Scenario);
    const lines = exportLines(h.events);
    const i = lines.findIndex((l) => l.includes('"type":"PurchaseRecorded"'));
    expect(i).toBeGreaterThanOrEqual(0);
    lines[i] = (lines[i] as string).slice(0, -2); // cut: not valid JSON
    const path = join(mkdtempSync(join(tmpdir(), "vafa-lean-bad-")), "e.ndjson");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const lean = await readFile(path, "2100-01-01T00:00:00.000Z", true);
    expect(lean.result.badLines).toEqual([i + 1]);
    expect(lean).toEqual(await readFile(path, "2100-01-01T00:00:00.000Z", false));
  });
});

describe("ledger-v1 §2 lean read: JSON numbers", () => {
  it("a revision that is not a JSON number declines the line; one that is keeps it lean", async () => {
    const [scenario] = fc.sample(scenarioArb(30), { numRuns: 1, seed: 7 });
    const h = await runScenario(scenario as Scenario);
    const line = exportLines(h.events).find((l) => l.includes('"type":"PurchaseRecorded"')) as string;
    const reader = new LeanReader(RFM_LEAN.types, RFM_LEAN.dataKeys, RFM_EVENT_TYPES);
    const kindWith = (revision: string): string => {
      const buf = Buffer.from(line.replace(/"revision":\d+/, `"revision":${revision}`));
      return reader.read(buf, 0, buf.length).kind;
    };
    for (const bad of ["3.", "-", "01", "1e", "1e+", ".5", "+1", "--1", "1.e3"]) {
      expect(() => JSON.parse(`[${bad}]`)).toThrow();
      expect(kindWith(bad)).toBe("declined");
    }
    for (const good of ["3", "0", "-0", "1.5", "1e3", "1.5E+3", "2e-2"]) {
      expect(JSON.parse(`[${good}]`)).toHaveLength(1);
      expect(kindWith(good)).toBe("event");
    }
  });
});
