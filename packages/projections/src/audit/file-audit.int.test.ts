import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clone, type Env, loadExport, loadProgram } from "../testing/audit-export.js";
import { Auditor, auditEvents } from "./audit.js";
import { auditReadable, programsPublishedIn } from "./file-audit.js";
import { auditNdjsonFile } from "./ndjson.js";
import { auditFileInRanges } from "./parallel.js";
import type { AuditLine } from "./types.js";

// Spec 7 on a file (file-audit.ts): the programs are read ahead and each
// member's replay is dropped when its stream ends; whenever that pass cannot
// give the plain audit's report, the file is audited again the plain way.

const fileOf = (lines: string[], name = "events.ndjson"): string => {
  const path = join(mkdtempSync(join(tmpdir(), "vafa-file-audit-")), name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
};
const linesOf = (events: Env[]): string[] => events.map((e) => JSON.stringify(e));
const plain = (lines: string[]) => auditEvents(lines.map((text, i): AuditLine => ({ line: i + 1, text })));

const gregorian = loadExport("gregorian");
const program = loadProgram("gregorian");
const isProgram = (e: Env) => String(e.streamId).startsWith("program-");

describe("programsPublishedIn", () => {
  it("reads the program an export publishes, wherever its line is", async () => {
    const programs = await programsPublishedIn(fileOf(linesOf(gregorian)));
    expect(programs).toEqual([program]);
  });

  it("leaves out a version published twice, and lines that are no valid publication", async () => {
    const events = clone(gregorian);
    const published = events.find(isProgram) as Env;
    const again = clone([published])[0] as Env;
    again.data.program.earn.pointsPerUnit = "3";
    const broken = clone([published])[0] as Env;
    broken.data.program.version = 2;
    broken.data.program.currency = 7;
    const lines = [
      ...linesOf(events),
      JSON.stringify(again),
      JSON.stringify(broken),
      '{"type":"ProgramPublished",',
      '["ProgramPublished"]',
    ];
    expect(await programsPublishedIn(fileOf(lines))).toEqual([]);
  });

  it("reads only a ProgramPublished: a program in the data of another type is not one", async () => {
    const published = gregorian.find(isProgram) as Env;
    const other = { ...published, type: "FeedbackSubmitted", note: "ProgramPublished" };
    expect(await programsPublishedIn(fileOf([JSON.stringify(other), '"ProgramPublished"']))).toEqual([]);
  });

  it("finds a publication whose line a read cuts after the text it looks for", async () => {
    // The line starts 300 bytes before the first 1 MiB read ends: its text is in that read, its end is not.
    const filler = JSON.stringify({ pad: "x".repeat(1024 * 1024 - 300 - 11) });
    const line = JSON.stringify(gregorian.find(isProgram));
    expect(line.indexOf('"ProgramPublished"')).toBeLessThan(300);
    expect(line.length).toBeGreaterThan(300);
    const path = join(mkdtempSync(join(tmpdir(), "vafa-file-audit-")), "cut.ndjson");
    writeFileSync(path, `${filler}\n${line}\n${filler}\n`);
    expect(await programsPublishedIn(path)).toEqual([program]);
  });

  it("finds a publication cut by a read (1 MiB chunks), after a BOM and without a final newline", async () => {
    const filler = JSON.stringify({ pad: "x".repeat(1024 * 1024 - 30) });
    const line = JSON.stringify(gregorian.find(isProgram));
    const path = join(mkdtempSync(join(tmpdir(), "vafa-file-audit-")), "cut.ndjson");
    writeFileSync(
      path,
      `${filler}\n${line}\n${filler}\n${filler}\n${line.replace('"version":1', '"version":2')}`,
    );
    expect((await programsPublishedIn(path)).map((p) => p.version)).toEqual([1, 2]);
    const bom = join(mkdtempSync(join(tmpdir(), "vafa-file-audit-")), "bom.ndjson");
    writeFileSync(bom, `\uFEFF${line}\n`);
    expect(await programsPublishedIn(bom)).toEqual([program]);
  });

  it("reads an empty file as no program", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "vafa-file-audit-")), "empty.ndjson");
    writeFileSync(path, "");
    expect(await programsPublishedIn(path)).toEqual([]);
  });

  it("says STORE_UNAVAILABLE for a file it cannot read", async () => {
    const path = join(tmpdir(), "no-such-dir-vafa", "x.ndjson");
    const error = await programsPublishedIn(path).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: `cannot read export file ${path} (check the path given to --events)`,
      hint: "check the path given to --events",
      cause: { code: "ENOENT" },
    });
  });
});

