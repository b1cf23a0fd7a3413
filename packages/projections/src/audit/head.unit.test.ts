import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Calendar, exportText, loadExport } from "../testing/audit-export.js";
import { type HeadEvent, HeadTracker, headDigest } from "./head.js";

// docs/auditing.md "Head digest": SHA-256 over "<streamId>\n<revision>\n<hash>\n" per stream, streams sorted.

describe.each<Calendar>(["gregorian", "jalali"])("head digest of the %s golden export", (calendar) => {
  const events = loadExport(calendar);
  const lines = exportText(calendar)
    .split("\n")
    .filter((l) => l !== "");

  it("is the documented byte layout over each stream's last event", () => {
    const last = new Map<string, (typeof events)[number]>();
    for (const e of events) last.set(e.streamId, e);
    const ids = [...last.keys()].sort();
    const text = ids
      .map((id) => `${id}\n${last.get(id)?.revision}\n${last.get(id)?.metadata.hash}\n`)
      .join("");
    const expected = createHash("sha256").update(text, "utf8").digest("hex");
    const tracker = new HeadTracker();
    for (const e of events) tracker.push(e);
    expect(tracker.digest()).toBe(expected);
  });

  it("reads export lines without parsing them to the same digest, and a reordered log (global order) too", () => {
    const fromEvents = new HeadTracker();
    for (const e of events) fromEvents.push(e);
    const fromLines = new HeadTracker();
    for (const l of lines) fromLines.pushLine(l);
    expect(fromLines.digest()).toBe(fromEvents.digest());
    const global = [...events].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    const fromGlobal = new HeadTracker();
    for (const e of global) fromGlobal.push(e);
    expect(fromGlobal.digest()).toBe(fromEvents.digest());
  });

  it("changes when any suffix of the log is cut off (a truncated or rolled-back log)", () => {
    const full = new HeadTracker();
    for (const l of lines) full.pushLine(l);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: lines.length }), (cut) => {
        const truncated = new HeadTracker();
        for (const l of lines.slice(0, lines.length - cut)) truncated.pushLine(l);
        expect(truncated.digest()).not.toBe(full.digest());
      }),
    );
  });

  it("with recordedUntil, is the head the log had at that time", () => {
    const at = events[Math.floor(events.length / 2)]?.recordedAt as string;
    const then = new HeadTracker();
    for (const e of events.filter((e) => e.recordedAt <= at)) then.push(e);
    const cut = new HeadTracker({ recordedUntil: at });
    for (const l of lines) cut.pushLine(l);
    expect(cut.digest()).toBe(then.digest());
  });
});

it("an empty log hashes the empty string", () => {
  expect(headDigest([])).toBe(createHash("sha256").update("").digest("hex"));
});

// In-process unit tests of the tracker (the CLI and shard sweeps cover it too, but the mutation run cannot use them).
const H1 = "1".repeat(64);
const H2 = "2".repeat(64);
const H3 = "a".repeat(64);
const sha = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
/** An export line in `vafa export` key order (spec 2); `body` stands for whatever sits between revision and metadata. */
const exportLine = (
  streamId: string,
  revision: number,
  hash: string,
  body = '"eventId":"e","type":"T"',
): string =>
  `{"streamId":${JSON.stringify(streamId)},"revision":${revision},${body},"metadata":{"commandId":"c","hash":"${hash}"}}`;
const placed = (t: HeadTracker) =>
  t.placed().map((h) => `${h.streamId}@${h.revision} ${h.hash.slice(0, 1) || "-"} line ${h.line}`);

