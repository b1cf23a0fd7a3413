import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, type Program, programSchema } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { exportLines } from "../testing/audit-export.js";
import { auditEvents } from "./audit.js";
import type { AuditReport } from "./types.js";

// Spec 7: a log the ledger wrote itself audits clean. The audit reads what
// `vafa export` writes: envelopes as NDJSON lines, streams by id, each in revision order.

const summary = (r: AuditReport): string[] =>
  r.findings.map((f) => `${f.code} ${f.streamId}@${f.revision} ${f.message}`);

const referralProgram = (): Program =>
  programSchema.parse({
    programId: "club",
    version: 1,
    currency: "GBP",
    calendar: "gregorian",
    earn: {
      pointsPerUnit: "1",
      rounding: "floor",
      pendingDays: 0,
      signupBonus: 10,
      birthdayBonus: 100,
      referralBonus: 200,
    },
    expiry: { policy: "rolling", days: 30 },
    tiers: {
      metric: "spend",
      windowDays: 365,
      retentionDays: 0,
      levels: [{ id: "base", threshold: "0", multiplier: "1" }],
    },
    redemption: { minPoints: 1, pointValue: "0.01" },
    rfm: { windowDays: 365 },
  });

describe("7 audit(export(ledger)) is clean", () => {
  it("5.2, 2: the referral reaction's due items on the referrer carry the purchase's correlationId", async () => {
    const store = createMemoryStore();
    const ledger = createLedger({ store, program: referralProgram() });
    await ledger.publishProgram("2011-01-01T00:00:00.000Z");
    // Three commands: alice's birthday and her signup lot's expiry fall due before bob's first purchase.
    const outcomes = [
      await ledger.execute({
        type: "join",
        memberId: "alice",
        at: "2011-01-01T10:00:00Z",
        kind: "person",
        birthDate: "1980-01-20",
      }),
      await ledger.execute({
        type: "join",
        memberId: "bob",
        at: "2011-01-02T10:00:00Z",
        kind: "person",
        referredBy: "alice",
      }),
      await ledger.execute({
        type: "purchase",
        memberId: "bob",
        at: "2011-02-15T10:00:00Z",
        purchaseId: "p1",
        amount: "20.00",
      }),
    ];
    expect(outcomes.map((o) => o.status)).toEqual(["accepted", "accepted", "accepted"]);
    const lines = await exportLines(store);
    const reaction = lines
      .map((l) => JSON.parse(l.text))
      .filter((e) => e.metadata.commandId === "referral:bob")
      .map((e) => `${e.type} ${e.metadata.correlationId}`);
    expect(reaction).toEqual([
      "PointsEarned purchase:p1", // the birthday on 2011-01-20
      "PointsExpired purchase:p1", // the signup lot, 30 days after 2011-01-01
      "PointsEarned purchase:p1", // the referral bonus
    ]);
    expect(summary(await auditEvents(lines))).toEqual([]);
  });

  it("5.2, 2: a referral reaction's event correlated to anything but a purchase is still a finding", async () => {
    const store = createMemoryStore();
    const ledger = createLedger({ store, program: referralProgram() });
    await ledger.publishProgram("2011-01-01T00:00:00.000Z");
    await ledger.execute({ type: "join", memberId: "alice", at: "2011-01-01T10:00:00Z", kind: "person" });
    await ledger.execute({
      type: "join",
      memberId: "bob",
      at: "2011-01-02T10:00:00Z",
      kind: "person",
      referredBy: "alice",
    });
    await ledger.execute({
      type: "purchase",
      memberId: "bob",
      at: "2011-01-03T10:00:00Z",
      purchaseId: "p1",
      amount: "20.00",
    });
    const lines = (await exportLines(store)).map((l) => {
      const e = JSON.parse(l.text);
      if (e.metadata.commandId !== "referral:bob") return l;
      e.metadata.correlationId = "referral:bob";
      return { ...l, text: JSON.stringify(e) };
    });
    expect(summary(await auditEvents(lines))).toEqual([
      "SCHEMA member-alice@2 correlationId referral:bob for command referral:bob",
    ]);
  });
});
