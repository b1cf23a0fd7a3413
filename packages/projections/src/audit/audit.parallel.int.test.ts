import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, toEnvelope } from "@vafa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clone, type Env, loadExport, loadProgram, normalize, rechain } from "../testing/audit-export.js";
import { type AuditPass, auditEvents } from "./audit.js";
import { programsPublishedIn } from "./file-audit.js";
import { HeadTracker } from "./head.js";
import { auditNdjsonFile, readNdjsonLines } from "./ndjson.js";
import { auditFileInRanges, auditNdjsonFileParallel } from "./parallel.js";
import type { AuditLine, AuditOptions, AuditReport } from "./types.js";

// Spec 7: the parallel audit (shards by stream, merged) reports exactly what
// the single-threaded audit reports for the same export lines, finding for
// finding and in the same order, on tampered exports.

/** The lines of an export as the CLI reads them (cli readLines): BOM and one CR dropped, blanks skipped. */
const cliLines = (text: string): AuditLine[] => {
  const parts = text.split("\n");
  if (parts[parts.length - 1] === "") parts.pop();
  const lines: AuditLine[] = [];
  parts.forEach((raw, i) => {
    let t = i === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (t.endsWith("\r")) t = t.slice(0, -1);
    if (!/^[ \t]*$/.test(t)) lines.push({ line: i + 1, text: t });
  });
  return lines;
};

/** The starts of the text's lines but the first, in bytes; only those where the stream changes with `changes`. */
const lineStarts = (text: string, changes = false): number[] => {
  const bytes = Buffer.from(text, "utf8");
  const starts: number[] = [];
  const idOf = (from: number) =>
    /^\uFEFF*\{"streamId":"([^"]*)"/.exec(bytes.toString("utf8", from, from + 200))?.[1];
  let previous = idOf(0);
  for (let i = bytes.indexOf(10); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(10, i + 1)) {
    const id = idOf(i + 1);
    if (!changes || id !== previous) starts.push(i + 1);
    previous = id;
  }
  return starts;
};

/** Range cuts (byte offsets, 0 to the size) at the line starts `picks` choose. */
const cutsOf = (text: string, picks: number[], changes = false): number[] => {
  const starts = lineStarts(text, changes);
  const inner = starts.length === 0 ? [] : picks.map((p) => starts[p % starts.length] as number);
  return [0, ...[...new Set(inner)].sort((a, b) => a - b), Buffer.byteLength(text)];
};

const exports = { gregorian: loadExport("gregorian"), jalali: loadExport("jalali") };

type Edit = (events: Env[], pick: number, other: number) => Env[];
const at = (events: Env[], n: number): Env => events[n % events.length] as Env;
const EDITS: Record<string, Edit> = {
  amount: (ev, p) => {
    const e = at(ev, p);
    e.data.amount = "1.00";
    e.data.points = 7;
    return ev;
  },
  amountRechained: (ev, p) => rechain(EDITS.amount?.(ev, p, 0) ?? ev),
  remove: (ev, p) => ev.filter((_, i) => i !== p % ev.length),
  removeNormalized: (ev, p) => normalize(ev.filter((_, i) => i !== p % ev.length)),
  duplicate: (ev, p, o) => {
    const copy = [...ev];
    copy.splice(o % ev.length, 0, structuredClone(at(ev, p)));
    return copy;
  },
  swap: (ev, p, o) => {
    const copy = [...ev];
    const i = p % ev.length;
    const j = o % ev.length;
    [copy[i], copy[j]] = [copy[j] as Env, copy[i] as Env];
    return copy;
  },
  sharedStrayId: (ev, p, o) => {
    at(ev, p).eventId = "00000000-0000-4000-8000-000000000001";
    at(ev, o).eventId = "00000000-0000-4000-8000-000000000001";
    return ev;
  },
  copiedEventId: (ev, p, o) => {
    at(ev, p).eventId = at(ev, o).eventId;
    return ev;
  },
  unknownVersion: (ev, p) => {
    at(ev, p).metadata.programVersion = 99;
    return rechain(ev);
  },
  programFirst: (ev) => [
    ...ev.filter((e) => String(e.streamId).startsWith("program-")),
    ...ev.filter((e) => !String(e.streamId).startsWith("program-")),
  ],
  programEdited: (ev) => {
    for (const e of ev) if (e.type === "ProgramPublished") e.data.program.earn.pointsPerUnit = "3";
    return ev;
  },
  globalOrder: (ev) =>
    [...ev].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0)),
  noStream: (ev, p) => {
    (at(ev, p) as unknown as { streamId: unknown }).streamId = 42;
    return ev;
  },
  renamedStream: (ev, p) => {
    at(ev, p).streamId = "member-zz";
    return ev;
  },
};

