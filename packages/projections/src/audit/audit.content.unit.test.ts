import { describe, expect, it } from "vitest";
import {
  audit,
  clone,
  type Env,
  find,
  loadExport,
  loadProgram,
  normalize,
  rechain,
  where,
} from "../testing/audit-export.js";

// Spec 7 content checks: CLAWBACK_MISMATCH, EXPIRY_MISMATCH, EARN_MISMATCH and
// TIER_MISMATCH, each on a re-chained edit of a golden export.

const greg = loadExport("gregorian");
const jal = loadExport("jalali");
const gregProgram = loadProgram("gregorian");
const jalProgram = loadProgram("jalali");

const edit = (events: Env[], streamId: string, revision: number, change: (e: Env) => void): Env[] => {
  const copy = clone(events);
  change(find(copy, streamId, revision));
  return rechain(copy);
};
const remove = (events: Env[], ...keys: [string, number][]): Env[] =>
  normalize(clone(events).filter((e) => !keys.some(([s, r]) => e.streamId === s && e.revision === r)));
const insertAfter = (events: Env[], streamId: string, revision: number, event: Env): Env[] => {
  const copy = clone(events);
  copy.splice(
    copy.findIndex((e) => e.streamId === streamId && e.revision === revision) + 1,
    0,
    structuredClone(event),
  );
  return normalize(copy);
};
const messages = (report: {
  findings: { code: string; streamId: string | null; revision: number | null; message: string }[];
}) => report.findings.map((f) => `${f.code} ${f.streamId}@${f.revision}: ${f.message}`);

describe("7 CLAWBACK_MISMATCH (5.3)", () => {
  it("7 a clawback that takes other than floor(earned * refundedTotal / amount)", async () => {
    // 400 of 699.99 refunded on a 1749-point lot: floor(1749 * 400 / 699.99) = 999.
    const events = edit(greg, "member-ava", 14, (e) => {
      e.data.points = 998;
      e.data.allocations[0].points = 998;
    });
    const found = messages(await audit(events));
    expect(found.filter((m) => m.includes("@14"))).toEqual([
      "CLAWBACK_MISMATCH member-ava@14: takes 998 points, 5.3 gives 999; allocations [b311687a-542b-5047-8b7e-6dc2f0521663:998], 5.3 gives [b311687a-542b-5047-8b7e-6dc2f0521663:999]",
    ]);
    // The lot keeps one point more than recorded, so its later expiry disagrees too.
    expect(found).toContain("EXPIRY_MISMATCH member-ava@23: expires 750 points, the lot holds 751");
  });

  it("7 a clawback in the wrong order: the purchase's own lot first, then FIFO, then debt", async () => {
    const ben = (id: number) => find(greg, "member-ben", id).eventId;
    const events = edit(greg, "member-ben", 10, (e) => {
      e.data.allocations = [];
      e.data.debtIncurred = 50;
    });
    const found = messages(await audit(events)).filter((m) => m.includes("@10"));
    expect(found).toEqual([
      `CLAWBACK_MISMATCH member-ben@10: allocations [], 5.3 gives [${ben(5)}:40]; debtIncurred is 50, 5.3 gives 10`,
    ]);
  });

  it("7 a refund with its clawback missing", async () => {
    const report = await audit(remove(greg, ["member-ava", 14]));
    expect(where(report)).toContain("CLAWBACK_MISMATCH member-ava@13");
    expect(report.findings.find((f) => f.code === "CLAWBACK_MISMATCH")?.message).toBe(
      "refund a-1003-c1 should claw back 999 points and no clawback follows",
    );
  });

  it("7 a refund of an unknown purchase, and one above what is left of the purchase", async () => {
    const unknown = edit(greg, "member-ben", 7, (e) => {
      e.data.purchaseId = "b-9999";
    });
    expect(messages(await audit(unknown)).filter((m) => m.includes("@7"))).toEqual([
      "CLAWBACK_MISMATCH member-ben@7: refund b-2001-c1 of unknown purchase b-9999",
    ]);
    const above = edit(greg, "member-ben", 9, (e) => {
      e.data.amount = "50.01";
    });
    expect(messages(await audit(above)).filter((m) => m.includes("@9"))).toEqual([
      "CLAWBACK_MISMATCH member-ben@9: refund of 50.01 where 50 of purchase b-2001 is left to refund",
    ]);
  });
});

