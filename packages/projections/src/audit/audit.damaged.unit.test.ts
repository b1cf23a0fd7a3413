import { describe, expect, it } from "vitest";
import {
  clone,
  type Env,
  find,
  loadExport,
  loadProgram,
  normalize,
  rechain,
  toLines,
} from "../testing/audit-export.js";
import { full, only } from "../testing/audit-rows.js";
import { auditEvents } from "./audit.js";
import type { AuditInput } from "./types.js";

// Damaged inputs, one row each, with the exact findings they must produce
// (spec 7): code, stream@revision and message. Edits that must reach the
// content checks are re-chained so that no HASH_MISMATCH hides them. These
// rows pin the audit's handling of broken lines and its messages (the
// mutation run of docs/testing.md found them unchecked).

const greg = loadExport("gregorian");

/** Edits one event of a copy of the golden export, then re-chains the hashes. */
const edit = (streamId: string, revision: number, change: (e: Env) => void, chain = true): Env[] => {
  const copy = clone(greg);
  change(find(copy, streamId, revision));
  return chain ? rechain(copy) : copy;
};

const lines = (events: Env[]) => toLines(events);

interface Row {
  name: string;
  input: () => AuditInput[];
  findings: string[];
}

const ben = (): Env[] => clone(greg).filter((e) => e.streamId === "member-ben");
const asItem = (v: unknown): AuditInput => v as AuditInput;
const raw = (e: Env): Record<string, unknown> => e as unknown as Record<string, unknown>;
const meta = (e: Env): Record<string, unknown> => e.metadata as Record<string, unknown>;

