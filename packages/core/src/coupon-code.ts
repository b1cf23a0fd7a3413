import { createHmac, timingSafeEqual } from "node:crypto";

// Coupon codes of club-v1 §2: bearer secrets derived from the coupon secret,
// so nothing secret is stored in an event.

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Crockford base32 without padding, most significant bits first. */
export const crockfordBase32 = (bytes: Uint8Array): string => {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
};

/** The 16-character code of `<memberId>/<redemptionId>`: the first 10 bytes of its HMAC-SHA256. */
export const couponCode = (secret: string, memberId: string, redemptionId: string): string =>
  crockfordBase32(
    createHmac("sha256", secret).update(`${memberId}/${redemptionId}`).digest().subarray(0, 10),
  );

/** Exact comparison in constant time for equal lengths (§9: no case folding). */
export const sameCode = (given: string, expected: string): boolean => {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
};