describe("7 EXPIRY_MISMATCH (5.6)", () => {
  it("7 a recorded expiry that disagrees with the lot", async () => {
    const events = edit(greg, "member-ava", 20, (e) => {
      e.data.points = 89;
    });
    expect(messages(await audit(events))).toEqual([
      "EXPIRY_MISMATCH member-ava@20: expires 89 points, the lot holds 90",
    ]);
  });

  it("7 an expiry dated before its lot expires", async () => {
    const events = edit(greg, "member-ava", 20, (e) => {
      e.occurredAt = "2011-04-20T11:59:59.999Z";
    });
    expect(messages(await audit(events))).toEqual([
      "EXPIRY_MISMATCH member-ava@20: lot 679cf6e0-be8a-5f6c-a816-a7ad9c972aaf expires 2011-04-20T12:00:00.000Z, after this expiry",
    ]);
  });

  it("7 a later event recorded while a lot past its expiresAt still holds points", async () => {
    const report = await audit(remove(greg, ["member-ava", 20]));
    expect(messages(report)).toEqual([
      "EXPIRY_MISMATCH member-ava@20: FeedbackSubmitted at 2011-04-25T10:00:00.000Z while lot 679cf6e0-be8a-5f6c-a816-a7ad9c972aaf still holds 90 points past its expiry 2011-04-20T12:00:00.000Z",
    ]);
  });

  it("7 a reversal into expired lots must expire them at once (5.5)", async () => {
    const report = await audit(remove(jal, ["member-sara", 23]));
    expect(where(report)).toEqual(["EXPIRY_MISMATCH member-sara@23"]);
  });
});

describe("7 EARN_MISMATCH (5.2, section 4), only when the program versions are known", () => {
  it("7 purchase points that disagree with round(amount * pointsPerUnit * tier * campaigns)", async () => {
    // 10.50 by a gold member in the x2 campaign: floor(31.5) = 31.
    const events = edit(greg, "member-ava", 17, (e) => {
      e.data.points = 32;
    });
    const members = events.filter((e) => !e.streamId.startsWith("program-"));
    const earn = (r: { findings: { code: string }[] }) =>
      messages(r as never).filter((m) => m.startsWith("EARN"));
    // Without any program version known, EARN_MISMATCH is not checked.
    expect(earn(await audit(members))).toEqual([]);
    expect(earn(await audit(members, { programs: [gregProgram] }))).toEqual([
      "EARN_MISMATCH member-ava@17: purchase a-1006 earned 32 points, 5.2 gives 31",
    ]);
    // Either way, the extra point left in the lot shows when the lot expires.
    expect(where(await audit(members))).toEqual(["EXPIRY_MISMATCH member-ava@25"]);
  });

  it("7 the program published in the log is enough (no program given)", async () => {
    const events = edit(jal, "member-sara", 17, (e) => {
      e.data.points = 20371;
    });
    expect(where(await audit(events))).toEqual(["EARN_MISMATCH member-sara@17"]);
  });

  it("7 a purchase that should have earned but did not", async () => {
    const report = await audit(remove(greg, ["member-cleo", 8], ["member-cleo", 11]));
    expect(messages(report)).toEqual([
      "EARN_MISMATCH member-cleo@7: purchase c-3002 should have earned 45 points and earned none",
    ]);
  });

  it("7 availableAt and expiresAt that disagree with pendingDays and the expiry policy", async () => {
    const events = edit(greg, "member-ava", 3, (e) => {
      e.data.availableAt = "2011-01-11T09:30:00.000Z";
    });
    expect(messages(await audit(events))).toEqual([
      "EARN_MISMATCH member-ava@3: availableAt is 2011-01-11T09:30:00.000Z, the program gives 2011-01-10T09:30:00.000Z",
    ]);
    const calendarPolicy = edit(jal, "member-nima", 1, (e) => {
      e.data.expiresAt = "2012-03-21T00:00:00.000Z";
    });
    const found = messages(await audit(calendarPolicy));
    expect(found[0]).toBe(
      "EARN_MISMATCH member-nima@1: expiresAt is 2012-03-21T00:00:00.000Z, the program gives 2012-03-20T00:00:00.000Z",
    );
  });

  it("7 a bonus that is not the program's (signup, birthday date)", async () => {
    const signup = edit(jal, "member-reza", 1, (e) => {
      e.data.points = 999;
    });
    const found = messages(await audit(signup)).filter((m) => m.includes("@1:"));
    expect(found).toEqual([
      "EARN_MISMATCH member-reza@1: signup bonus of 999 points, the program gives 1000",
    ]);
    // 30 Esfand 1370 falls on 29 Esfand 1390 (2012-03-19) in a common year.
    const birthday = edit(jal, "member-sara", 13, (e) => {
      e.occurredAt = "2012-03-19T00:00:00.000Z";
      e.data.birthdayYear = 1389;
    });
    expect(messages(await audit(birthday, { programs: [jalProgram] }))).toEqual([
      "EARN_MISMATCH member-sara@13: birthday of jalali year 1389 falls before the member joined",
    ]);
  });

  it("7 a second birthday for a year, and a second referral bonus for a referee", async () => {
    const birthday = find(greg, "member-cleo", 12);
    const twice = insertAfter(greg, "member-cleo", 12, birthday);
    expect(messages(await audit(twice))).toEqual([
      "EARN_MISMATCH member-cleo@13: a second birthday for year 2012",
    ]);
    const referral = find(greg, "member-ava", 4);
    const again = insertAfter(greg, "member-ava", 4, referral);
    expect(messages(await audit(again)).filter((m) => m.startsWith("EARN"))).toEqual([
      "EARN_MISMATCH member-ava@5: a second referral bonus for referee ben",
    ]);
  });
});