const rows: Row[] = [
  {
    name: "a lone CR line is blank (a CRLF export)",
    input: () => [...lines(ben()), { line: 99, text: "\r" }],
    findings: [],
  },
  {
    name: "CRLF line ends",
    input: () => lines(ben()).map((l) => ({ ...l, text: `${l.text}\r` })),
    findings: [],
  },
  {
    name: "a BOM on line 1 is dropped",
    input: () => lines(ben()).map((l) => (l.line === 1 ? { ...l, text: `\uFEFF${l.text}` } : l)),
    findings: [],
  },
  {
    name: "spaces and tabs only are blank; other text is not JSON",
    input: () => [
      { line: 1, text: " \t " },
      { line: 2, text: "" },
      { line: 3, text: "\t" },
    ],
    findings: [],
  },
  {
    name: "JSON lines that are no envelope",
    input: () => [
      { line: 1, text: "[1]" },
      { line: 2, text: "null" },
      { line: 3, text: '{"streamId":5,"eventId":"e-1"}' },
      { line: 4, text: '{"eventId":7}' },
      { line: 5, text: '["streamId"]' },
    ],
    findings: [1, 2, 3, 4, 5].map((n) => `SCHEMA -@-: line ${n} is not an event envelope (no streamId)`),
  },
  {
    name: "input items that are no envelope (nor a line: text must be a string, line a number)",
    input: () => [
      asItem(42),
      asItem({ eventId: "e-2" }),
      asItem({ text: "{}", line: "1" }),
      asItem({ text: 5, line: 1 }),
      asItem([]),
    ],
    findings: Array(5).fill("SCHEMA -@-: an input item is not an event envelope (no streamId)"),
  },
  {
    name: "an envelope with many problems: the first three, then what follows from it",
    input: () =>
      lines(
        edit(
          "member-ben",
          2,
          (e) => {
            Object.assign(raw(e), { revision: "2", eventId: 5, type: "Nope", occurredAt: 7, recordedAt: 1 });
          },
          false,
        ),
      ),
    findings: [
      "SCHEMA member-ben@-: envelope.revision: must be an integer >= 0; envelope.eventId: must be a UUID; envelope.type: unknown event type",
      "HASH_MISMATCH member-ben@-: hash does not match the event's content",
      "REVISION_GAP member-ben@3: revision 3 where 2 comes next",
      "EARN_MISMATCH member-ben@3: purchase points recorded without purchase b-2001",
      "CLAWBACK_MISMATCH member-ben@7: refund b-2001-c1 of unknown purchase b-2001",
      "CLAWBACK_MISMATCH member-ben@8: clawback for refund b-2001-c1 that calls for none here",
      "CLAWBACK_MISMATCH member-ben@9: refund b-2001-c2 of unknown purchase b-2001",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "metadata with many problems: the first three",
    input: () =>
      lines(
        edit("member-ben", 2, (e) => {
          Object.assign(meta(e), {
            schemaVersion: "1",
            programId: 5,
            programVersion: "1",
            correlationId: 4,
            extra: 1,
          });
        }),
      ),
    findings: [
      "SCHEMA member-ben@2: metadata.extra: unknown key; metadata.schemaVersion: must be 1; metadata.programId: must be an id",
    ],
  },
  {
    name: "a stream of no known kind is named once, at its first event",
    input: () => lines(normalize(ben().map((e) => ({ ...e, streamId: "guest-ben" })))),
    findings: [
      "SCHEMA guest-ben@0: stream guest-ben is neither member-<memberId>, program-<programId>, reward-<rewardId> nor draw-<drawId>",
      "SCHEMA guest-ben@1: a signup PointsEarned cannot come from join:ben",
    ],
  },
  {
    name: "occurredAt before the previous event's",
    input: () =>
      lines(
        edit("member-ben", 9, (e) => {
          e.occurredAt = "2011-02-12T09:00:00.000Z";
        }),
      ),
    findings: [
      "TIME_REVERSED member-ben@9: occurredAt 2011-02-12T09:00:00.000Z is before the previous event's",
    ],
  },
  {
    name: "occurredAt that is no string",
    input: () =>
      lines(
        edit("member-ben", 9, (e) => {
          raw(e).occurredAt = 5;
        }),
      ),
    findings: [
      "SCHEMA member-ben@9: envelope.occurredAt: must be a UTC ISO time with milliseconds",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "a fractional revision: no gap check at it, the next is a gap",
    input: () =>
      lines(
        edit("member-ben", 9, (e) => {
          e.revision = 9.5;
        }),
      ),
    findings: [
      "SCHEMA member-ben@9.5: envelope.revision: must be an integer >= 0",
      "REVISION_GAP member-ben@10: revision 10 where 9 comes next",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "a revision as a string",
    input: () =>
      lines(
        edit("member-ben", 9, (e) => {
          raw(e).revision = "9";
        }),
      ),
    findings: [
      "SCHEMA member-ben@-: envelope.revision: must be an integer >= 0",
      "REVISION_GAP member-ben@10: revision 10 where 9 comes next",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "no prevHash",
    input: () =>
      lines(
        edit(
          "member-ben",
          9,
          (e) => {
            delete meta(e).prevHash;
          },
          false,
        ),
      ),
    findings: [
      "SCHEMA member-ben@9: metadata.prevHash: must be 64 hex digits",
      "HASH_MISMATCH member-ben@9: the event has no prevHash and hash to verify",
    ],
  },
  {
    name: "a wrong hash on the last event: its own check only",
    input: () =>
      lines(
        edit(
          "member-ben",
          13,
          (e) => {
            e.metadata.hash = "0".repeat(64);
          },
          false,
        ),
      ),
    findings: ["HASH_MISMATCH member-ben@13: hash does not match the event's content"],
  },
  {
    name: "a reward event in a member stream",
    input: () =>
      lines(
        edit("member-ben", 9, (e) => {
          e.type = "RewardClaimed";
        }),
      ),
    findings: [
      "SCHEMA member-ben@9: RewardClaimed in member stream member-ben",
      "SCHEMA member-ben@9: data.rewardId: Required; data.memberId: Required; data.redemptionId: Required",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "bad metadata: reported, the content still replayed",
    input: () =>
      lines(
        edit("member-ben", 4, (e) => {
          Object.assign(meta(e), { schemaVersion: 2, programVersion: "1" });
        }),
      ),
    findings: [
      "SCHEMA member-ben@4: metadata.schemaVersion: must be 1; metadata.programVersion: must be an integer >= 1",
    ],
  },
];

describe("7 damaged input: exact findings", () => {
  it.each(rows)("7 $name", async ({ input, findings }) => {
    expect(full(await auditEvents(input()))).toEqual(findings);
  });

  it("7 a BOM after line 1 is not JSON; the audit goes on", async () => {
    const input = lines(ben()).map((l) => (l.line === 2 ? { ...l, text: `\uFEFF${l.text}` } : l));
    const found = full(await auditEvents(input));
    expect(found[0]).toMatch(/^SCHEMA -@-: line 2 is not JSON \(.+\)$/);
    expect(found.slice(1)).toEqual([
      "REVISION_GAP member-ben@2: revision 2 where 1 comes next",
      "HASH_MISMATCH member-ben@2: prevHash is not the previous event's hash",
      "ALLOCATION member-ben@6: allocation names unknown lot 9262ad32-19a5-587b-9ef3-859e1654afe9",
      "ALLOCATION member-ben@11: allocation names unknown lot 9262ad32-19a5-587b-9ef3-859e1654afe9",
      "EXPIRY_MISMATCH member-ben@12: expiry of unknown lot 9262ad32-19a5-587b-9ef3-859e1654afe9",
    ]);
  });

  it("7 an input item that throws when read is a finding, not a crash", async () => {
    const throwing = (thrown: unknown) =>
      asItem({
        streamId: "member-x",
        get metadata() {
          throw thrown;
        },
      });
    const report = await auditEvents([throwing(new Error("boom")), throwing("plain")]);
    expect(full(report)).toEqual([
      "SCHEMA member-x@-: an input item could not be checked: boom",
      "SCHEMA member-x@-: an input item could not be checked: plain",
    ]);
    expect([report.ok, report.streams, report.events]).toEqual([false, 1, 2]);
  });

  it("7 null and other non-objects among the events are findings, not a crash", async () => {
    const report = await auditEvents([asItem(null), asItem(42)]);
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => f.code)).toEqual(["SCHEMA", "SCHEMA"]);
  });

  it("7 an unplaced finding keeps the eventId it could read", async () => {
    const report = await auditEvents([
      { line: 1, text: '{"eventId":"e-1"}' },
      { line: 2, text: '{"eventId":7}' },
      { line: 3, text: '["eventId"]' },
    ]);
    expect(report.findings.map((f) => f.eventId)).toEqual(["e-1", null, null]);
  });
});

/** Inserts a (changed) copy of one event after it, then renumbers and re-chains. */
const ins = (streamId: string, revision: number, change: (e: Env) => void = () => {}): Env[] => {
  const copy = clone(greg);
  const i = copy.findIndex((e) => e.streamId === streamId && e.revision === revision);
  const dup = structuredClone(copy[i] as Env);
  change(dup);
  copy.splice(i + 1, 0, dup);
  return normalize(copy);
};
const L = lines;

/** A FeedbackSubmitted at occurredAt, inserted after streamId@revision. */
const feedbackAt = (streamId: string, revision: number, occurredAt: string, feedbackId = "x-f9"): Env[] =>
  ins(streamId, revision, (e) => {
    Object.assign(e, {
      type: "FeedbackSubmitted",
      occurredAt,
      recordedAt: occurredAt,
      data: { feedbackId, score: 5 },
    });
    e.metadata.commandId = `feedback:${feedbackId}`;
    e.metadata.correlationId = `feedback:${feedbackId}`;
    delete (e.metadata as Record<string, unknown>).actor;
  });

// Ava's lot of a-1002, expired (and emptied) at @20; her lot of a-1006, pending until 2011-03-21.
const EXPIRED_LOT = "679cf6e0-be8a-5f6c-a816-a7ad9c972aaf";
const PENDING_LOT = "6e2159fc-1b42-50b2-937e-f1f9b0a5c0ec";
/** Makes `e` a debit or a redemption of 10 points from `lotId`, by its own command. */
const takeFrom = (e: Env, type: "PointsDebited" | "PointsRedeemed", lotId: string): void => {
  const allocations = [{ lotId, points: 10 }];
  const m = meta(e);
  if (type === "PointsDebited") {
    Object.assign(e, {
      type,
      data: { adjustmentId: "x-d9", points: 10, reason: "test", actor: "ops@shop", allocations },
    });
    Object.assign(m, { commandId: "adjust:x-d9", correlationId: "adjust:x-d9", actor: "ops@shop" });
  } else {
    Object.assign(e, { type, data: { redemptionId: "x-r9", points: 10, allocations } });
    Object.assign(m, { commandId: "redeem:x-r9", correlationId: "redeem:x-r9" });
    delete m.actor;
  }
};

// Member streams replayed alone (spec 4, 5, 7): each row breaks one rule.
const memberRows: Row[] = [
  {
    name: "a feedbackId again",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 21, (e) => {
            e.data.feedbackId = "a-f1";
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ava@21: FeedbackSubmitted cannot come from feedback:a-f2",
      "SCHEMA member-ava@21: feedbackId a-f1 repeats in the stream",
    ],
  },
  {
    name: "MemberJoined of another member",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 0, (e) => {
            e.data.memberId = "bob";
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ben@0: MemberJoined cannot come from join:ben",
      "SCHEMA member-ben@0: MemberJoined of bob in stream member-ben",
    ],
  },
  {
    name: "a second MemberJoined",
    input: () => L(only("member-ben", ins("member-ben", 0))),
    findings: ["SCHEMA member-ben@1: a second MemberJoined in the stream"],
  },
  {
    name: "a purchase of 0",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 4, (e) => {
            e.data.amount = "0";
          }),
        ),
      ),
    findings: ["SCHEMA member-ben@4: purchase amount must be greater than 0"],
  },
  {
    name: "a refundId again",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 9, (e) => {
            e.data.refundId = "b-2001-c1";
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ben@9: PurchaseRefunded cannot come from refund:b-2001-c2",
      "SCHEMA member-ben@9: refundId b-2001-c1 repeats in the stream",
      "CLAWBACK_MISMATCH member-ben@9: refund b-2001-c1 should claw back 50 points and no clawback follows",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "a refund of 0",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 7, (e) => {
            e.data.amount = "0";
          }),
        ),
      ),
    findings: [
      "CLAWBACK_MISMATCH member-ben@7: refund of 0 where 80 of purchase b-2001 is left to refund",
      "CLAWBACK_MISMATCH member-ben@8: clawback for refund b-2001-c1 that calls for none here",
      "CLAWBACK_MISMATCH member-ben@10: takes 50 points, 5.3 gives 20; allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:40], 5.3 gives [3210257f-8f62-5907-bcba-6e91aa15c56f:20]; debtIncurred is 10, 5.3 gives 0",
    ],
  },
  {
    name: "a referral lot without refereeId",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 4, (e) => {
            delete e.data.refereeId;
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ava@4: a referral PointsEarned cannot come from referral:ben",
      "SCHEMA member-ava@4: a referral lot carries no optional field; it must carry refereeId",
    ],
  },
  {
    name: "a signup lot with purchase fields",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 1, (e) => {
            e.data.purchaseId = "b-2001";
            e.data.note = "x";
          }),
        ),
      ),
    findings: ["SCHEMA member-ben@1: a signup lot carries purchaseId, note; it must carry none"],
  },
  {
    name: "a purchase lot without purchaseId",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 3, (e) => {
            delete e.data.purchaseId;
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ben@3: a purchase PointsEarned cannot come from purchase:b-2001",
      "SCHEMA member-ben@3: a purchase lot carries no optional field; it must carry purchaseId",
      "EARN_MISMATCH member-ben@3: purchase points recorded without purchase ",
      "CLAWBACK_MISMATCH member-ben@8: clawback for refund b-2001-c1 that calls for none here",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "a purchase lot apart from its purchase",
    input: () =>
      L(
        only(
          "member-ben",
          ins("member-ben", 5, (e) => {
            e.data.purchaseId = "b-2001";
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ben@6: a purchase PointsEarned cannot come from purchase:b-2002",
      "EARN_MISMATCH member-ben@6: purchase points recorded apart from purchase b-2001",
      "CLAWBACK_MISMATCH member-ben@9: takes 30 points, 5.3 gives 15; allocations [32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564:30], 5.3 gives [6d897cda-6d78-5cde-a6b5-f41cda461623:15]",
      "CLAWBACK_MISMATCH member-ben@11: takes 50 points, 5.3 gives 10; allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:40], 5.3 gives [6d897cda-6d78-5cde-a6b5-f41cda461623:10]; debtIncurred is 10, 5.3 gives 0",
    ],
  },
  {
    name: "a second signup bonus",
    input: () => L(only("member-ben", ins("member-ben", 1))),
    findings: [
      "EARN_MISMATCH member-ben@2: a second signup bonus",
      "CLAWBACK_MISMATCH member-ben@11: allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:40], 5.3 gives [b14c57cf-c0d6-5f13-a7f6-6a7986ff87ab:50]; debtIncurred is 10, 5.3 gives 0",
      "EXPIRY_MISMATCH member-ben@12: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot b14c57cf-c0d6-5f13-a7f6-6a7986ff87ab still holds 50 points past its expiry 2011-04-05T10:00:00.000Z",
    ],
  },
  {
    name: "a second referral bonus",
    input: () => L(only("member-ava", ins("member-ava", 4))),
    findings: [
      "EARN_MISMATCH member-ava@5: a second referral bonus for referee ben",
      "EXPIRY_MISMATCH member-ava@22: FeedbackSubmitted at 2011-04-25T10:00:00.000Z while lot ae9fa40f-8176-566c-916a-6622a60acacd still holds 200 points past its expiry 2011-04-06T11:00:00.000Z",
    ],
  },
  {
    name: "an adjustment lot again",
    input: () => L(only("member-ava", ins("member-ava", 15))),
    findings: [
      "SCHEMA member-ava@16: adjustmentId a-adj1 repeats in the stream",
      "EXPIRY_MISMATCH member-ava@27: PointsEarned at 2011-06-15T00:00:00.000Z while lot 1c48c4a9-0fcd-5e19-9ba2-dc05178cc8e0 still holds 25 points past its expiry 2011-06-12T09:00:00.000Z",
    ],
  },
  {
    name: "a debit reusing an adjustmentId",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 19, (e) => {
            e.data.adjustmentId = "a-adj1";
            e.metadata.commandId = "adjust:a-adj1";
            e.metadata.correlationId = "adjust:a-adj1";
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ava@19: eventId does not re-derive from member-ava|adjust:a-adj1|1 (1c48c4a9-0fcd-5e19-9ba2-dc05178cc8e0)",
      "SCHEMA member-ava@19: adjustmentId a-adj1 repeats in the stream",
    ],
  },
  {
    name: "a redemptionId again",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 18, (e) => {
            e.data.redemptionId = "a-r1";
            e.metadata.commandId = "redeem:a-r1";
            e.metadata.correlationId = "redeem:a-r1";
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ava@18: eventId does not re-derive from member-ava|redeem:a-r1|1 (752263fd-2b5d-577f-acbb-3ca3a87c8d83)",
      "SCHEMA member-ava@18: redemptionId a-r1 repeats in the stream",
    ],
  },
  {
    name: "a reversal giving back other points per lot",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 11, (e) => {
            e.data.allocations[0].points = 49;
            e.data.allocations[1].points += 1;
          }),
        ),
      ),
    findings: [
      "ALLOCATION member-ben@11: reversal of b-r1 does not give back exactly what it took (100 points from 2 lots)",
      "EXPIRY_MISMATCH member-ben@12: expires 40 points, the lot holds 39",
      "EXPIRY_MISMATCH member-ben@13: expires 50 points, the lot holds 51",
    ],
  },
  {
    name: "a reversal giving back to other lots",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 11, (e) => {
            const a = e.data.allocations;
            [a[0].lotId, a[1].lotId] = [a[1].lotId, a[0].lotId];
          }),
        ),
      ),
    findings: [
      "ALLOCATION member-ben@11: reversal of b-r1 does not give back exactly what it took (100 points from 2 lots)",
      "EXPIRY_MISMATCH member-ben@12: expires 40 points, the lot holds 50",
      "EXPIRY_MISMATCH member-ben@13: expires 50 points, the lot holds 40",
    ],
  },
  {
    name: "a reversal of other total points",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 11, (e) => {
            e.data.points = 101;
          }),
        ),
      ),
    findings: [
      "ALLOCATION member-ben@11: reversal of b-r1 does not give back exactly what it took (100 points from 2 lots)",
      "ALLOCATION member-ben@11: allocations sum to 100, not 101",
    ],
  },
  {
    name: "a clawback naming another refund",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 8, (e) => {
            e.data.refundId = "b-2001-c9";
          }),
        ),
      ),
    findings: [
      "CLAWBACK_MISMATCH member-ben@7: refund b-2001-c1 should claw back 30 points and no clawback follows",
      "SCHEMA member-ben@8: PointsClawedBack cannot come from refund:b-2001-c1",
      "CLAWBACK_MISMATCH member-ben@8: clawback for refund b-2001-c9 that calls for none here",
    ],
  },
  {
    name: "a clawback naming another purchase",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 8, (e) => {
            e.data.purchaseId = "b-2002";
          }),
        ),
      ),
    findings: [
      "CLAWBACK_MISMATCH member-ben@7: refund b-2001-c1 should claw back 30 points and no clawback follows",
      "CLAWBACK_MISMATCH member-ben@8: clawback for refund b-2001-c1 that calls for none here",
      "CLAWBACK_MISMATCH member-ben@10: takes 50 points, 5.3 gives 80; debtIncurred is 10, 5.3 gives 40",
    ],
  },
  {
    name: "a clawback with the wrong debt",
    input: () =>
      L(
        only(
          "member-dan",
          edit("member-dan", 7, (e) => {
            e.data.debtIncurred = 150;
          }),
        ),
      ),
    findings: [
      "CLAWBACK_MISMATCH member-dan@7: debtIncurred is 150, 5.3 gives 200",
      "ALLOCATION member-dan@9: debtRepaid is 200, the debt asks for 150",
    ],
  },
  {
    name: "a TierChanged from a tier the member was not in",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 12, (e) => {
            e.data.from = "gold";
          }),
        ),
      ),
    findings: ["TIER_MISMATCH member-ava@12: from is gold, the member was in silver"],
  },
  {
    name: "an expiry of an unknown lot",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 20, (e) => {
            e.data.lotId = "00000000-0000-5000-8000-000000000000";
          }),
        ),
      ),
    findings: [
      "EXPIRY_MISMATCH member-ava@20: expiry of unknown lot 00000000-0000-5000-8000-000000000000",
      "EXPIRY_MISMATCH member-ava@21: FeedbackSubmitted at 2011-04-25T10:00:00.000Z while lot 679cf6e0-be8a-5f6c-a816-a7ad9c972aaf still holds 90 points past its expiry 2011-04-20T12:00:00.000Z",
    ],
  },
  {
    name: "an expiry of a lot that never expires",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 15, (e) => {
            e.data.expiresAt = null;
          }),
        ),
      ),
    findings: [
      "EXPIRY_MISMATCH member-ava@24: lot f795c361-dc6a-559f-bc11-39420b007a52 expires never, after this expiry",
    ],
  },
  {
    name: "an expiry of other points than the lot holds",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 24, (e) => {
            e.data.points = 24;
          }),
        ),
      ),
    findings: ["EXPIRY_MISMATCH member-ava@24: expires 24 points, the lot holds 25"],
  },
  {
    name: "an event at exactly a lot's expiresAt while it holds points (5.6)",
    input: () => L(only("member-ava", feedbackAt("member-ava", 23, "2011-06-12T09:00:00.000Z"))),
    findings: [
      "EXPIRY_MISMATCH member-ava@24: FeedbackSubmitted at 2011-06-12T09:00:00.000Z while lot f795c361-dc6a-559f-bc11-39420b007a52 still holds 25 points past its expiry 2011-06-12T09:00:00.000Z",
    ],
  },
  {
    name: "an event 1 ms before a lot expires is fine",
    input: () => L(only("member-ava", feedbackAt("member-ava", 23, "2011-06-12T08:59:59.999Z"))),
    findings: [],
  },
  {
    name: "a lot past its expiry is reported once, at the first later event",
    input: () => {
      const a = feedbackAt("member-ava", 23, "2011-06-12T09:30:00.000Z", "x-f8");
      const copy = clone(a);
      const i = copy.findIndex((e) => e.streamId === "member-ava" && e.revision === 24);
      const d = structuredClone(copy[i] as Env);
      d.data.feedbackId = "x-f9";
      d.metadata.commandId = "feedback:x-f9";
      d.metadata.correlationId = "feedback:x-f9";
      copy.splice(i + 1, 0, d);
      return L(only("member-ava", normalize(copy)));
    },
    findings: [
      "EXPIRY_MISMATCH member-ava@24: FeedbackSubmitted at 2011-06-12T09:30:00.000Z while lot f795c361-dc6a-559f-bc11-39420b007a52 still holds 25 points past its expiry 2011-06-12T09:00:00.000Z",
      "TIME_REVERSED member-ava@26: occurredAt 2011-06-12T09:00:00.000Z is before the previous event's",
    ],
  },
  {
    name: "a clawback split over two lots where 5.3 takes one (5.3)",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 10, (e) => {
            e.data.allocations = [
              { lotId: "3210257f-8f62-5907-bcba-6e91aa15c56f", points: 30 },
              { lotId: "32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564", points: 10 },
            ];
          }),
        ),
      ),
    findings: [
      "CLAWBACK_MISMATCH member-ben@10: allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:30,32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564:10], 5.3 gives [3210257f-8f62-5907-bcba-6e91aa15c56f:40]",
      "ALLOCATION member-ben@10: allocation takes 10 points from lot 32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564, which holds 0",
      "EXPIRY_MISMATCH member-ben@13: expires 50 points, the lot holds 40",
    ],
  },
  {
    name: "a redemption whose allocations do not sum to its points (5.5)",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 6, (e) => {
            e.data.points = 99;
          }),
        ),
      ),
    findings: [
      "ALLOCATION member-ben@6: allocations sum to 100, not 99",
      "ALLOCATION member-ben@11: reversal of b-r1 does not give back exactly what it took (99 points from 2 lots)",
    ],
  },
  {
    name: "a debit from a lot past its expiry (5.5, 5.6)",
    input: () =>
      L(
        only(
          "member-ava",
          ins("member-ava", 21, (e) => takeFrom(e, "PointsDebited", EXPIRED_LOT)),
        ),
      ),
    findings: [
      `ALLOCATION member-ava@22: allocation takes from lot ${EXPIRED_LOT}, expired at 2011-04-20T12:00:00.000Z`,
      `ALLOCATION member-ava@22: allocation takes 10 points from lot ${EXPIRED_LOT}, which holds 0`,
    ],
  },
  {
    name: "a redemption from a lot still pending (5.4, 5.5)",
    input: () =>
      L(
        only(
          "member-ava",
          ins("member-ava", 17, (e) => takeFrom(e, "PointsRedeemed", PENDING_LOT)),
        ),
      ),
    findings: [
      `ALLOCATION member-ava@18: allocation takes from lot ${PENDING_LOT}, pending until 2011-03-21T10:10:00.000Z`,
      `EXPIRY_MISMATCH member-ava@26: expires 31 points, the lot holds 21`,
    ],
  },
];

