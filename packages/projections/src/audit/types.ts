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
  /**
   * Birthday lots whose birth date in force is sealed and could not be opened
   * (club-v1 §6, §10 "Audit"): not re-derived. Present when the log holds
   * sealed personal values, so ledger-v1 reports stay as they were.
   */
  birthdaysUnchecked?: number;
}

/** A member's data key by memberId (club-v1 §6); undefined when unknown or destroyed. */
export type DataKeyLookup = (memberId: string) => Uint8Array | undefined;

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
  /**
   * Members' data keys (club-v1 §10 "Audit"): a sealed birth date is opened
   * with them and its birthday lots re-derived; without a key they are
   * counted in `birthdaysUnchecked`. The hash chain needs no key.
   */
  dataKeys?: DataKeyLookup;
}
