import { CURRENCY_PATTERN, ID_PATTERN, MONEY_PATTERN, parseDate, parseTime } from "./primitives.js";

// Step 1 of spec 5 without zod for the common shapes (issue 11): a command
// whose every field is a plain valid value passes here; anything else
// (items, a profile, an unknown or doubtful field) goes to the schemas, which
// name the failing field. Only a subset of what the schemas accept passes:
// commands.unit.test.ts checks it.

type Check = (value: unknown) => boolean;

const id: Check = (v) => typeof v === "string" && ID_PATTERN.test(v);
const time: Check = (v) => typeof v === "string" && parseTime(v) !== undefined;
/** A money string greater than 0. */
const positiveMoney: Check = (v) => typeof v === "string" && MONEY_PATTERN.test(v) && /[1-9]/.test(v);
const currency: Check = (v) => typeof v === "string" && CURRENCY_PATTERN.test(v);
const nonEmpty: Check = (v) => typeof v === "string" && v.length > 0;
const countFrom1: Check = (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 1;
const score: Check = (v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 10;
const date: Check = (v) => typeof v === "string" && parseDate(v) !== undefined;
const kind: Check = (v) => v === "person" || v === "organization";

/** Per type: each field's check, and whether it may be left out. */
const FIELDS: Record<string, Record<string, [Check, boolean]>> = {
  purchase: {
    memberId: [id, false],
    at: [time, false],
    purchaseId: [id, false],
    amount: [positiveMoney, false],
    currency: [currency, true],
    channel: [nonEmpty, true],
  },
  refund: {
    memberId: [id, false],
    at: [time, false],
    purchaseId: [id, false],
    refundId: [id, false],
    amount: [positiveMoney, false],
    currency: [currency, true],
  },
  redeem: {
    memberId: [id, false],
    at: [time, false],
    redemptionId: [id, false],
    points: [countFrom1, true],
    rewardId: [id, true],
  },
  feedback: {
    memberId: [id, false],
    at: [time, false],
    feedbackId: [id, false],
    score: [score, false],
    comment: [nonEmpty, true],
  },
  join: {
    memberId: [id, false],
    at: [time, false],
    kind: [kind, false],
    birthDate: [date, true],
    referredBy: [id, true],
  },
};

/** Whether `input` (a plain object with a string `type`) is certainly a valid command of its type. */
export const isPlainValidCommand = (input: Record<string, unknown>): boolean => {
  const type = input.type as string;
  if (!Object.hasOwn(FIELDS, type) || Object.getPrototypeOf(input) !== Object.prototype) return false;
  const fields = FIELDS[type] as Record<string, [Check, boolean]>;
  for (const key in input) {
    if (key === "type") continue;
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) return false;
    const value = input[key];
    if (value === undefined ? !field[1] : !field[0](value)) return false;
  }
  for (const key in fields)
    if (!(fields[key] as [Check, boolean])[1] && input[key] === undefined) return false;
  return true;
};
