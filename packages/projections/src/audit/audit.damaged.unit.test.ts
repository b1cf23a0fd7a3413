import { describe, expect, it } from "vitest";
import { clone, type Env, find, loadExport, normalize, rechain, toLines } from "../testing/audit-export.js";
import { auditEvents } from "./audit.js";
import type { AuditInput, AuditReport } from "./types.js";

// Damaged inputs, one row each, with the exact findings they must produce
// (spec 7): code, stream@revision and message. Edits that must reach the
// content checks are re-chained so that no HASH_MISMATCH hides them. These
// rows pin the audit's handling of broken lines and its messages (the
// mutation run of docs/testing.md found them unchecked).

const greg = loadExport("gregorian");

const full = (report: AuditReport): string[] =>
  report.findings.map((f) => `${f.code} ${f.streamId ?? "-"}@${f.revision ?? "-"}: ${f.message}`);

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
      "SCHEMA guest-ben@0: stream guest-ben is neither member-<memberId>, program-<programId> nor reward-<rewardId>",
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

  it("7 an unplaced finding keeps the eventId it could read", async () => {
    const report = await auditEvents([
      { line: 1, text: '{"eventId":"e-1"}' },
      { line: 2, text: '{"eventId":7}' },
      { line: 3, text: '["eventId"]' },
    ]);
    expect(report.findings.map((f) => f.eventId)).toEqual(["e-1", null, null]);
  });
});
