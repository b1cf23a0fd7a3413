import { createMemoryStore } from "@vafa/adapters/memory";
import { createLedger, toEnvelope } from "@vafa/core";
import { beforeAll, describe, expect, it } from "vitest";
import { clone, type Env, find, normalize, rechain, toLines } from "../testing/audit-export.js";
import { clubProgram } from "../testing/club-program.js";
import { auditEvents } from "./audit.js";
import type { AuditReport } from "./types.js";

// club-v1 §2 coupons: a ledger-written log (three members redeem a mug; one
// uses the coupon, one reverses), then one tampered row each, with the exact
// findings the audit must give (club-v1 §7).

const program = clubProgram([{ id: "mug", cost: 100, stock: 5, coupon: { validDays: 10 } }]);
const at = (day: number, time = "10:00:00") => `2011-01-${String(day).padStart(2, "0")}T${time}Z`;
const iso = (day: number) => `2011-01-${String(day).padStart(2, "0")}T10:00:00.000Z`;
const build = async (): Promise<Env[]> => {
  const store = createMemoryStore();
  const ledger = createLedger({ store, program, couponSecret: "vafa-test-secret" });
  await ledger.publishProgram(at(1));
  for (const m of ["m1", "m2", "m3"]) {
    await ledger.execute({ type: "join", memberId: m, at: at(1), kind: "person" });
    await ledger.execute({ type: "purchase", memberId: m, at: at(1), purchaseId: `p-${m}`, amount: "1000" });
    await ledger.execute({ type: "redeem", memberId: m, at: at(2), redemptionId: "r1", rewardId: "mug" });
  }
  const code = (await ledger.loadMember("m2")).coupons.get("r1")?.code as string;
  await ledger.execute({ type: "use-coupon", memberId: "m2", at: at(4), couponId: "r1", code });
  await ledger.execute({ type: "reverse-redemption", memberId: "m1", at: at(4), redemptionId: "r1" });
  const out: Env[] = [];
  for await (const e of store.readAll()) out.push(toEnvelope(e) as unknown as Env);
  return out.sort((a, b) =>
    a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.revision - b.revision,
  );
};
const full = (report: AuditReport): string[] =>
  report.findings.map((f) => `${f.code} ${f.streamId ?? "-"}@${f.revision ?? "-"}: ${f.message}`);
/** A new event after streamId@revision (a copy of that event, changed), renumbered and re-chained. */
const add = (log: Env[], streamId: string, revision: number, change: (e: Env) => void): Env[] => {
  const copy = clone(log);
  const i = copy.findIndex((e) => e.streamId === streamId && e.revision === revision);
  const e = structuredClone(copy[i] as Env);
  change(e);
  copy.splice(i + 1, 0, e);
  return normalize(copy);
};
const set = (e: Env, type: string, data: unknown, commandId: string, occurredAt = e.occurredAt) => {
  Object.assign(e, { type, data, occurredAt, recordedAt: occurredAt });
  e.metadata.commandId = commandId;
  e.metadata.correlationId = commandId;
};
const change = (log: Env[], streamId: string, revision: number, f: (e: Env) => void): Env[] => {
  const copy = clone(log);
  f(find(copy, streamId, revision));
  return rechain(copy);
};
const drop = (log: Env[], streamId: string, revision: number): Env[] =>
  normalize(clone(log).filter((e) => !(e.streamId === streamId && e.revision === revision)));
/** Gives one event another commandId (and correlationId), then re-derives ids and hashes. */
const cmd = (log: Env[], streamId: string, revision: number, commandId: string): Env[] => {
  const copy = clone(log);
  const e = find(copy, streamId, revision);
  e.metadata.commandId = commandId;
  e.metadata.correlationId = commandId;
  return normalize(copy);
};
interface Row {
  name: string;
  tamper: (log: Env[]) => Env[];
  findings: string[];
}

