import { isTimeOut, timeOutMs } from "./audit/envelope-schema.js";
import type { MemberFold } from "./member-fold.js";

// A member's purchases reduced to what RFM reads once its stream has ended
// (16 bytes a purchase): `MemberRecord.settleRfm`, `settleAsOf` with RFM, and
// `RfmFold` all settle with it.

const MAX_NET = 0x7fffffffffffffffn;

/**
 * The ms of a time in `toISOString` form (`2024-01-31T10:00:00.000Z`), or NaN
 * when it is not that form: as `Date.parse` checked by a round trip through
 * `toISOString`, without building a Date for the common case.
 */
export const canonicalMs = (at: string): number => {
  if (isTimeOut(at)) return timeOutMs(at);
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === at ? ms : Number.NaN;
};

/**
 * The purchases with a positive net amount as times (ms) and nets (1e-8
 * units), or undefined when a time is not canonical (`toISOString` form: only
 * then is ms order text order) or a net does not fit 64 bits.
 */
export const compactPurchases = (
  purchases: MemberFold["purchases"],
): { atMs: Float64Array; net: BigInt64Array } | undefined => {
  const atMs: number[] = [];
  const net: bigint[] = [];
  for (const p of purchases) {
    const ms = canonicalMs(p.at);
    if (Number.isNaN(ms)) return undefined;
    const n = p.amount - p.refunded;
    if (n <= 0n) continue;
    if (n > MAX_NET) return undefined;
    atMs.push(ms);
    net.push(n);
  }
  return { atMs: Float64Array.from(atMs), net: BigInt64Array.from(net) };
};