describe("headDigest (docs/auditing.md, Head digest)", () => {
  it("is SHA-256 over one line per stream, sorted by UTF-16 code units, not by locale", () => {
    const heads = [
      { streamId: "member-b", revision: 3, hash: H2 },
      { streamId: "member-B", revision: 12, hash: H1 },
      { streamId: "member-a", revision: 0, hash: H3 },
    ];
    expect(headDigest(heads)).toBe(sha(`member-B\n12\n${H1}\nmember-a\n0\n${H3}\nmember-b\n3\n${H2}\n`));
    // Stable for equal ids, whatever order the other heads come in.
    const twice = [
      { streamId: "x", revision: 1, hash: H1 },
      { streamId: "x", revision: 2, hash: H2 },
    ];
    expect(headDigest(twice)).toBe(sha(`x\n1\n${H1}\nx\n2\n${H2}\n`));
    expect(headDigest([{ streamId: "y", revision: 0, hash: H3 }, ...twice])).toBe(
      sha(`x\n1\n${H1}\nx\n2\n${H2}\ny\n0\n${H3}\n`),
    );
    expect(headDigest([...twice, { streamId: "a", revision: 0, hash: H3 }])).toBe(
      sha(`a\n0\n${H3}\nx\n1\n${H1}\nx\n2\n${H2}\n`),
    );
  });
});

describe("HeadTracker (docs/auditing.md, Head digest)", () => {
  it("keeps each stream's last event, with the line that set it", () => {
    const t = new HeadTracker();
    t.push({ streamId: "s", revision: 0, metadata: { hash: H1 } }, 1);
    t.push({ streamId: "r", revision: 0, metadata: { hash: H2 } }, 2);
    t.push({ streamId: "s", revision: 1, metadata: { hash: H3 } }, 3);
    t.push({ streamId: "q", revision: 0, metadata: { hash: H1 } });
    expect(placed(t)).toEqual(["s@1 a line 3", "r@0 2 line 2", "q@0 1 line 0"]);
    expect(t.digest()).toBe(sha(`q\n0\n${H1}\nr\n0\n${H2}\ns\n1\n${H3}\n`));
  });

  it("an event with no string hash counts with an empty hash", () => {
    const t = new HeadTracker();
    t.push({ streamId: "s", revision: 4, metadata: { hash: 7 as unknown as string } });
    t.push({ streamId: "r", revision: 2 } as unknown as HeadEvent);
    expect(t.digest()).toBe(sha("r\n2\n\ns\n4\n\n"));
  });

  it("with recordedUntil, keeps events recorded at or before it, and events with no recordedAt (--head-at)", () => {
    const t = new HeadTracker({ recordedUntil: "2011-01-02T00:00:00.000Z" });
    t.push({ streamId: "s", revision: 0, recordedAt: "2011-01-01T00:00:00.000Z", metadata: { hash: H1 } });
    t.push({ streamId: "s", revision: 1, recordedAt: "2011-01-02T00:00:00.000Z", metadata: { hash: H2 } });
    t.push({ streamId: "s", revision: 2, recordedAt: "2011-01-02T00:00:00.001Z", metadata: { hash: H3 } });
    t.push({ streamId: "r", revision: 0, metadata: { hash: H3 } });
    expect(placed(t)).toEqual(["s@1 2 line 0", "r@0 a line 0"]);
    const all = new HeadTracker();
    all.push({ streamId: "s", revision: 2, recordedAt: "2099-01-01T00:00:00.000Z", metadata: { hash: H3 } });
    expect(placed(all)).toEqual(["s@2 a line 0"]);
  });

  it("merge: for each stream the head of the later line wins; a tie or an earlier line keeps the known head", () => {
    const t = new HeadTracker();
    t.push({ streamId: "s", revision: 5, metadata: { hash: H1 } }, 10);
    t.push({ streamId: "r", revision: 1, metadata: { hash: H1 } }, 10);
    t.push({ streamId: "q", revision: 1, metadata: { hash: H1 } }, 10);
    t.merge([
      { streamId: "s", revision: 6, hash: H2, line: 11 },
      { streamId: "r", revision: 0, hash: H2, line: 9 },
      { streamId: "q", revision: 9, hash: H2, line: 10 },
      { streamId: "p", revision: 0, hash: H3, line: 1 },
    ]);
    expect(placed(t)).toEqual(["s@6 2 line 11", "r@1 1 line 10", "q@1 1 line 10", "p@0 a line 1"]);
  });
});

