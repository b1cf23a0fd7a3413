import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, type LedgerCommand, testDataKey, toEnvelope } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { program } from "../../../core/src/testing/program.js";
import { clone, type Env, find, normalize, toLines } from "../testing/audit-export.js";
import { changeAt, full, loadClubExport } from "../testing/audit-rows.js";
import { auditEvents } from "./audit.js";

// club-v1 §6 and §10 "Audit" with exact findings: personal values against the
// program's privacy setting, and the birth date in force (given at the join,
// by update-profile, or gone after forget) for the birthday checks.

const club = loadClubExport("gregorian");
const PROGRAM = "program-club-vectors-gregorian";
const streams =
  (...ids: string[]) =>
  (events: Env[]): Env[] =>
    events.filter((e) => ids.includes(e.streamId));

describe("club-v1 §10 personal values against the program's privacy: exact findings", () => {
  it("§10 a plain note text under a program that encrypts", async () => {
    const events = changeAt(club, "member-nina", 12, (e) => {
      e.data.text = "key account";
    });
    expect(full(await auditEvents(toLines(streams(PROGRAM, "member-nina")(events))))).toEqual([
      "SCHEMA member-nina@12: a plain personal value under club-vectors-gregorian v1, which encrypts personal data",
    ]);
  });

  it("§10 sealed values under a program that does not encrypt: one finding per event", async () => {
    const events = changeAt(club, PROGRAM, 0, (e) => {
      e.data.program.privacy = { encryptPersonalData: false };
    });
    expect(full(await auditEvents(toLines(streams(PROGRAM, "member-reza")(events))))).toEqual([
      "SCHEMA member-reza@0: a sealed personal value under club-vectors-gregorian v1, which does not encrypt personal data",
    ]);
  });
});

describe("club-v1 §10 the birth date in force", () => {
  it("§6 a birthday lot after MemberForgotten has no birth date, with or without the key", async () => {
    // Reza's MemberForgotten, moved into Ali's stream before her 2011 birthday lot.
    const copy = clone(club);
    const forget = structuredClone(find(copy, "member-reza", 5));
    Object.assign(forget, {
      streamId: "member-ali",
      occurredAt: "2011-02-06T10:00:00.000Z",
      recordedAt: "2011-02-06T10:00:00.000Z",
    });
    copy.splice(copy.indexOf(find(copy, "member-ali", 7)) + 1, 0, forget);
    const lines = toLines(normalize(copy));
    const finding = "EARN_MISMATCH member-ali@9: birthday points for a member without birthDate";
    const sealed = await auditEvents(lines);
    expect(full(sealed)).toEqual([finding]);
    expect(sealed.birthdaysUnchecked).toBe(0);
    const opened = await auditEvents(lines, { dataKeys: testDataKey });
    expect(full(opened)).toEqual([finding]);
    expect(opened.birthdaysUnchecked).toBe(0);
  });

  it("§10 a birth date given by update-profile on the birthday: the ledger's lot, dated then, audits clean", async () => {
    const store = createMemoryStore();
    const ledger = createLedger({
      store,
      program: program({ programId: "bd", earn: { birthdayBonus: 100 } }),
    });
    await ledger.publishProgram("2011-01-01T00:00:00Z");
    const commands: LedgerCommand[] = [
      { type: "join", memberId: "m1", at: "2011-01-02T10:00:00Z", kind: "person" },
      {
        type: "update-profile",
        memberId: "m1",
        at: "2011-01-10T10:00:00Z",
        updateId: "u1",
        birthDate: "1980-01-10",
      },
      { type: "purchase", memberId: "m1", at: "2011-03-01T10:00:00Z", purchaseId: "p1", amount: "10" },
    ];
    for (const c of commands) await ledger.execute(c);
    const log: Env[] = [];
    for await (const e of store.readAll()) log.push(toEnvelope(e) as unknown as Env);
    const member = log.filter((e) => e.streamId === "member-m1");
    expect(member.map((e) => `${e.type} ${e.data.reason ?? ""}`.trim())).toEqual([
      "MemberJoined",
      "ProfileUpdated",
      "PointsEarned birthday",
      "PurchaseRecorded",
      "PointsEarned purchase",
    ]);
    // Due on the day the date was given, at the time it was given (not at the join).
    expect(member[2]?.occurredAt).toBe("2011-01-10T10:00:00.000Z");
    expect(full(await auditEvents(toLines(log)))).toEqual([]);
  });
});
