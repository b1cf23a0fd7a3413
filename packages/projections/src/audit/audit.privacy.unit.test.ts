import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Program, sealValue, testDataKey } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { auditEvents } from "./audit.js";
import { auditNdjsonFile } from "./ndjson.js";
import { auditNdjsonFileParallel } from "./parallel.js";

// club-v1 §6 and §10 "Audit": the hash chain covers the ciphertext, so the club
// vectors' exports audit clean with no key; with the keys every birthday lot
// is re-derived from the birth date in force, without them it is counted.

const root = join(import.meta.dirname, "../../../../fixtures/vectors");
const exportOf = (name: string) => join(root, name, "expected-events.ndjson");
const programOf = (name: string) =>
  JSON.parse(readFileSync(join(root, name, "program.json"), "utf8")) as Program;
const lines = (name: string) =>
  readFileSync(exportOf(name), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown> & { data: Record<string, unknown> });
const birthdayLots = (name: string) =>
  lines(name).filter((e) => e.type === "PointsEarned" && e.data.reason === "birthday").length;

describe.each(["club-gregorian", "club-jalali"])("club-v1 §10 audit of the %s export", (name) => {
  it("audits clean without keys; each birthday lot is counted as unchecked", async () => {
    const report = await auditNdjsonFile(exportOf(name), { programs: [programOf(name)] });
    expect(report.findings).toEqual([]);
    expect(report.birthdaysUnchecked).toBe(birthdayLots(name));
    expect(birthdayLots(name)).toBeGreaterThan(0);
  });

  it("audits clean with the test keys, every birthday re-derived (none unchecked)", async () => {
    const report = await auditNdjsonFile(exportOf(name), {
      programs: [programOf(name)],
      dataKeys: testDataKey,
    });
    expect(report.findings).toEqual([]);
    expect(report.birthdaysUnchecked).toBe(0);
  });

  it("the parallel audit gives the same report", async () => {
    const one = await auditNdjsonFile(exportOf(name), { dataKeys: testDataKey });
    expect(await auditNdjsonFileParallel(exportOf(name), { workers: 2, dataKeys: testDataKey })).toEqual(one);
  });
});

describe("club-v1 §10: personal values against the program's privacy setting", () => {
  const asEnvelopes = (events: ReturnType<typeof lines>) =>
    // biome-ignore lint/suspicious/noExplicitAny: export lines as a store returns them
    events.map((e, i) => ({ ...e, position: BigInt(i + 1) })) as any;

  it("a birthday lot dated off the birth date (opened with the key) is EARN_MISMATCH", async () => {
    const events = lines("club-gregorian");
    const ali = events.find((e) => e.streamId === "member-ali" && e.type === "MemberJoined");
    if (!ali) throw new Error("the vector has ali");
    // Another birth date, sealed in place: the hash breaks too, but the birthday is judged on the date.
    ali.data.birthDate = sealValue(testDataKey("ali"), ali.eventId as string, "birthDate", "1985-03-10");
    const report = await auditEvents(asEnvelopes(events), { dataKeys: testDataKey });
    expect(report.findings.map((f) => f.code)).toContain("EARN_MISMATCH");
    const without = await auditEvents(asEnvelopes(lines("club-gregorian")), {});
    expect(without.findings).toEqual([]);
  });

  it("a plain personal value under a program that encrypts is SCHEMA", async () => {
    const events = lines("club-gregorian");
    const nina = events.find((e) => e.streamId === "member-nina" && e.type === "NoteAdded");
    if (!nina) throw new Error("the vector has a note");
    nina.data.text = "key account";
    const report = await auditEvents(asEnvelopes(events));
    expect(report.findings.map((f) => f.code)).toContain("SCHEMA");
    expect(report.findings.find((f) => f.code === "SCHEMA")?.message).toMatch(/plain personal value/);
  });

  it("a sealed personal value under a program that does not encrypt is SCHEMA", async () => {
    const events = lines("club-gregorian");
    const program = events.find((e) => e.type === "ProgramPublished");
    if (!program) throw new Error("the vector publishes its program");
    (program.data.program as Record<string, unknown>).privacy = { encryptPersonalData: false };
    const report = await auditEvents(asEnvelopes(events));
    expect(report.findings.some((f) => f.code === "SCHEMA" && /sealed personal value/.test(f.message))).toBe(
      true,
    );
  });
});
