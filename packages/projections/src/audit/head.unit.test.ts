import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Calendar, exportText, loadExport } from "../testing/audit-export.js";
import { HeadTracker, headDigest } from "./head.js";

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