/** Text-level damage: lines that are not events, CRLF, a BOM, escapes that force a full parse. */
type TextEdit = (lines: string[], pick: number) => string[];
const TEXT_EDITS: Record<string, TextEdit> = {
  notJson: (l, p) => [...l.slice(0, p % l.length), "{not json", ...l.slice(p % l.length)],
  array: (l, p) => [...l.slice(0, p % l.length), "[1,2]", ...l.slice(p % l.length)],
  blank: (l, p) => [...l.slice(0, p % l.length), "  \t", ...l.slice(p % l.length)],
  crlf: (l) => l.map((x) => `${x}\r`),
  bom: (l) => [`\uFEFF${l[0] ?? ""}`, ...l.slice(1)],
  escapedStream: (l, p) =>
    l.map((x, i) => (i === p % l.length ? x.replace('"streamId":"m', '"streamId":"\\u006d') : x)),
  duplicateKey: (l, p) =>
    l.map((x, i) => (i === p % l.length ? x.replace(/}$/, ',"streamId":"member-ava"}') : x)),
  truncated: (l, p) => l.map((x, i) => (i === p % l.length ? x.slice(0, x.length >> 1) : x)),
};

const single = (text: string, options: AuditOptions): Promise<AuditReport> =>
  auditEvents(cliLines(text), options);

const arbitraryExport = fc.record({
  calendar: fc.constantFrom("gregorian" as const, "jalali" as const),
  edits: fc.array(fc.tuple(fc.constantFrom(...Object.keys(EDITS)), fc.nat(200), fc.nat(200)), {
    maxLength: 4,
  }),
  textEdits: fc.array(fc.tuple(fc.constantFrom(...Object.keys(TEXT_EDITS)), fc.nat(200)), { maxLength: 2 }),
  noFinalNewline: fc.boolean(),
  withProgram: fc.boolean(),
});

const build = (x: fc.RecordValue<typeof arbitraryExport extends fc.Arbitrary<infer T> ? T : never>) => {
  let events = clone(exports[x.calendar]);
  for (const [name, p, o] of x.edits) {
    try {
      events = (EDITS[name] as Edit)(clone(events), p, o);
    } catch {
      // An edit that cannot apply to an already damaged export (re-chaining a stream-less event) is skipped.
    }
  }
  let lines = events.map((e) => JSON.stringify(e));
  for (const [name, p] of x.textEdits) lines = (TEXT_EDITS[name] as TextEdit)(lines, p);
  const text = lines.join("\n") + (x.noFinalNewline ? "" : "\n");
  const options: AuditOptions = x.withProgram ? { programs: [loadProgram(x.calendar)] } : {};
  return { text, options };
};

const fileOf = (text: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), "vafa-audit-file-")), "events.ndjson");
  writeFileSync(path, text);
  return path;
};

/** The ranges' audit of `text` cut at `cuts`, read `chunkBytes` at a time. */
const inRanges = (text: string, cuts: number[], options: AuditOptions, chunkBytes: number) =>
  auditFileInRanges(fileOf(text), cuts, options, undefined, {}, chunkBytes);

