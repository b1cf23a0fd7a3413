import { type EventType, earnReasons, eventDataSchemas, ID_PATTERN, MONEY_PATTERN } from "@vafa/core";
import { isTimeOut } from "./envelope-schema.js";

// Event data of the common types (spec 4) checked by hand: zod's parse
// allocated a copy of every event's data and was the audit's largest single
// cost. A check here only ever says "valid" where the zod schema also accepts
// the data and would return an equal copy (same keys, same order, same
// values); anything else (an invalid value, another key order, a sealed
// value, a rare type) goes to zod, which gives the result and its messages.

/** True only when the value surely passes the schema's check. */
type Check = (v: unknown) => boolean;

const UUID_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PLAIN_DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/;

const id: Check = (v) => typeof v === "string" && ID_PATTERN.test(v);
const uuid: Check = (v) => typeof v === "string" && UUID_LOWER.test(v);
const money: Check = (v) => typeof v === "string" && MONEY_PATTERN.test(v);
const text: Check = (v) => typeof v === "string" && v.length > 0;
const points: Check = (v) => Number.isSafeInteger(v) && (v as number) > 0;
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const int: Check = (v) => Number.isInteger(v);
const intFrom =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min;
const oneOf = (values: readonly string[]): Check => {
  const set = new Set(values);
  return (v) => typeof v === "string" && set.has(v);
};

/** Keys in the schema's order; `true` marks an optional key. */
type Shape = readonly (readonly [key: string, check: Check, optional?: boolean])[];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** A strict object whose keys come in the shape's order (zod's copy has that order). */
const object =
  (shape: Shape): Check =>
  (v) => {
    if (!isPlainObject(v)) return false;
    let at = 0;
    for (const key in v) {
      while (at < shape.length && (shape[at] as Shape[number])[0] !== key) {
        if ((shape[at] as Shape[number])[2] !== true) return false;
        at++;
      }
      const entry = shape[at];
      if (entry === undefined || !entry[1](v[key])) return false;
      at++;
    }
    for (; at < shape.length; at++) if ((shape[at] as Shape[number])[2] !== true) return false;
    return true;
  };

const arrayOf =
  (check: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) if (!check(v[i])) return false;
    return true;
  };

const allocations = arrayOf(
  object([
    ["lotId", uuid],
    ["points", points],
  ]),
);
const items = arrayOf(
  object([
    ["sku", text],
    ["quantity", intFrom(1)],
    ["unitPrice", money],
  ]),
);

const CHECKS: Partial<Record<EventType, Check>> = {
  MemberJoined: object([
    ["memberId", id],
    ["kind", oneOf(["person", "organization"])],
    ["referredBy", id, true],
    ["lang", oneOf(["fa", "en"]), true],
  ]),
  PurchaseRecorded: object([
    ["purchaseId", id],
    ["amount", money],
    ["channel", text, true],
    ["items", items, true],
  ]),
  PurchaseRefunded: object([
    ["purchaseId", id],
    ["refundId", id],
    ["amount", money],
  ]),
  PointsEarned: object([
    ["lotId", uuid],
    ["points", points],
    ["reason", oneOf(earnReasons)],
    ["purchaseId", id, true],
    ["refereeId", id, true],
    ["birthdayYear", int, true],
    ["adjustmentId", id, true],
    ["actor", text, true],
    ["note", text, true],
    ["drawId", id, true],
    ["rank", intFrom(1), true],
    ["availableAt", isTimeOut],
    ["expiresAt", (v) => v === null || isTimeOut(v)],
    ["debtRepaid", count],
  ]),
  PointsRedeemed: object([
    ["redemptionId", id],
    ["points", points],
    ["rewardId", id, true],
    ["allocations", allocations],
  ]),
  RedemptionReversed: object([
    ["redemptionId", id],
    ["points", points],
    ["debtRepaid", count],
    ["allocations", allocations],
  ]),
  PointsClawedBack: object([
    ["purchaseId", id],
    ["refundId", id],
    ["points", points],
    ["allocations", allocations],
    ["debtIncurred", count],
  ]),
  PointsDebited: object([
    ["adjustmentId", id],
    ["points", points],
    ["reason", text],
    ["actor", text],
    ["allocations", allocations],
  ]),
  PointsExpired: object([
    ["lotId", uuid],
    ["points", points],
  ]),
  TierChanged: object([
    ["from", id],
    ["to", id],
    ["direction", oneOf(["up", "down"])],
    ["metric", (v) => typeof v === "string" && PLAIN_DECIMAL.test(v)],
  ]),
  FeedbackSubmitted: object([
    ["feedbackId", id],
    ["score", (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10],
    ["comment", text, true],
  ]),
};

/**
 * The event data of a type, as `eventDataSchemas[type].safeParse` gives it:
 * data that passes a check above is returned as is (it equals zod's copy).
 */
export const parseEventData = (type: EventType, data: unknown) => {
  if (CHECKS[type]?.(data) === true) return { success: true as const, data, error: undefined };
  return eventDataSchemas[type].safeParse(data);
};