describe("7 damaged member streams: exact findings", () => {
  it.each(memberRows)("7 $name", async ({ input, findings }) => {
    expect(full(await auditEvents(input()))).toEqual(findings);
  });
});

/** Gives one event another commandId (and correlationId), then re-derives ids and hashes. */
const cmd = (
  streamId: string,
  revision: number,
  commandId: string,
  correlationId = commandId,
  more: (e: Env) => void = () => {},
): Env[] => {
  const copy = clone(greg);
  const e = find(copy, streamId, revision);
  e.metadata.commandId = commandId;
  e.metadata.correlationId = correlationId;
  more(e);
  return normalize(copy);
};
const prog = () => only("program-vectors-gbp", clone(greg));

// Commands, correlation and actors (spec 2), and program streams (spec 3).
const commandRows: Row[] = [
  {
    name: "MemberJoined from another join",
    input: () => L(only("member-ben", cmd("member-ben", 0, "join:bob"))),
    findings: ["SCHEMA member-ben@0: MemberJoined cannot come from join:bob"],
  },
  {
    name: "PurchaseRecorded from another purchase",
    input: () => L(only("member-ben", cmd("member-ben", 2, "purchase:b-2009"))),
    findings: ["SCHEMA member-ben@2: PurchaseRecorded cannot come from purchase:b-2009"],
  },
  {
    name: "PurchaseRefunded from another refund",
    input: () => L(only("member-ben", cmd("member-ben", 7, "refund:b-9"))),
    findings: ["SCHEMA member-ben@7: PurchaseRefunded cannot come from refund:b-9"],
  },
  {
    name: "PointsClawedBack from another refund",
    input: () => L(only("member-ben", cmd("member-ben", 8, "refund:b-9"))),
    findings: ["SCHEMA member-ben@8: PointsClawedBack cannot come from refund:b-9"],
  },
  {
    name: "PointsRedeemed from another redemption",
    input: () => L(only("member-ben", cmd("member-ben", 6, "redeem:b-r9"))),
    findings: ["SCHEMA member-ben@6: PointsRedeemed cannot come from redeem:b-r9"],
  },
  {
    name: "RedemptionReversed from another reversal",
    input: () => L(only("member-ben", cmd("member-ben", 11, "reverse-redemption:b-r9"))),
    findings: ["SCHEMA member-ben@11: RedemptionReversed cannot come from reverse-redemption:b-r9"],
  },
  {
    name: "PointsDebited from another adjustment",
    input: () => L(only("member-ava", cmd("member-ava", 19, "adjust:a-adj9"))),
    findings: ["SCHEMA member-ava@19: PointsDebited cannot come from adjust:a-adj9"],
  },
  {
    name: "FeedbackSubmitted from another feedback",
    input: () => L(only("member-ava", cmd("member-ava", 9, "feedback:a-f9"))),
    findings: ["SCHEMA member-ava@9: FeedbackSubmitted cannot come from feedback:a-f9"],
  },
  {
    name: "a signup lot from another join",
    input: () => L(only("member-ben", cmd("member-ben", 1, "join:bob"))),
    findings: ["SCHEMA member-ben@1: a signup PointsEarned cannot come from join:bob"],
  },
  {
    name: "a purchase lot from another purchase",
    input: () => L(only("member-ben", cmd("member-ben", 3, "purchase:b-2009"))),
    findings: ["SCHEMA member-ben@3: a purchase PointsEarned cannot come from purchase:b-2009"],
  },
  {
    name: "a referral lot from another referee",
    input: () => L(only("member-ava", cmd("member-ava", 4, "referral:bob", "purchase:b-2001"))),
    findings: ["SCHEMA member-ava@4: a referral PointsEarned cannot come from referral:bob"],
  },
  {
    name: "a referral lot correlated to itself, not the referee's purchase",
    input: () => L(only("member-ava", cmd("member-ava", 4, "referral:ben", "referral:ben"))),
    findings: ["SCHEMA member-ava@4: correlationId referral:ben for command referral:ben"],
  },
  {
    name: "a referral lot correlated to a join",
    input: () => L(only("member-ava", cmd("member-ava", 4, "referral:ben", "join:ben"))),
    findings: ["SCHEMA member-ava@4: correlationId join:ben for command referral:ben"],
  },
  {
    name: "an adjustment lot from another adjustment",
    input: () => L(only("member-ava", cmd("member-ava", 15, "adjust:a-adj9"))),
    findings: ["SCHEMA member-ava@15: a adjustment PointsEarned cannot come from adjust:a-adj9"],
  },
  {
    name: "a birthday lot may come from any command",
    input: () => L(only("member-ava", cmd("member-ava", 26, "feedback:zz"))),
    findings: [],
  },
  {
    name: "a TierChanged may come from any command",
    input: () => L(only("member-ava", cmd("member-ava", 7, "feedback:zz"))),
    findings: [],
  },
  {
    name: "a correlationId that is not the command",
    input: () => L(only("member-ben", cmd("member-ben", 2, "purchase:b-2001", "purchase:b-2002"))),
    findings: ["SCHEMA member-ben@2: correlationId purchase:b-2002 for command purchase:b-2001"],
  },
  {
    name: "a commandId of no command",
    input: () => L(only("member-ben", cmd("member-ben", 9, "nonsense"))),
    findings: ["SCHEMA member-ben@9: commandId nonsense is not <command type>:<its own id>"],
  },
  {
    name: "a member event from a publish command",
    input: () => L(only("member-ben", cmd("member-ben", 9, "publish:vectors-gbp:1"))),
    findings: [
      "SCHEMA member-ben@9: PurchaseRefunded cannot come from publish:vectors-gbp:1; PurchaseRefunded from publish:vectors-gbp:1",
    ],
  },
  {
    name: "an actor on an event of no adjust command",
    input: () =>
      L(
        only(
          "member-ben",
          cmd("member-ben", 9, "feedback:b-f1", "feedback:b-f1", (e) => {
            e.type = "FeedbackSubmitted";
            e.data = { feedbackId: "b-f1", score: 3 };
            (e.metadata as Record<string, unknown>).actor = "ops@shop";
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ben@9: actor on an event of no adjust command (nor add-note or forget)",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "an adjust event without actor",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 19, (e) => {
            delete (e.metadata as Record<string, unknown>).actor;
          }),
        ),
      ),
    findings: ["SCHEMA member-ava@19: an adjust event without actor"],
  },
  {
    name: "metadata and data actors that differ (debit)",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 19, (e) => {
            (e.metadata as Record<string, unknown>).actor = "care@shop";
          }),
        ),
      ),
    findings: ["SCHEMA member-ava@19: metadata actor care@shop differs from data actor ops@shop"],
  },
  {
    name: "metadata and data actors that differ (adjustment lot)",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 15, (e) => {
            e.data.actor = "ops@shop";
          }),
        ),
      ),
    findings: ["SCHEMA member-ava@15: metadata actor care@shop differs from data actor ops@shop"],
  },
  {
    name: "a program published in another program's stream",
    input: () => L(normalize(prog().map((e) => ({ ...e, streamId: "program-other" })))),
    findings: ["SCHEMA program-other@0: program vectors-gbp published in program-other"],
  },
  {
    name: "a ProgramPublished whose metadata names another version",
    input: () => L(rechain(prog().map((e) => ({ ...e, metadata: { ...e.metadata, programVersion: 2 } })))),
    findings: ["SCHEMA program-vectors-gbp@0: metadata names vectors-gbp v2"],
  },
  {
    name: "a ProgramPublished whose metadata names another program",
    input: () => L(rechain(prog().map((e) => ({ ...e, metadata: { ...e.metadata, programId: "other" } })))),
    findings: ["SCHEMA program-vectors-gbp@0: metadata names other v1"],
  },
  {
    name: "a program version published twice",
    input: () => {
      const p = prog();
      return L(normalize([...p, structuredClone(p[0] as Env)]));
    },
    findings: ["SCHEMA program-vectors-gbp@1: version 1 published twice"],
  },
  {
    name: "a ProgramPublished from another version's publish",
    input: () =>
      L(
        rechain(
          prog().map((e) => ({
            ...e,
            metadata: {
              ...e.metadata,
              commandId: "publish:vectors-gbp:2",
              correlationId: "publish:vectors-gbp:2",
            },
          })),
        ),
      ),
    findings: [
      "SCHEMA program-vectors-gbp@0: eventId does not re-derive from program-vectors-gbp|publish:vectors-gbp:2|0 (79bc827f-920b-5970-9c36-695c02f68519)",
      "SCHEMA program-vectors-gbp@0: ProgramPublished cannot come from publish:vectors-gbp:2",
    ],
  },
  {
    name: "a ProgramPublished from another program's publish",
    input: () =>
      L(
        normalize(
          prog().map((e) => ({
            ...e,
            metadata: { ...e.metadata, commandId: "publish:other:1", correlationId: "publish:other:1" },
          })),
        ),
      ),
    findings: ["SCHEMA program-vectors-gbp@0: ProgramPublished cannot come from publish:other:1"],
  },
  {
    name: "a ProgramPublished in a member stream",
    input: () =>
      L(
        normalize([
          ...only("member-ben", clone(greg)).slice(0, 2),
          ...prog().map((e) => ({ ...e, streamId: "member-ben" })),
        ]),
      ),
    findings: [
      "TIME_REVERSED member-ben@2: occurredAt 2011-01-03T09:00:00.000Z is before the previous event's",
      "SCHEMA member-ben@2: ProgramPublished in member stream member-ben",
    ],
  },
  {
    name: "a ProgramPublished in a stream of no known kind",
    input: () => L(normalize(prog().map((e) => ({ ...e, streamId: "guest-x" })))),
    findings: [
      "SCHEMA guest-x@0: stream guest-x is neither member-<memberId>, program-<programId>, reward-<rewardId> nor draw-<drawId>",
    ],
  },
  {
    name: "a wrong prevHash, not re-hashed: both problems in one finding",
    input: () =>
      L(
        only(
          "member-ben",
          edit(
            "member-ben",
            4,
            (e) => {
              e.metadata.prevHash = "0".repeat(64);
            },
            false,
          ),
        ),
      ),
    findings: [
      "HASH_MISMATCH member-ben@4: hash does not match the event's content; prevHash is not the previous event's hash",
    ],
  },
  {
    name: "no hash (prevHash present)",
    input: () =>
      L(
        only(
          "member-ben",
          edit(
            "member-ben",
            13,
            (e) => {
              delete (e.metadata as Record<string, unknown>).hash;
            },
            false,
          ),
        ),
      ),
    findings: [
      "SCHEMA member-ben@13: metadata.hash: must be 64 hex digits",
      "HASH_MISMATCH member-ben@13: the event has no prevHash and hash to verify",
    ],
  },
  {
    name: "no commandId: the eventId check skips the event, the stream's next index follows",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 12, (e) => {
            delete (e.metadata as Record<string, unknown>).commandId;
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ben@12: metadata.commandId: must be a non-empty string",
      "SCHEMA member-ben@13: eventId does not re-derive from member-ben|reverse-redemption:b-r1|1 (f3bfb62b-c976-584b-b301-037fe7564ce5)",
    ],
  },
  {
    name: "a referral whose correlationId names no command",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 4, (e) => {
            e.metadata.correlationId = "nonsense";
          }),
        ),
      ),
    findings: ["SCHEMA member-ava@4: correlationId nonsense for command referral:ben"],
  },
  {
    name: "a refund from a purchase command of the same id",
    input: () => L(only("member-ben", cmd("member-ben", 7, "purchase:b-2001-c1"))),
    findings: ["SCHEMA member-ben@7: PurchaseRefunded cannot come from purchase:b-2001-c1"],
  },
  {
    name: "an unreadable occurredAt does not reset the time order",
    input: () =>
      L(
        only(
          "member-ben",
          rechain(
            edit("member-ben", 9, (e) => {
              e.occurredAt = "garbage";
            }).map((e) =>
              e.streamId === "member-ben" && e.revision === 10
                ? { ...e, occurredAt: "2011-02-12T09:00:00.000Z" }
                : e,
            ),
          ),
        ),
      ),
    findings: [
      "SCHEMA member-ben@9: envelope.occurredAt: must be a UTC ISO time with milliseconds",
      "TIME_REVERSED member-ben@10: occurredAt 2011-02-12T09:00:00.000Z is before the previous event's",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
];

describe("7 commandIds, correlationIds, actors and publications: exact findings", () => {
  it.each(commandRows)("7 $name", async ({ input, findings }) => {
    expect(full(await auditEvents(input()))).toEqual(findings);
  });
});

/** Removes events, then renumbers and re-chains. */
const drop = (events: Env[], ...keys: [string, number][]) =>
  normalize(events.filter((e) => !keys.some(([id, r]) => e.streamId === id && e.revision === r)));

// With the program given to the audit (spec 7: content checks need the program version).
const gregProgram = loadProgram("gregorian");
const programRows: Row[] = [
  {
    name: "bad metadata (schemaVersion) still names its program: the purchase is checked",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 5, (e) => {
            e.data.amount = "260.00";
            (e.metadata as Record<string, unknown>).schemaVersion = 2;
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ava@5: metadata.schemaVersion: must be 1",
      "EARN_MISMATCH member-ava@6: purchase a-1002 earned 250 points, 5.2 gives 260",
      "TIER_MISMATCH member-ava@7: metric is 370.5, the purchases give 380.5",
      "TIER_MISMATCH member-ava@12: metric is 1070.49, the purchases give 1080.49",
      "TIER_MISMATCH member-ava@22: metric is 680.99, the purchases give 690.99",
    ],
  },
  {
    name: "bad metadata: a programVersion that is no number names no version, the purchase is not checked",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 5, (e) => {
            e.data.amount = "260.00";
            (e.metadata as Record<string, unknown>).programVersion = "1";
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ava@5: metadata.programVersion: must be an integer >= 1",
      "TIER_MISMATCH member-ava@7: metric is 370.5, the purchases give 380.5",
      "TIER_MISMATCH member-ava@12: metric is 1070.49, the purchases give 1080.49",
      "TIER_MISMATCH member-ava@22: metric is 680.99, the purchases give 690.99",
    ],
  },
  {
    name: "bad metadata: a programId that is no string names no program, the purchase is not checked",
    input: () =>
      L(
        only(
          "member-ava",
          edit("member-ava", 5, (e) => {
            e.data.amount = "260.00";
            (e.metadata as Record<string, unknown>).programId = 7;
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ava@5: metadata.programId: must be an id",
      "TIER_MISMATCH member-ava@7: metric is 370.5, the purchases give 380.5",
      "TIER_MISMATCH member-ava@12: metric is 1070.49, the purchases give 1080.49",
      "TIER_MISMATCH member-ava@22: metric is 680.99, the purchases give 690.99",
    ],
  },
  {
    name: "bad metadata (schemaVersion) on a bonus: the bonus is still checked",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 1, (e) => {
            e.data.points = 60;
            (e.metadata as Record<string, unknown>).schemaVersion = 2;
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ben@1: metadata.schemaVersion: must be 1",
      "EARN_MISMATCH member-ben@1: signup bonus of 60 points, the program gives 50",
      "CLAWBACK_MISMATCH member-ben@10: allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:40], 5.3 gives [9262ad32-19a5-587b-9ef3-859e1654afe9:10,3210257f-8f62-5907-bcba-6e91aa15c56f:40]; debtIncurred is 10, 5.3 gives 0",
      "EXPIRY_MISMATCH member-ben@11: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot 9262ad32-19a5-587b-9ef3-859e1654afe9 still holds 10 points past its expiry 2011-04-05T10:00:00.000Z",
      "EXPIRY_MISMATCH member-ben@12: expires 40 points, the lot holds 50",
    ],
  },
  {
    name: "events before MemberJoined: reported once, at the first",
    input: () => L(normalize(only("member-ben", clone(greg)).slice(1))),
    findings: ["SCHEMA member-ben@0: PointsEarned before the stream's MemberJoined"],
  },
  {
    name: "a RewardReleased in a member stream",
    input: () =>
      L(
        only(
          "member-ben",
          edit("member-ben", 9, (e) => {
            e.type = "RewardReleased";
            e.data = { rewardId: "mug", memberId: "ben", redemptionId: "b-r1", reason: "reversed" };
          }),
        ),
      ),
    findings: [
      "SCHEMA member-ben@9: RewardReleased in member stream member-ben",
      "CLAWBACK_MISMATCH member-ben@10: clawback for refund b-2001-c2 that calls for none here",
    ],
  },
  {
    name: "a refund whose clawback is 0 points calls for no clawback (5.3)",
    input: () =>
      L(
        only(
          "member-ben",
          drop(
            edit("member-ben", 7, (e) => {
              e.data.amount = "0.5";
            }),
            ["member-ben", 8],
          ),
        ),
      ),
    findings: [
      "CLAWBACK_MISMATCH member-ben@9: allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:40], 5.3 gives [32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564:30,3210257f-8f62-5907-bcba-6e91aa15c56f:20]; debtIncurred is 10, 5.3 gives 0",
      "EXPIRY_MISMATCH member-ben@10: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot 32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564 still holds 30 points past its expiry 2011-04-06T11:00:00.000Z",
      "EXPIRY_MISMATCH member-ben@12: expires 50 points, the lot holds 80",
    ],
  },
  {
    name: "a purchase worth 0 points may record no lot (5.2)",
    input: () =>
      L(
        only(
          "member-cleo",
          drop(
            edit("member-cleo", 7, (e) => {
              e.data.amount = "0.50";
            }),
            ["member-cleo", 8],
            ["member-cleo", 11],
          ),
        ),
      ),
    findings: [],
  },
  {
    name: "a purchase worth 1 point that records no lot",
    input: () =>
      L(
        only(
          "member-cleo",
          drop(
            edit("member-cleo", 7, (e) => {
              e.data.amount = "1.00";
            }),
            ["member-cleo", 8],
            ["member-cleo", 11],
          ),
        ),
      ),
    findings: ["EARN_MISMATCH member-cleo@7: purchase c-3002 should have earned 1 points and earned none"],
  },
];

describe("7 damaged metadata and streams, program known: exact findings", () => {
  it.each(programRows)("7 $name", async ({ input, findings }) => {
    expect(full(await auditEvents(input(), { programs: [gregProgram] }))).toEqual(findings);
  });
});
