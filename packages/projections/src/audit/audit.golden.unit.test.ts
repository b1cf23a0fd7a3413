import { describe, expect, it } from "vitest";
import { audit, type Calendar, exportPath, loadExport, loadProgram } from "../testing/audit-export.js";
import { auditEvents } from "./audit.js";
import { auditNdjsonFile } from "./ndjson.js";

// Spec 7: "A clean ledger audits clean." The golden exports were checked by hand.

describe.each<Calendar>(["gregorian", "jalali"])("7 audit of the %s golden export", (calendar) => {
  const events = loadExport(calendar);
  const streams = new Set(events.map((e) => e.streamId)).size;

  it("7 a clean ledger audits clean, reading the export file line by line", async () => {
    const report = await auditNdjsonFile(exportPath(calendar));
    expect(report).toEqual({ ok: true, streams, events: events.length, findings: [] });
  });

  it("7 audits clean with the program given as well (EARN_MISMATCH and TIER_MISMATCH checked)", async () => {
    const report = await auditNdjsonFile(exportPath(calendar), { programs: [loadProgram(calendar)] });
    expect(report.findings).toEqual([]);
  });

  it("7 audits clean from the given program alone, without the program stream", async () => {
    const members = events.filter((e) => !e.streamId.startsWith("program-"));
    const report = await audit(members, { programs: [loadProgram(calendar)] });
    expect(report.findings).toEqual([]);
    expect(report.streams).toBe(streams - 1);
  });

  it("7 audits clean as envelopes in a store's global order (program first, streams interleaved)", async () => {
    const program = events.filter((e) => e.streamId.startsWith("program-"));
    const members = events
      .filter((e) => !e.streamId.startsWith("program-"))
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.recordedAt.localeCompare(b.e.recordedAt) || a.i - b.i)
      .map(({ e }) => e);
    const global = [...program, ...members].map((e, i) => ({ ...e, position: BigInt(i + 1) }));
    // biome-ignore lint/suspicious/noExplicitAny: golden envelopes as a store returns them
    const report = await auditEvents(global as any);
    expect(report).toEqual({ ok: true, streams, events: events.length, findings: [] });
  });
});