const rows: Row[] = [
  {
    name: "a coupon issued twice",
    tamper: (log) => add(log, "member-m3", 4, () => {}),
    findings: ["SCHEMA member-m3@5: couponId r1 repeats in the stream"],
  },
  {
    name: "a coupon of another reward than its redemption's",
    tamper: (log) =>
      change(log, "member-m3", 4, (e) => {
        e.data.rewardId = "cup";
      }),
    findings: ["COUPON_MISMATCH member-m3@4: coupon r1 does not follow its redemption of cup"],
  },
  {
    name: "a coupon of no redemption",
    tamper: (log) =>
      change(log, "member-m3", 4, (e) => {
        e.data.couponId = "r2";
      }),
    findings: [
      "SCHEMA member-m3@4: CouponIssued cannot come from redeem:r1",
      "COUPON_MISMATCH member-m3@4: coupon r2 does not follow its redemption of mug",
    ],
  },
  {
    name: "a coupon that does not follow its redemption at once",
    tamper: (log) =>
      add(log, "member-m3", 3, (e) =>
        set(e, "FeedbackSubmitted", { feedbackId: "f1", score: 5 }, "feedback:f1"),
      ),
    findings: ["COUPON_MISMATCH member-m3@5: coupon r1 does not follow its redemption of mug"],
  },
  {
    name: "a coupon valid only until its issue",
    tamper: (log) =>
      change(log, "member-m3", 4, (e) => {
        e.data.validUntil = e.occurredAt;
      }),
    findings: [
      "COUPON_MISMATCH member-m3@4: coupon r1 is valid until 2011-01-02T10:00:00.000Z, not after its issue",
    ],
  },
  {
    name: "a coupon valid 1 ms after its issue is fine",
    tamper: (log) =>
      change(log, "member-m3", 4, (e) => {
        e.data.validUntil = "2011-01-02T10:00:00.001Z";
      }),
    findings: [],
  },
  {
    // The coupon is replayed though it is wrong: its use and void are judged without a redemption.
    name: "a use of a coupon of no redemption",
    tamper: (log) =>
      add(
        change(log, "member-m3", 4, (e) => {
          e.data.couponId = "r2";
        }),
        "member-m3",
        4,
        (e) => set(e, "CouponUsed", { couponId: "r2" }, "use-coupon:r2", iso(5)),
      ),
    findings: [
      "SCHEMA member-m3@4: CouponIssued cannot come from redeem:r1",
      "COUPON_MISMATCH member-m3@4: coupon r2 does not follow its redemption of mug",
    ],
  },
  {
    name: "a void of a coupon of no redemption",
    tamper: (log) =>
      add(
        change(log, "member-m3", 4, (e) => {
          e.data.couponId = "r2";
        }),
        "member-m3",
        4,
        (e) => set(e, "CouponVoided", { couponId: "r2" }, "reverse-redemption:r2", iso(5)),
      ),
    findings: [
      "SCHEMA member-m3@4: CouponIssued cannot come from redeem:r1",
      "COUPON_MISMATCH member-m3@4: coupon r2 does not follow its redemption of mug",
      "COUPON_MISMATCH member-m3@5: void of coupon r2: its redemption stands",
    ],
  },
  {
    name: "a use of no coupon",
    tamper: (log) =>
      add(log, "member-m3", 4, (e) => set(e, "CouponUsed", { couponId: "r9" }, "use-coupon:r9", iso(5))),
    findings: ["COUPON_MISMATCH member-m3@5: use of coupon r9: no such coupon was issued"],
  },
  {
    name: "a coupon used twice",
    tamper: (log) => add(log, "member-m2", 5, () => {}),
    findings: ["COUPON_MISMATCH member-m2@6: use of coupon r1: it was already used"],
  },
  {
    name: "a use of a voided coupon",
    tamper: (log) =>
      add(log, "member-m1", 6, (e) => set(e, "CouponUsed", { couponId: "r1" }, "use-coupon:r1", iso(5))),
    findings: ["COUPON_MISMATCH member-m1@7: use of coupon r1: it was voided"],
  },
  {
    name: "a use after the coupon expired",
    tamper: (log) =>
      add(log, "member-m3", 4, (e) => set(e, "CouponUsed", { couponId: "r1" }, "use-coupon:r1", iso(20))),
    findings: ["COUPON_MISMATCH member-m3@5: use of coupon r1: it expired at 2011-01-12T10:00:00.000Z"],
  },
  {
    name: "a use at exactly validUntil is too late",
    tamper: (log) =>
      add(log, "member-m3", 4, (e) =>
        set(e, "CouponUsed", { couponId: "r1" }, "use-coupon:r1", "2011-01-12T10:00:00.000Z"),
      ),
    findings: ["COUPON_MISMATCH member-m3@5: use of coupon r1: it expired at 2011-01-12T10:00:00.000Z"],
  },
  {
    name: "a use 1 ms before validUntil is fine",
    tamper: (log) =>
      add(log, "member-m3", 4, (e) =>
        set(e, "CouponUsed", { couponId: "r1" }, "use-coupon:r1", "2011-01-12T09:59:59.999Z"),
      ),
    findings: [],
  },
  {
    name: "a use after its redemption was reversed",
    tamper: (log) =>
      add(drop(log, "member-m1", 6), "member-m1", 5, (e) =>
        set(e, "CouponUsed", { couponId: "r1" }, "use-coupon:r1", iso(5)),
      ),
    findings: ["COUPON_MISMATCH member-m1@6: use of coupon r1: its redemption was reversed"],
  },
  {
    name: "a void of no coupon",
    tamper: (log) =>
      add(log, "member-m3", 4, (e) =>
        set(e, "CouponVoided", { couponId: "r9" }, "reverse-redemption:r9", iso(5)),
      ),
    findings: ["COUPON_MISMATCH member-m3@5: void of coupon r9: no such coupon was issued"],
  },
  {
    name: "a void of a used coupon",
    tamper: (log) =>
      add(log, "member-m2", 5, (e) =>
        set(e, "CouponVoided", { couponId: "r1" }, "reverse-redemption:r1", iso(5)),
      ),
    findings: ["COUPON_MISMATCH member-m2@6: void of coupon r1: it was used"],
  },
  {
    name: "a coupon voided twice",
    tamper: (log) => add(log, "member-m1", 6, () => {}),
    findings: ["COUPON_MISMATCH member-m1@7: void of coupon r1: it was already voided"],
  },
  {
    name: "a void while its redemption stands",
    tamper: (log) =>
      add(log, "member-m3", 4, (e) =>
        set(e, "CouponVoided", { couponId: "r1" }, "reverse-redemption:r1", iso(5)),
      ),
    findings: ["COUPON_MISMATCH member-m3@5: void of coupon r1: its redemption stands"],
  },
  {
    name: "a CouponUsed from another coupon's use",
    tamper: (log) => cmd(log, "member-m2", 5, "use-coupon:r9"),
    findings: ["SCHEMA member-m2@5: CouponUsed cannot come from use-coupon:r9"],
  },
  {
    name: "a CouponVoided from another redemption's reversal",
    tamper: (log) => cmd(log, "member-m1", 6, "reverse-redemption:r9"),
    findings: ["SCHEMA member-m1@6: CouponVoided cannot come from reverse-redemption:r9"],
  },
  {
    name: "a CouponIssued from another redemption",
    tamper: (log) => cmd(log, "member-m3", 4, "redeem:r9"),
    findings: ["SCHEMA member-m3@4: CouponIssued cannot come from redeem:r9"],
  },
  {
    name: "a RewardClaimed from another member's claim",
    tamper: (log) => cmd(log, "reward-mug", 0, "claim:m9/r1"),
    findings: ["SCHEMA reward-mug@0: RewardClaimed cannot come from claim:m9/r1"],
  },
  {
    name: "a RewardClaimed from another redemption's claim",
    tamper: (log) => cmd(log, "reward-mug", 0, "claim:m1/r9"),
    findings: ["SCHEMA reward-mug@0: RewardClaimed cannot come from claim:m1/r9"],
  },
  {
    name: "a RewardReleased from another member's claim",
    tamper: (log) => cmd(log, "reward-mug", 3, "claim:m2/r1"),
    findings: ["SCHEMA reward-mug@3: RewardReleased cannot come from claim:m2/r1"],
  },
  {
    name: "a member event in a reward stream",
    tamper: (log) =>
      add(log, "reward-mug", 3, (e) =>
        set(e, "FeedbackSubmitted", { feedbackId: "f1", score: 5 }, "feedback:f1"),
      ),
    findings: ["SCHEMA reward-mug@4: FeedbackSubmitted in reward stream reward-mug"],
  },
];

describe("club-v1 §7 COUPON_MISMATCH: exact findings", () => {
  let log: Env[] = [];
  beforeAll(async () => {
    log = await build();
  });

  it("club-v1 §7 the untouched log audits clean", async () => {
    expect(full(await auditEvents(toLines(log)))).toEqual([]);
  });

  it.each(rows)("club-v1 §7 $name", async ({ tamper, findings }) => {
    expect(full(await auditEvents(toLines(tamper(log))))).toEqual(findings);
  });
});