describe("HeadTracker.pushLine: export lines (spec 2 key order) read without parsing the data", () => {
  it("reads stream, revision, recordedAt and the final metadata.hash of a well-formed line", () => {
    const t = new HeadTracker({ recordedUntil: "2011-01-02T00:00:00.000Z" });
    t.pushLine(
      exportLine('member-"q\\uote', 12, H1, '"recordedAt":"2011-01-01T00:00:00.000Z","data":{"x":1}'),
      4,
    );
    t.pushLine(exportLine("s", 3, H2, '"recordedAt":"2011-01-03T00:00:00.000Z"'), 5);
    t.pushLine(`${exportLine("r", 7, H3)} \t\r`, 6);
    expect(placed(t)).toEqual(['member-"q\\uote@12 1 line 4', "r@7 a line 6"]);
  });

  it("takes the fast path only for a line that starts and ends like an export line", () => {
    // The fast path never parses: a line it accepts may have a broken middle (the audit reports that line).
    const t = new HeadTracker();
    t.pushLine(exportLine("a", 10, H1, "not json"), 1);
    // Anything else is parsed; what does not parse, or is no envelope, is skipped.
    t.pushLine(`x${exportLine("b", 1, H1, "not json")}`, 2);
    t.pushLine(exportLine("c", 1, H1, "not json").replace("}}", "}}x"), 3);
    t.pushLine(exportLine("d", 1, "A".repeat(64), "not json"), 4);
    t.pushLine(exportLine("e", 1, H1.slice(1), "not json"), 5);
    t.pushLine(exportLine("f", 1, `${H1}1`, "not json"), 6);
    t.pushLine(exportLine("g", -1, H1, "not json"), 7);
    t.pushLine('{"streamId":"h" ,"revision":1,"x":"not json","metadata":{"hash":"1111"}}x', 8);
    t.pushLine(`{"streamId":"i","revision":1, not json "hash":"${H1}"}}`, 9);
    expect(placed(t)).toEqual(["a@10 1 line 1", "i@1 1 line 9"]);
  });

  it("parses any other line: a JSON envelope in another key order counts, anything else is skipped", () => {
    const t = new HeadTracker({ recordedUntil: "2011-01-02T00:00:00.000Z" });
    const parsed = (streamId: string, extra: Record<string, unknown>): string =>
      JSON.stringify({ revision: 2, streamId, ...extra });
    t.pushLine(parsed("a", { metadata: { hash: H1 } }), 1);
    t.pushLine(parsed("b", { metadata: { hash: 5 } }), 2);
    t.pushLine(parsed("c", {}), 3);
    t.pushLine(parsed("d", { recordedAt: "2011-01-01T00:00:00.000Z", metadata: { hash: H2 } }), 4);
    t.pushLine(parsed("e", { recordedAt: "2011-01-03T00:00:00.000Z", metadata: { hash: H2 } }), 5);
    t.pushLine(parsed("f", { recordedAt: 20990101, metadata: { hash: H3 } }), 6);
    t.pushLine(parsed("g", { metadata: null }), 7);
    t.pushLine(parsed("h", { recordedAt: ["2099-01-01T00:00:00.000Z"], metadata: { hash: H3 } }), 8);
    for (const skipped of [
      "not json",
      "null",
      "5",
      '"member-x"',
      JSON.stringify({ streamId: 5, revision: 1 }),
      JSON.stringify({ streamId: "x", revision: "1" }),
      JSON.stringify({ revision: 1 }),
      JSON.stringify({ streamId: "x" }),
    ])
      t.pushLine(skipped, 9);
    expect(placed(t)).toEqual([
      "a@2 1 line 1",
      "b@2 - line 2",
      "c@2 - line 3",
      "d@2 2 line 4",
      "f@2 a line 6",
      "g@2 - line 7",
      "h@2 a line 8",
    ]);
    const noLine = new HeadTracker();
    noLine.pushLine(parsed("a", {}));
    noLine.pushLine(exportLine("b", 0, H1));
    expect(placed(noLine)).toEqual(["a@2 - line 0", "b@0 1 line 0"]);
  });
});