describe("Auditor pass in memory per stream", () => {
  const lines = linesOf(gregorian);
  const push = (auditor: Auditor, texts: string[]) => {
    for (const [i, text] of texts.entries()) auditor.push({ line: i + 1, text });
  };

  it("stands for an export: nothing to redo, the plain report", async () => {
    const auditor = new Auditor({}, undefined, { streamsWhole: true, programsAhead: [program] });
    push(auditor, lines);
    const report = auditor.finish();
    expect(auditor.mustRedo).toBe(false);
    expect(report).toEqual(await plain(lines));
    expect(report.ok).toBe(true);
  });

  it("must be redone when a member stream comes back after another began", () => {
    const member = lines.filter((l) => l.includes('"streamId":"member-'));
    const first = member[0] as string;
    const firstStream = JSON.parse(first).streamId as string;
    const other = member.find((l) => JSON.parse(l).streamId !== firstStream) as string;
    const again = member.find((l, i) => i > 0 && JSON.parse(l).streamId === firstStream) as string;
    const auditor = new Auditor({}, undefined, { streamsWhole: true });
    push(auditor, [first, other]);
    expect(auditor.mustRedo).toBe(false);
    push(auditor, [again]);
    expect(auditor.mustRedo).toBe(true);
  });

  it("must be redone when the log ends with another program than the one read ahead", () => {
    const other = { ...program, earn: { ...program.earn, pointsPerUnit: "3" } };
    const auditor = new Auditor({}, undefined, { streamsWhole: true, programsAhead: [other] });
    push(auditor, lines);
    auditor.finish();
    expect(auditor.mustRedo).toBe(true);
  });

  it("must be redone when a program with draws is published though tickets were not kept", () => {
    const events = clone(gregorian);
    const draw = {
      id: "d1",
      entryFrom: "2011-02-01T00:00:00Z",
      entryTo: "2011-03-01T00:00:00Z",
      ticketCost: 10,
      winners: 1,
      seedHash: "0".repeat(64),
    };
    for (const e of events.filter(isProgram)) e.data.program.draws = [draw];
    const drawn = linesOf(events);
    // Read ahead: none (as if its line escaped the scan), so no member event is kept for tickets.
    const ahead = new Auditor({}, undefined, { streamsWhole: true, programsAhead: [] });
    push(ahead, drawn);
    ahead.finish();
    expect(ahead.mustRedo).toBe(true);
    // The same pass with the drawn program read ahead keeps tickets and stands.
    const kept = new Auditor({}, undefined, {
      streamsWhole: true,
      programsAhead: [events.find(isProgram)?.data.program],
    });
    push(kept, drawn);
    kept.finish();
    expect(kept.mustRedo).toBe(false);
  });
});

describe("auditReadable reads the log once when its pass stands, twice when not", () => {
  const counted = (lines: string[]) => {
    const opened = { times: 0 };
    const open = () => {
      opened.times++;
      return lines.map((text, i): AuditLine => ({ line: i + 1, text }));
    };
    return { opened, open };
  };

  it("an export: once, the plain report", async () => {
    const lines = linesOf(gregorian);
    const { opened, open } = counted(lines);
    expect(await auditReadable(open, {}, [program])).toEqual(await plain(lines));
    expect(opened.times).toBe(1);
  });

  it("a stream that comes back: twice, the plain report", async () => {
    const events = clone(gregorian);
    events.push(events.shift() as Env);
    const lines = linesOf(events);
    const { opened, open } = counted(lines);
    expect(await auditReadable(open, {}, [program])).toEqual(await plain(lines));
    expect(opened.times).toBe(2);
  });

  it("another program in force at the end: twice, the plain report", async () => {
    const lines = linesOf(gregorian);
    const { opened, open } = counted(lines);
    const other = { ...program, earn: { ...program.earn, pointsPerUnit: "3" } };
    expect(await auditReadable(open, {}, [other])).toEqual(await plain(lines));
    expect(opened.times).toBe(2);
  });
});

