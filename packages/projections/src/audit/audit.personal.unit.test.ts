import { createMemoryKeyStore, createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, type LedgerCommand, sealValue, testDataKey, toEnvelope } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { program } from "../../../core/src/testing/program.js";
import { clone, type Env, find, normalize, rechain, toLines } from "../testing/audit-export.js";
import { changeAt, full, insertAfter, loadClubExport } from "../testing/audit-rows.js";
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

// One member whose personal values are plain under bd v1 and sealed under bd
// v2 (club-v1 §6: the program decides), with the test key of each member.
type Step = [sealed: boolean, command: LedgerCommand];
const bdLog = async (steps: Step[]): Promise<Env[]> => {
  const store = createMemoryStore();
  const bd = { programId: "bd", earn: { birthdayBonus: 100 } };
  const plain = createLedger({ store, program: program({ ...bd, version: 1 }) });
  const sealed = createLedger({
    store,
    keyStore: createMemoryKeyStore({ generate: testDataKey }),
    program: program({ ...bd, version: 2, privacy: { encryptPersonalData: true } }),
  });
  await plain.publishProgram("2011-01-01T00:00:00Z");
  await sealed.publishProgram("2011-01-01T00:00:01Z");
  for (const [isSealed, command] of steps) await (isSealed ? sealed : plain).execute(command);
  const log: Env[] = [];
  for await (const e of store.readAll()) log.push(toEnvelope(e) as unknown as Env);
  return log;
};
const join = (birthDate?: string): LedgerCommand => ({
  type: "join",
  memberId: "m1",
  at: "2011-01-02T10:00:00Z",
  kind: "person",
  ...(birthDate ? { birthDate } : {}),
});
// A purchase after the birthday: the ledger appends the birthday lot first.
const purchase = (at: string, purchaseId: string): LedgerCommand => ({
  type: "purchase",
  memberId: "m1",
  at,
  purchaseId,
  amount: "10",
});
const update = (birthDate: string): LedgerCommand => ({
  type: "update-profile",
  memberId: "m1",
  at: "2011-03-02T10:00:00Z",
  updateId: "u1",
  birthDate,
});
/** A birth date sealed for m1@revision under `key` (one that is not m1's does not open). */
const reseal = (log: Env[], revision: number, birthDate: string, key = testDataKey("m1")): Env[] =>
  changeAt(log, "member-m1", revision, (e) => {
    e.data.birthDate = sealValue(key, e.eventId, "birthDate", birthDate);
  });
const audit = async (log: Env[], withKeys: boolean) => {
  const report = await auditEvents(toLines(log), withKeys ? { dataKeys: testDataKey } : {});
  return { findings: full(report), unchecked: report.birthdaysUnchecked };
};
// m1@1 and m1@5 are the 2011 and 2012 birthday lots (10 Feb, then 10 May).
const lots = (first: boolean): Step[] => [
  [first, join("1980-02-10")],
  [first, purchase("2011-03-01T10:00:00Z", "p1")],
  [!first, update("1980-05-10")],
  [!first, purchase("2012-06-01T10:00:00Z", "p2")],
];

