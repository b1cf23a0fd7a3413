import { toUnits, unitsToMoney } from "@vafa/core";

// Exact money and rate arithmetic for the projections, without decimal.js in the
// hot path (spec 1): amounts are bigint counts of 1e-8 units (money has at most
// 8 fractional digits), so sums are exact and cheap.

/** Fractional digits of a scaled money amount. */
export const MONEY_SCALE = 8;

/**
 * A money string (`^(0|[1-9][0-9]*)(\.[0-9]{1,8})?$`) as bigint units of 1e-8.
 * Anything else gives 0n: events are trusted here (the audit checks their schema),
 * and a malformed amount must not crash a projection.
 */
export const parseMoney = (text: string): bigint => {
  if (typeof text !== "string") return 0n;
  try {
    return toUnits(text);
  } catch {
    return 0n;
  }
};

/** A non-negative decimal string (`^[0-9]+(\.[0-9]+)?$`, e.g. a point value) as `units / 10^scale`. */
export interface ScaledDecimal {
  units: bigint;
  scale: number;
}

export const parseDecimal = (text: string): ScaledDecimal => {
  const dot = text.indexOf(".");
  try {
    if (dot < 0) return { units: BigInt(text), scale: 0 };
    return { units: BigInt(text.slice(0, dot) + text.slice(dot + 1)), scale: text.length - dot - 1 };
  } catch {
    return { units: 0n, scale: 0 };
  }
};

/** Writes `units / 10^scale` as a plain decimal: no trailing zeros, no exponent ("1250", "3.3", "0", "-2.5"). */
export const formatScaled = (units: bigint, scale: number): string => {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    const intPart = digits.slice(0, digits.length - scale);
    const frac = digits.slice(digits.length - scale).replace(/0+$/, "");
    digits = frac === "" ? intPart : `${intPart}.${frac}`;
  }
  return negative && digits !== "0" ? `-${digits}` : digits;
};

export const formatMoneyUnits = (units: bigint): string => unitsToMoney(units);

/** `points * value` as a plain decimal string, exact. */
export const pointsValue = (points: number, value: ScaledDecimal): string =>
  formatScaled(BigInt(points) * value.units, value.scale);

const TWO_53 = 2n ** 53n;
const bitLength = (n: bigint): number => n.toString(2).length;

/**
 * The exact quotient `numerator / denominator` rounded once to the nearest
 * double (spec 6 rates); 0 when the denominator is 0.
 */
export const ratio = (numerator: bigint | number, denominator: bigint | number): number => {
  let a = BigInt(numerator);
  let b = BigInt(denominator);
  if (b === 0n || a === 0n) return 0;
  const negative = a < 0n !== b < 0n;
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  let magnitude: number;
  if (a <= TWO_53 && b <= TWO_53) {
    // Both operands are exact doubles: IEEE division rounds the exact quotient once.
    magnitude = Number(a) / Number(b);
  } else {
    // Keep >= 66 quotient bits plus a sticky bit, so the one rounding of
    // Number(bigint) (to nearest, ties to even) equals rounding the exact value.
    const shift = 66 - (bitLength(a) - bitLength(b));
    const scaledA = shift >= 0 ? a << BigInt(shift) : a;
    const scaledB = shift >= 0 ? b : b << BigInt(-shift);
    const q = scaledA / scaledB;
    const sticky = scaledA % scaledB === 0n ? 0n : 1n;
    magnitude = Number((q << 1n) | sticky) * 2 ** -(shift + 1);
  }
  return negative ? -magnitude : magnitude;
};
