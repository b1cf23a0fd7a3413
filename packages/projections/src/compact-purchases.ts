import type { MemberFold } from "./member-fold.js";

// A member's purchases reduced to what RFM reads once its stream has ended
// (16 bytes a purchase): `MemberRecord.settleRfm`, `settleAsOf` with RFM, and
// `RfmFold` all settle with it.

const MAX_NET = 0x7fffffffffffffffn;

const digitsAt = (s: string, at: number, n: number): number => {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
};

const daysIn = (y: number, m: number): number =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/**
 * The ms of a time in `toISOString` form (`2024-01-31T10:00:00.000Z`), or NaN
 * when it is not that form: as `Date.parse` checked by a round trip through
 * `toISOString`, without building a Date for the common case.
 */
export const canonicalMs = (at: string): number => {
  if (
    at.length === 24 &&
    at[4] === "-" &&
    at[7] === "-" &&
    at[10] === "T" &&
    at[13] === ":" &&
    at[16] === ":"
  ) {
    if (at[19] === "." && at[23] === "Z") {
      const y = digitsAt(at, 0, 4);
      const mo = digitsAt(at, 5, 2);
      const d = digitsAt(at, 8, 2);
      const h = digitsAt(at, 11, 2);
      const mi = digitsAt(at, 14, 2);
      const s = digitsAt(at, 17, 2);
      const ms = digitsAt(at, 20, 3);
      // Date.UTC reads years below 100 as 19xx: those take the slow way.
      if (y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h >= 0 && h < 24)
        if (mi >= 0 && mi < 60 && s >= 0 && s < 60 && ms >= 0) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
    }
  }
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