describe('club-v1 §10 "Audit": the birth date in force, sealed or plain, lot by lot', () => {
  it("§10 sealed at the join, then plain by update-profile: the first lot unchecked without the key, the second re-derived", async () => {
    const log = await bdLog(lots(true));
    expect(find(log, "member-m1", 0).data.birthDate).toHaveProperty("$pii");
    expect(find(log, "member-m1", 4).data.birthDate).toBe("1980-05-10");
    expect(await audit(log, false)).toEqual({ findings: [], unchecked: 1 });
    expect(await audit(log, true)).toEqual({ findings: [], unchecked: 0 });
    // The plain date is the one in force for the 2012 lot, key or not.
    const moved = changeAt(log, "member-m1", 4, (e) => {
      e.data.birthDate = "1980-05-11";
    });
    const finding =
      "EARN_MISMATCH member-m1@5: birthday of gregorian year 2012 is dated 2012-05-10T00:00:00.000Z, it falls on 2012-05-11T00:00:00.000Z";
    expect(await audit(moved, false)).toEqual({ findings: [finding], unchecked: 1 });
    expect(await audit(moved, true)).toEqual({ findings: [finding], unchecked: 0 });
  });

  it("§10 a sealed birth date that does not open under the member's key, then one that opens", async () => {
    // All sealed, with a note (sealed, no birth date: the one in force stays unread) before the 2011 lot.
    const note: LedgerCommand = {
      type: "add-note",
      memberId: "m1",
      at: "2011-01-05T10:00:00Z",
      noteId: "n1",
      text: "called",
      actor: "staff",
    };
    const steps: Step[] = lots(true).map(([, c]) => [true, c]);
    steps.splice(1, 0, [true, note]);
    // The join's date sealed under another member's key: unread even with the keys.
    const log = reseal(await bdLog(steps), 0, "1980-02-10", testDataKey("m2"));
    expect(find(log, "member-m1", 1).type).toBe("NoteAdded");
    expect(await audit(log, true)).toEqual({ findings: [], unchecked: 1 });
    expect(await audit(log, false)).toEqual({ findings: [], unchecked: 2 });
    // The update's date opens with the key and is checked: another date there is EARN_MISMATCH.
    const moved = reseal(log, 5, "1980-05-11");
    expect(await audit(moved, true)).toEqual({
      findings: [
        "EARN_MISMATCH member-m1@6: birthday of gregorian year 2012 is dated 2012-05-10T00:00:00.000Z, it falls on 2012-05-11T00:00:00.000Z",
      ],
      unchecked: 1,
    });
    expect(await audit(moved, false)).toEqual({ findings: [], unchecked: 2 });
  });

  it.each([
    ["plain", false, true],
    ["sealed, opened with the key", true, true],
    ["sealed, without the key", true, false],
  ])(
    "§10 a second MemberJoined is not applied: its birth date (%s) is not in force",
    async (_, sealed, withKey) => {
      // m1@0 without a birth date, then a copy of it that has one, then the 2011 lot.
      const built = await bdLog([
        [sealed, join("1980-02-10")],
        [sealed, purchase("2011-03-01T10:00:00Z", "p1")],
      ]);
      const log = insertAfter(built, "member-m1", 0, () => {});
      delete find(log, "member-m1", 0).data.birthDate;
      const second = find(log, "member-m1", 1);
      if (sealed)
        second.data.birthDate = sealValue(testDataKey("m1"), second.eventId, "birthDate", "1980-02-10");
      rechain(log);
      expect(await audit(log, withKey)).toEqual({
        findings: [
          "SCHEMA member-m1@1: a second MemberJoined in the stream",
          "EARN_MISMATCH member-m1@2: birthday points for a member without birthDate",
        ],
        // A log without a sealed value has no count at all.
        unchecked: sealed ? 0 : undefined,
      });
    },
  );

  it("§10 plain at the join, then sealed by update-profile: with the key both lots are re-derived", async () => {
    const log = await bdLog(lots(false));
    expect(find(log, "member-m1", 0).data.birthDate).toBe("1980-02-10");
    expect(find(log, "member-m1", 4).data.birthDate).toHaveProperty("$pii");
    expect(await audit(log, true)).toEqual({ findings: [], unchecked: 0 });
    expect(await audit(reseal(log, 4, "1980-05-11"), true)).toEqual({
      findings: [
        "EARN_MISMATCH member-m1@5: birthday of gregorian year 2012 is dated 2012-05-10T00:00:00.000Z, it falls on 2012-05-11T00:00:00.000Z",
      ],
      unchecked: 0,
    });
  });

  // The unread update is dropped from the data the state sees, which keeps the old
  // plain date: the audit must not re-derive the 2012 lot from it.
  it("§10 plain at the join, then sealed by update-profile: without the key the second lot is unchecked", async () => {
    expect(await audit(await bdLog(lots(false)), false)).toEqual({ findings: [], unchecked: 1 });
  });
});
