import { type EventType, earnReasons, eventDataSchemas, ID_PATTERN, MONEY_PATTERN } from "@vafa/core";
import { isTimeOut } from "./envelope-schema.js";

// Event data of the common types (spec 4) checked by hand: zod's parse
// allocated a copy of every event's data and was the audit's largest single
// cost. A check here only ever says "valid" where the zod schema also accepts
// the data and would return an equal copy (same keys, same order, same
// values); anything else (an invalid value, another key order, a sealed
// value, a rare type) goes to zod, which gives the result and its messages.

/**
 * True only when the value surely passes the schema's check; `jcs` writes a
 * value that passed as RFC 8785 JSON (undefined: leave it to core's `jcs`).
 */
interface Check {
  (v: unknown): boolean;
  jcs: (v: unknown) => string | undefined;
}

const UUID_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PLAIN_DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/;

// Ids, UUIDs, amounts, times and enum values hold no character JSON escapes;
// an integer is written by JSON.stringify as by String.
const bare = (v: unknown): string => `"${v as string}"`;
const quoted = (v: unknown): string | undefined =>
  (v as unknown as { isWellFormed(): boolean }).isWellFormed() ? JSON.stringify(v) : undefined;
const check = (test: (v: unknown) => boolean, jcs: Check["jcs"]): Check => Object.assign(test, { jcs });

const id = check((v) => typeof v === "string" && ID_PATTERN.test(v), bare);
const uuid = check((v) => typeof v === "string" && UUID_LOWER.test(v), bare);
const money = check((v) => typeof v === "string" && MONEY_PATTERN.test(v), bare);
const text = check((v) => typeof v === "string" && v.length > 0, quoted);
const time = check(isTimeOut, bare);
const integer = (min: number, max = Number.POSITIVE_INFINITY, safe = true): Check =>
  check(
    (v) =>
      (safe ? Number.isSafeInteger(v) : Number.isInteger(v)) && (v as number) >= min && (v as number) <= max,
    String,
  );
const points = integer(1);
const count = integer(0);
const oneOf = (values: readonly string[]): Check => {
  const set = new Set(values);
  return check((v) => typeof v === "string" && set.has(v), bare);
};

/** Keys in the schema's order; `true` marks an optional key. */
type Shape = readonly (readonly [key: string, check: Check, optional?: boolean])[];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** A strict object whose keys come in the shape's order (zod's copy has that order). */
const object = (shape: Shape): Check => {
  const sorted = [...shape].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const sortedKeys = sorted.map(([key]) => key);
  const sortedChecks = sorted.map(([, field]) => field);
  return check(
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
    },
    (v) => {
      let out = "{";
      for (let i = 0; i < sortedKeys.length; i++) {
        const key = sortedKeys[i] as string;
        const value = (v as Record<string, unknown>)[key];
        if (value === undefined) continue;
        const written = (sortedChecks[i] as Check).jcs(value);
        if (written === undefined) return undefined;
        out += `${out.length > 1 ? "," : ""}"${key}":${written}`;
      }
      return `${out}}`;
    },
  );
};

const arrayOf = (item: Check): Check =>
  check(
    (v) => {
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
      return true;
    },
    (v) => {
      const list = v as unknown[];
      let out = "[";
      for (let i = 0; i < list.length; i++) {
        const written = item.jcs(list[i]);
        if (written === undefined) return undefined;
        out += i === 0 ? written : `,${written}`;
      }
      return `${out}]`;
    },
  );

const allocations = arrayOf(
  object([
    ["lotId", uuid],
    ["points", points],
  ]),
);
const items = arrayOf(
  object([
    ["sku", text],
    ["quantity", integer(1, Number.POSITIVE_INFINITY, false)],
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
    ["birthdayYear", integer(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, false), true],
    ["adjustmentId", id, true],
    ["actor", text, true],
    ["note", text, true],
    ["drawId", id, true],
    ["rank", integer(1, Number.POSITIVE_INFINITY, false), true],
    ["availableAt", time],
    [
      "expiresAt",
      check(
        (v) => v === null || time(v),
        (v) => (v === null ? "null" : bare(v)),
      ),
    ],
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
    ["metric", check((v) => typeof v === "string" && PLAIN_DECIMAL.test(v), bare)],
  ]),
  FeedbackSubmitted: object([
    ["feedbackId", id],
    ["score", integer(0, 10, false)],
    ["comment", text, true],
  ]),
};

/**
 * The event data of a type, as `eventDataSchemas[type].safeParse` gives it:
 * data that passes a check above is returned as is (it equals zod's copy).
 * `jcs`: its RFC 8785 text, written from what the check knows, when it could.
 */
export const parseEventData = (type: EventType, data: unknown) => {
  const fast = CHECKS[type];
  if (fast?.(data) === true) return { success: true as const, data, error: undefined, jcs: fast.jcs(data) };
  return Object.assign(eventDataSchemas[type].safeParse(data), { jcs: undefined });
};
