import type { JoinCommand, MemberCommand } from "./commands.js";
import { Dec } from "./money.js";
import { parseTime } from "./primitives.js";
import type { MemberState } from "./state.js";

// Idempotency of spec 5.9: the same key with the same content is a no-op.
// Content is rebuilt from the state the events left, so it survives a reload.

/** Deep equality of parsed JSON values. */
export const jsonEquals = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEquals(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b, k) &&
        jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
};

const sameMoney = (a: string, b: string): boolean => new Dec(a).eq(b);

/** items compare as JSON, with `unitPrice` as a number. */
const sameItems = (a: unknown, b: unknown): boolean => {
  if (a === undefined || b === undefined) return a === b;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x: { unitPrice: string }, i) => {
    const y = b[i] as { unitPrice: string };
    return sameMoney(x.unitPrice, y.unitPrice) && jsonEquals({ ...x, unitPrice: 0 }, { ...y, unitPrice: 0 });
  });
};

const at = (c: { at: string }): number => parseTime(c.at) as number;

/**
 * Whether a join repeats the stored one (spec 5 step 2), compared on what can
 * still be read (club-v1 §10 "After forget"): a personal value that cannot be
 * read is absent, so a retried join that gives it is another join.
 */
const sameJoin = (s: MemberState, c: JoinCommand): boolean => {
  const j = s.joined;
  return (
    j !== null &&
    at(c) === s.joinedAt &&
    c.kind === j.kind &&
    c.birthDate === j.birthDate &&
    c.referredBy === j.referredBy &&
    jsonEquals(c.attributes, j.attributes) &&
    c.name === j.name &&
    jsonEquals(c.contact, j.contact) &&
    jsonEquals(c.consent, j.consent) &&
    c.lang === j.lang
  );
};

/** The keys of update-profile that ProfileUpdated keeps (club-v1 §10). */
const PROFILE_KEYS = ["name", "contact", "consent", "lang", "birthDate", "attributes"] as const;

/** What step 3 of a catalogue redeem needs besides the state (club-v1 §9). */
export interface RedeemContext {
  /** The named reward's cost in the ledger's program: what an omitted `points` means. */
  cost?: number | undefined;
  /** Whether the stored redemption's command gave `points`, when the ledger knows it. */
  firstGavePoints?: boolean | undefined;
}

/**
 * `points` of a redeem against the stored redemption. Club-v1 §9: a replay that
 * omits `points` where the first command gave it (or the reverse) has another
 * set of fields, so it is not the same command. The events do not say which
 * form the first command had: the member state (decided here) or the ledger
 * (accepted here) may know; when neither does, the omitted `points` means the
 * cost, as before (docs/rewards.md).
 */
const sameRedeemPoints = (
  r: { points: number; pointsGiven?: boolean },
  c: { points?: number | undefined; rewardId?: string | undefined },
  redeem: RedeemContext,
): boolean => {
  const givesPoints = c.points !== undefined;
  const firstGave = r.pointsGiven ?? redeem.firstGavePoints;
  if (c.rewardId !== undefined && firstGave !== undefined) {
    if (firstGave !== givesPoints) return false;
    // Both omitted: the same fields, even if the cost changed since.
    if (!givesPoints) return true;
  }
  return r.points === (c.points ?? redeem.cost);
};

/**
 * `true`: the same command was accepted before (a no-op replay); `false`: the
 * key was used with other content; `undefined`: the key is new.
 * `currency` is not compared: step 1 already requires it to be the program's.
 */
export function sameCommandContent(s: MemberState, c: JoinCommand): boolean;
export function sameCommandContent(
  s: MemberState,
  c: MemberCommand,
  redeem?: RedeemContext,
): boolean | undefined;
export function sameCommandContent(
  s: MemberState,
  c: MemberCommand,
  redeem: RedeemContext = {},
): boolean | undefined {
  switch (c.type) {
    case "join":
      return sameJoin(s, c);
    case "purchase": {
      const p = s.purchases.get(c.purchaseId);
      if (!p) return undefined;
      return (
        p.at === at(c) &&
        sameMoney(p.amount, c.amount) &&
        p.channel === c.channel &&
        sameItems(p.items, c.items)
      );
    }
    case "refund": {
      const r = s.refunds.get(c.refundId);
      if (!r) return undefined;
      return r.at === at(c) && r.purchaseId === c.purchaseId && sameMoney(r.amount, c.amount);
    }
    case "redeem": {
      const r = s.redemptions.get(c.redemptionId);
      if (!r) return undefined;
      if (r.at !== at(c) || r.rewardId !== c.rewardId) return false;
      return sameRedeemPoints(r, c, redeem);
    }
    case "reverse-redemption": {
      const r = s.redemptions.get(c.redemptionId);
      if (r?.reversedAt === undefined) return undefined;
      return r.reversedAt === at(c);
    }
    case "adjust": {
      const a = s.adjustments.get(c.adjustmentId);
      if (!a) return undefined;
      return a.at === at(c) && a.points === c.points && a.reason === c.reason && a.actor === c.actor;
    }
    case "feedback": {
      const f = s.feedback.get(c.feedbackId);
      if (!f) return undefined;
      return f.at === at(c) && f.score === c.score && f.comment === c.comment;
    }
    case "use-coupon": {
      // club-v1 §2: the key is couponId; the same use again is a replay.
      const k = s.coupons.get(c.couponId);
      if (k?.usedAt === undefined) return undefined;
      return k.usedAt === at(c) && k.orderId === c.orderId && k.code === c.code;
    }
    case "enter-draw": {
      const d = s.drawEntries.get(c.entryId);
      if (!d) return undefined;
      return d.at === at(c) && d.drawId === c.drawId && d.tickets === c.tickets;
    }
    // club-v1 §4-6: retries compared on what can still be read (§10 "After forget").
    case "update-profile": {
      const u = s.profileUpdates.get(c.updateId);
      if (!u) return undefined;
      return u.at === at(c) && PROFILE_KEYS.every((k) => jsonEquals(c[k], u.data[k]));
    }
    case "add-note": {
      const n = s.notes.get(c.noteId);
      if (!n) return undefined;
      return n.at === at(c) && n.text === c.text && n.actor === c.actor;
    }
    case "message-sent": {
      const m = s.messagesSent.get(c.messageKey);
      if (!m) return undefined;
      return m.at === at(c) && m.channel === c.channel && m.providerMessageId === c.providerMessageId;
    }
    case "forget": {
      const f = s.forgetRequests.get(c.requestId);
      if (!f) return undefined;
      return f.at === at(c) && f.actor === c.actor;
    }
  }
}
