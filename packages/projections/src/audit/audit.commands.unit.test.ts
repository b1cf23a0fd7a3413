import { describe, expect, it } from "vitest";
import { clone, type Env, find, normalize, toLines } from "../testing/audit-export.js";
import { full, loadClubExport } from "../testing/audit-rows.js";
import { auditEvents } from "./audit.js";

// Spec 2 and club-v1 §2-§6: each event of the club vectors names the one
// command that may append it. One row per event type given another command
// of the same kind (another id), with the exact SCHEMA finding.

const club = loadClubExport("gregorian");

/** The club log with one event's commandId (and correlationId) changed, ids and hashes re-derived. */
const cmd = (streamId: string, revision: number, commandId: string): Env[] => {
  const copy = clone(club);
  const e = find(copy, streamId, revision);
  e.metadata.commandId = commandId;
  e.metadata.correlationId = commandId;
  return normalize(copy);
};

const rows: [string, number, string, string][] = [
  ["reward-mug", 0, "claim:ali/ra9", "RewardClaimed"],
  ["reward-mug", 0, "claim:sara/ra1", "RewardClaimed"],
  ["draw-spring", 0, "draw:autumn", "DrawHeld"],
  ["member-ali", 10, "draw:autumn", "DrawWon"],
  ["member-ali", 11, "draw:autumn", "a draw PointsEarned"],
  ["member-ali", 7, "enter-draw:ea9", "DrawEntered"],
  ["member-ali", 5, "redeem:ra9", "CouponIssued"],
  ["member-ali", 6, "use-coupon:ra9", "CouponUsed"],
  ["member-nina", 8, "reverse-redemption:rn9", "CouponVoided"],
  ["member-nina", 11, "update-profile:u3", "ProfileUpdated"],
  ["member-nina", 12, "add-note:n-2", "NoteAdded"],
  ["member-ali", 9, "message-sent:welcome|ali|x", "MessageSent"],
  ["member-reza", 5, "forget:gdpr-8", "MemberForgotten"],
];

describe("2 an event from another command of its kind: exact findings (club-v1)", () => {
  it.each(rows)("2 %s@%i from %s", async (streamId, revision, commandId, what) => {
    expect(full(await auditEvents(toLines(cmd(streamId, revision, commandId))))).toEqual([
      `SCHEMA ${streamId}@${revision}: ${what} cannot come from ${commandId}`,
    ]);
  });
});
