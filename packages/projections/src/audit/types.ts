import type { EventEnvelope, Program, StoredEvent } from "@vafa/core";

/** Finding codes of spec 7. */
export const AUDIT_CODES = [
  "HASH_MISMATCH",
  "REVISION_GAP",
  "SCHEMA",
  "TIME_REVERSED",
  "ALLOCATION",
  "OVERDRAW",
  "CLAWBACK_MISMATCH",
  "EXPIRY_MISMATCH",
  "EARN_MISMATCH",
  "TIER_MISMATCH",
  // club-v1 §7
  "STOCK_OVERDRAWN",
  "ORPHAN_CLAIM",
  "COUPON_MISMATCH",
  // Club spec §7: a draw that does not re-derive from the log and its revealed seed.
  "DRAW_MISMATCH",
] as const;

export type AuditCode = (typeof AUDIT_CODES)[number];

/** One finding, as `vafa audit --json` prints it (spec 8). `streamId` is null for a line that is no event. */
export interface AuditFinding {
  streamId: string | null;
  revision: number | null;
  eventId: string | null;
  code: AuditCode;
  message: string;
}

/** The report of `vafa audit --json` (spec 8): `ok` is true when there is no finding. */
export interface AuditReport {
  ok: boolean;
  /** Distinct stream ids seen. */
  streams: number;
  /** Items that named a stream (lines that are not events count only as findings). */
  events: number;
  findings: AuditFinding[];
}

/** A raw line of an NDJSON export; `line` is 1-based. `auditEvents` parses it itself. */
export interface AuditLine {
  line: number;
  text: string;
}

/** What `auditEvents` accepts: envelopes (from a store) or raw export lines. */
export type AuditInput = EventEnvelope | StoredEvent | AuditLine;

export interface AuditOptions {
  /**
   * Program versions known besides the `ProgramPublished` events of the log.
   * EARN_MISMATCH and TIER_MISMATCH are checked only for events whose
   * `metadata.programId`/`programVersion` names a known program.
   */
  programs?: readonly Program[];
}
