import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../testing/memory-io.js";
import { runReport } from "./report.js";

const EXPORT = "fixtures/vectors/gregorian/expected-events.ndjson";

describe("8 report", () => {
  it("8 report: writes one HTML file from an export and says how many members and findings", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "vafa-report-")), "r.html");
    const m = memoryIo();
    const code = await runReport(
      { store: "memory:", events: EXPORT, asOf: "2011-05-15T00:00:00.000Z", out, lang: "en" },
      m.io,
    );
    expect(code).toBe(0);
    expect(m.stdout()).toBe(`wrote ${out} (4 members, audit clean)\n`);
    expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>/i);
  });

  it("8 report: a damaged export still gives a report, with the damaged line as an audit finding", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vafa-report-"));
    const events = join(dir, "damaged.ndjson");
    writeFileSync(events, `${readFileSync(EXPORT, "utf8")}{ not an event\n`);
    const out = join(dir, "r.html");
    const m = memoryIo();
    const code = await runReport(
      { store: "memory:", events, asOf: "2011-05-15T00:00:00.000Z", out, lang: "fa" },
      m.io,
    );
    expect(code).toBe(0);
    expect(m.stdout()).toBe(`wrote ${out} (4 members, audit 1 finding)\n`);
  });
});
