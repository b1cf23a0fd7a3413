import { createHash } from "node:crypto";

export interface RfmLike {
  memberId: string;
  recencyDays: number;
  frequency: number;
  monetary: string;
  r: number;
  f: number;
  m: number;
}

/** One line per member in memberId order: what two RFM implementations must agree on. */
const rfmLines = (rows: readonly RfmLike[]): string[] =>
  [...rows]
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
    .map((r) => `${r.memberId},${r.recencyDays},${r.frequency},${r.monetary},${r.r},${r.f},${r.m}`);

export const rfmDigest = (rows: readonly RfmLike[]): string =>
  createHash("sha256").update(rfmLines(rows).join("\n")).digest("hex").slice(0, 16);