describe("7 TIER_MISMATCH (5.7), only when the program versions are known", () => {
  it("7 a TierChanged whose to is not the target at its time", async () => {
    const events = edit(greg, "member-ava", 7, (e) => {
      e.data.to = "gold";
    });
    const found = messages(await audit(events, { programs: [gregProgram] }));
    expect(found[0]).toBe(
      "TIER_MISMATCH member-ava@7: to is gold, the target at 2011-01-20T12:00:00.000Z is silver",
    );
    // The stored tier is then gold: the next change from silver does not start where the member was.
    expect(found).toContain("TIER_MISMATCH member-ava@12: from is silver, the member was in gold");
  });

  it("7 a metric that is not metric(t)", async () => {
    const events = edit(jal, "member-sara", 12, (e) => {
      e.data.metric = "479546";
    });
    expect(messages(await audit(events))).toEqual([
      "TIER_MISMATCH member-sara@12: metric is 479546, the purchases give 479545",
    ]);
  });

  it("7 a move down before tierSince + retentionDays", async () => {
    // The same program with 90 days' retention: gold since 2011-03-05 holds until 2011-06-03.
    const longer = { ...gregProgram, tiers: { ...gregProgram.tiers, retentionDays: 90 } };
    const members = clone(greg).filter((e) => !e.streamId.startsWith("program-"));
    const found = messages(await audit(members, { programs: [longer] }));
    expect(found).toEqual([
      "TIER_MISMATCH member-ava@22: move down before tierSince + retentionDays (2011-06-03T10:00:00.000Z)",
    ]);
  });

  it("7 a given program that differs from the published one of the same version is a SCHEMA finding", async () => {
    const longer = { ...gregProgram, tiers: { ...gregProgram.tiers, retentionDays: 90 } };
    const report = await audit(greg, { programs: [longer] });
    expect(where(report)).toContain("SCHEMA program-vectors-gbp@0");
  });

  it("7 a member event naming a program version the log never published", async () => {
    const events = edit(greg, "member-ben", 9, (e) => {
      e.metadata.programVersion = 7;
    });
    expect(messages(await audit(events))).toEqual([
      "SCHEMA member-ben@9: metadata names program vectors-gbp version 7, which the log never published",
    ]);
  });
});
