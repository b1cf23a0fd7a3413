import { Decimal } from "decimal.js";

/** Exact decimal arithmetic for money and multipliers (spec 1): 64 significant digits, no floats. */
export const Dec = Decimal.clone({
  precision: 64,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -100,
  toExpPos: 100,
});
export type Dec = Decimal;

const programDecimals = new Map<string, Dec>();
const PROGRAM_DECIMALS = 1000;

/**
 * A program's decimal (a multiplier, a threshold) parsed once: a Decimal is
 * immutable, and each purchase multiplies by the same few (issue 11).
 */
export const programDec = (text: string): Dec => {
  let value = programDecimals.get(text);
  if (value === undefined) {
    value = new Dec(text);
    if (programDecimals.size >= PROGRAM_DECIMALS) programDecimals.clear();
    programDecimals.set(text, value);
  }
  return value;
};

/** A plain decimal as a safe integer `n` and its count of decimals: the value is n / 10^scale. */
export interface ScaledInteger {
  n: number;
  scale: number;
}

const PLAIN_DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;

/** A plain decimal ("12", "0.5") as a `ScaledInteger`; undefined for any other spelling or past 2^53. */
export const scaledInteger = (text: string): ScaledInteger | undefined => {
  const m = PLAIN_DECIMAL.exec(text);
  if (m === null) return undefined;
  const fraction = m[2] ?? "";
  const n = Number((m[1] as string) + fraction);
  return Number.isSafeInteger(n) ? { n, scale: fraction.length } : undefined;
};

const programScaled = new Map<string, ScaledInteger | undefined>();

/** `scaledInteger` of a program's decimal, read once like `programDec`. */
export const programScaledInteger = (text: string): ScaledInteger | undefined => {
  if (programScaled.has(text)) return programScaled.get(text);
  const value = scaledInteger(text);
  if (programScaled.size >= PROGRAM_DECIMALS) programScaled.clear();
  programScaled.set(text, value);
  return value;
};

export type Rounding = "floor" | "half-up" | "ceil";

/** Rounds an exact value once to an integer (half-up is half away from zero). */
export const roundTo = (value: Decimal, rounding: Rounding): Decimal => {
  if (rounding === "floor") return value.floor();
  if (rounding === "ceil") return value.ceil();
  return value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
};

/** Writes money as a plain decimal without trailing zeros or exponent ("1250", "3.3", "0"). */
export const formatMoney = (value: Decimal | string): string => {
  const d = typeof value === "string" ? new Dec(value) : value;
  return d.isZero() ? "0" : d.toFixed();
};

const UNIT_DIGITS = 8;
const UNIT = 10n ** BigInt(UNIT_DIGITS);

/** Money string (spec 1 pattern) to an integer count of 1e-8. */
export const toUnits = (money: string): bigint => {
  const dot = money.indexOf(".");
  const frac = dot < 0 ? "" : money.slice(dot + 1);
  return BigInt(
    (dot < 0 ? money : money.slice(0, dot)) + frac.padEnd(UNIT_DIGITS, "0").slice(0, UNIT_DIGITS),
  );
};

/** Units of 1e-8 back to a plain money string without trailing zeros. */
export const unitsToMoney = (units: bigint): string => {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = (abs / UNIT).toString();
  const frac = (abs % UNIT).toString().padStart(UNIT_DIGITS, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
};