describe("auditNdjsonFile redoes the pass when it cannot stand", () => {
  it("a second publication of the version, hidden from the read-ahead by an escape, gives the plain report", async () => {
    const lines = linesOf(gregorian);
    const published = gregorian.find(isProgram) as Env;
    const again = clone([published])[0] as Env;
    again.revision = 1;
    again.data.program.earn.pointsPerUnit = "3";
    const hidden = JSON.stringify(again).replace(
      '"type":"ProgramPublished"',
      '"type":"Program\\u0050ublished"',
    );
    const all = [...lines, hidden];
    const expected = await plain(all);
    expect(expected.findings.map((f) => f.code)).toContain("EARN_MISMATCH");
    expect(await auditNdjsonFile(fileOf(all))).toEqual(expected);
  });

  it("a stream whose events are out of revision order gives the plain report (checks wait for the stream's end)", async () => {
    // The TierChanged at revision 12 of the first stream read first: its tier check must see the
    // purchases recorded before it, which come after it in the file.
    const events = clone(gregorian);
    expect([events[12]?.type, events[12]?.streamId]).toEqual(["TierChanged", events[0]?.streamId]);
    [events[0], events[12]] = [events[12] as Env, events[0] as Env];
    const lines = linesOf(events);
    const expected = await plain(lines);
    expect(expected.findings.map((f) => f.code)).toContain("TIER_MISMATCH");
    const auditor = new Auditor({}, undefined, { streamsWhole: true, programsAhead: [program] });
    for (const [i, text] of lines.entries()) auditor.push({ line: i + 1, text });
    expect(auditor.finish()).toEqual(expected);
    expect(auditor.mustRedo).toBe(false);
  });

  it("a log in global time order (streams interleaved) gives the plain report", async () => {
    const events = clone(gregorian).sort((a, b) =>
      a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0,
    );
    const lines = linesOf(events);
    expect(await auditNdjsonFile(fileOf(lines))).toEqual(await plain(lines));
  });
});

describe("shards in memory per stream", () => {
  it("a member stream that ends just before a program line another shard owns keeps its end-of-log findings", async () => {
    // member-dan, the export's last member stream, loses its last purchase's lot (and the expiry after it):
    // its end-of-log check finds the purchase without points when the program line ends the stream.
    const events = clone(gregorian).filter((e) => !(e.streamId === "member-dan" && e.revision >= 9));
    const lines = linesOf(events);
    const expected = await plain(lines);
    expect(expected.findings.map((f) => `${f.code} ${f.streamId}@${f.revision}`)).toContain(
      "EARN_MISMATCH member-dan@8",
    );
    const path = fileOf(lines);
    // Cuts at each stream change from the end: the last range holds the program stream only.
    const text = `${lines.join("\n")}\n`;
    const programAt = Buffer.from(text).indexOf('{"streamId":"program-');
    const memberStarts = lines
      .map((l, i) => ({ l, at: Buffer.byteLength(lines.slice(0, i).join("\n")) + (i > 0 ? 1 : 0) }))
      .filter(({ l }, i) => i > 0 && JSON.parse(l).streamId !== JSON.parse(lines[i - 1] as string).streamId)
      .map(({ at }) => at)
      .filter((at) => at < programAt);
    for (const more of [0, 1, 2]) {
      const cuts = [0, ...(more === 0 ? [] : memberStarts.slice(-more)), programAt, Buffer.byteLength(text)];
      const report = await auditFileInRanges(
        path,
        [...new Set(cuts)].sort((a, b) => a - b),
        {},
        undefined,
        {
          streamsWhole: true,
          programsAhead: [program],
        },
      );
      expect(report).toEqual(expected);
    }
  });
});