describe("7 the audit of a file in memory per stream = the plain audit", () => {
  // file-audit.ts: programs read ahead, each member's replay dropped when its
  // stream ends, the plain audit again when that pass cannot stand.
  it("7 same report on tampered exports, streams interleaved or not", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryExport, async (x) => {
        const { text, options } = build(x);
        const path = fileOf(text);
        expect(await auditNdjsonFile(path, options)).toEqual(
          await auditEvents(readNdjsonLines(path), options),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("7 shards with that pass give the plain report, or say it must be redone", async () => {
    let redone = 0;
    await fc.assert(
      fc.asyncProperty(
        arbitraryExport,
        fc.array(fc.nat(400), { maxLength: 3 }),
        fc.boolean(),
        fc.integer({ min: 16, max: 4096 }),
        async (x, picks, atChanges, chunkBytes) => {
          const { text, options } = build(x);
          const path = fileOf(text);
          const pass: AuditPass = { streamsWhole: true, programsAhead: await programsPublishedIn(path) };
          const cuts = cutsOf(text, picks, atChanges);
          const actual = await auditFileInRanges(path, cuts, options, undefined, pass, chunkBytes);
          if (actual === undefined) redone++;
          else expect(actual).toEqual(await single(text, options));
        },
      ),
      { numRuns: 100 },
    );
    expect(redone).toBeLessThan(100);
  });
});

describe("7 parallel audit = single-threaded audit", () => {
  it("7 same report, or one thread, for 1 to 4 ranges cut anywhere and any read size", async () => {
    // A range boundary may cut a stream, or the file may not be stream by stream: one thread then.
    let defined = 0;
    await fc.assert(
      fc.asyncProperty(
        arbitraryExport,
        fc.array(fc.nat(400), { maxLength: 3 }),
        fc.boolean(),
        fc.integer({ min: 16, max: 4096 }),
        async (x, picks, atChanges, chunkBytes) => {
          const { text, options } = build(x);
          const actual = await inRanges(text, cutsOf(text, picks, atChanges), options, chunkBytes);
          if (actual === undefined) return;
          defined++;
          expect(actual).toEqual(await single(text, options));
        },
      ),
      { numRuns: 300 },
    );
    expect(defined).toBeGreaterThan(100);
  });

  it("7 ranges cut at stream changes of a file stream by stream: the same report, never one thread", async () => {
    // Edits that keep each stream whole; program lines before, inside and after the ranges.
    const wholeStreams = fc.record({
      calendar: fc.constantFrom("gregorian" as const, "jalali" as const),
      edits: fc.array(
        fc.tuple(
          fc.constantFrom(
            "amount",
            "amountRechained",
            "remove",
            "removeNormalized",
            "sharedStrayId",
            "copiedEventId",
            "unknownVersion",
            "programFirst",
            "programEdited",
          ),
          fc.nat(200),
          fc.nat(200),
        ),
        { maxLength: 4 },
      ),
      textEdits: fc.array(fc.tuple(fc.constantFrom("crlf", "bom"), fc.nat(200)), { maxLength: 2 }),
      noFinalNewline: fc.boolean(),
      withProgram: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        wholeStreams,
        fc.array(fc.nat(400), { maxLength: 3 }),
        fc.integer({ min: 16, max: 4096 }),
        async (x, picks, chunkBytes) => {
          const { text, options } = build(x);
          const actual = await inRanges(text, cutsOf(text, picks, true), options, chunkBytes);
          expect(actual).toEqual(await single(text, options));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("7 same head digest, with and without a recordedAt cut, for 1 to 4 ranges", async () => {
    // docs/auditing.md "Head digest": each shard tracks the streams of its range; merged by line.
    await fc.assert(
      fc.asyncProperty(
        arbitraryExport,
        fc.array(fc.nat(400), { maxLength: 3 }),
        fc.option(
          fc.constantFrom("2011-01-01T00:00:00.000Z", "2011-06-01T00:00:00.000Z", "2012-01-01T00:00:00.000Z"),
        ),
        async (x, picks, until) => {
          const { text, options } = build(x);
          const headOptions = until === null ? {} : { recordedUntil: until };
          const one = new HeadTracker(headOptions);
          for (const { text: line } of cliLines(text)) one.pushLine(line);
          const many = new HeadTracker(headOptions);
          await auditFileInRanges(fileOf(text), cutsOf(text, picks), options, many);
          expect(many.digest()).toBe(one.digest());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("7 the golden exports are clean both ways", async () => {
    for (const calendar of ["gregorian", "jalali"] as const) {
      const text = `${exports[calendar].map((e) => JSON.stringify(e)).join("\n")}\n`;
      const options = { programs: [loadProgram(calendar)] };
      const report = await auditFileInRanges(fileOf(text), cutsOf(text, [3, 17], true), options);
      expect(report).toEqual(await single(text, options));
      expect(report?.ok).toBe(true);
    }
  });

  it("7 a stream cut by a range boundary, or a file not stream by stream: one thread", async () => {
    const text = `${exports.gregorian.map((e) => JSON.stringify(e)).join("\n")}\n`;
    const inside = lineStarts(text).find((c) => !lineStarts(text, true).includes(c)) as number;
    expect(await auditFileInRanges(fileOf(text), [0, inside, Buffer.byteLength(text)])).toBeUndefined();
    const { text: global, options } = build({
      calendar: "gregorian",
      edits: [
        ["globalOrder", 0, 0],
        ["amount", 5, 0],
      ],
      textEdits: [],
      noFinalNewline: false,
      withProgram: false,
    });
    const expected = await single(global, options);
    expect(expected.ok).toBe(false);
    expect(await auditNdjsonFileParallel(fileOf(global), { ...options, workers: 2 })).toEqual(expected);
  });

  it("7 worker threads read a tampered file and report what one thread does", async () => {
    const x = {
      calendar: "gregorian" as const,
      edits: [
        ["amount", 5, 0],
        ["sharedStrayId", 3, 40],
        ["unknownVersion", 20, 0],
      ] as [string, number, number][],
      textEdits: [["notJson", 10] as [string, number], ["crlf", 0] as [string, number]],
      noFinalNewline: true,
      withProgram: false,
    };
    const { text, options } = build(x);
    const path = join(mkdtempSync(join(tmpdir(), "vafa-audit-")), "tampered.ndjson");
    writeFileSync(path, text);
    const expected = await single(text, options);
    expect(expected.findings.length).toBeGreaterThan(3);
    const head = new HeadTracker();
    expect(await auditNdjsonFileParallel(path, { ...options, workers: 2, head })).toEqual(expected);
    const one = new HeadTracker();
    for (const { text: line } of cliLines(text)) one.pushLine(line);
    expect(head.digest()).toBe(one.digest());
  });
});

describe("club-v1 §2: stock spans streams", () => {
  it("a log with a stocked reward is audited in one thread: the same report as auditEvents", async () => {
    const program = {
      ...loadProgram("gregorian"),
      rewards: [{ id: "mug", cost: 100, stock: 1 }],
    };
    const store = createMemoryStore();
    const ledger = createLedger({ store, program });
    await ledger.publishProgram("2011-01-01T00:00:00Z");
    for (const m of ["m1", "m2"]) {
      await ledger.execute({ type: "join", memberId: m, at: "2011-01-02T00:00:00Z", kind: "person" });
      await ledger.execute({
        type: "adjust",
        memberId: m,
        at: "2011-01-02T00:00:00Z",
        adjustmentId: `a-${m}`,
        points: 500,
        reason: "test",
        actor: "ops",
      });
    }
    const redeem = (memberId: string) =>
      ledger.execute({
        type: "redeem",
        memberId,
        at: "2011-01-03T00:00:00Z",
        redemptionId: "r",
        rewardId: "mug",
      });
    expect((await redeem("m1")).status).toBe("accepted");
    const lines: string[] = [];
    for await (const e of store.readAll()) lines.push(JSON.stringify(toEnvelope(e)));
    // The reward stream is dropped: m1's redemption then has no claim (STOCK_OVERDRAWN), which only
    // a check across the member and reward streams finds.
    const kept = lines.filter((l) => !l.includes('"streamId":"reward-'));
    const dir = mkdtempSync(join(tmpdir(), "vafa-par-stock-"));
    const path = join(dir, "events.ndjson");
    writeFileSync(path, `${kept.join("\n")}\n`);
    const single = await auditEvents(cliLines(readFileSync(path, "utf8")));
    expect(single.findings.map((f) => f.code)).toContain("STOCK_OVERDRAWN");
    expect(await auditNdjsonFileParallel(path, { workers: 2 })).toEqual(single);
  });
});
