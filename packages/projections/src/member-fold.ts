import type {
  DrawEntered,
  EventType,
  MemberJoined,
  PointsClawedBack,
  PointsDebited,
  PointsEarned,
  PointsExpired,
  PointsRedeemed,
  PurchaseRecorded,
  PurchaseRefunded,
  RedemptionReversed,
  TierChanged,
} from "@vafa/core";
import { parseMoney } from "./money.js";

// The per-member fold of the projections (spec 6): deliberately a second
// implementation of the lot arithmetic that core's `evolve` holds (points
// taken from lots, the debt-first reversal), tuned for replay (ISO strings,
// no per-event copies, tolerant of malformed events). It is checked against
// core's `foldMemberEvents` (lots, debt, tier) on random histories in
// consistency.test.ts ("cross-check with the core's own evolve").
//
// Times stay ISO strings in `toISOString()` form and are compared as strings
// (fixed width for years 0000-9999), twice as fast as Date.parse per event.
// The fold trusts its input (the audit checks schemas and allocations); a
// malformed event can make numbers wrong, never make the fold throw.

/** A lot of spec 5.4; `remaining` is what the applied events left in it (no implied expiry). */
export class LotState {
  constructor(
    readonly lotId: string,
    readonly points: number,
    public remaining: number,
    readonly earnedAt: string,
    readonly availableAt: string,
    readonly expiresAt: string | null,
  ) {}
}

export class PurchaseState {
  /** Sum of the refunds applied so far, in 1e-8 units. */
  refunded = 0n;
  constructor(
    readonly purchaseId: string,
    readonly at: string,
    /** Amount in 1e-8 units. */
    readonly amount: bigint,
  ) {}
}

/** A finite number or 0: keeps a malformed event from turning sums into NaN. */
export const num = (x: unknown): number => (Number.isFinite(x) ? (x as number) : 0);

const EMPTY: readonly { lotId: string; points: number }[] = [];
const INDEX_FROM = 16;

const indexBy = <V>(list: readonly V[], key: (v: V) => string): Map<string, V> => {
  const map = new Map<string, V>();
  for (const v of list) if (!map.has(key(v))) map.set(key(v), v);
  return map;
};

export class MemberFold {
  joinedAt: string | undefined = undefined;
  birthDate: string | undefined = undefined;
  /** `undefined` until a `TierChanged`: the first level of the program, since `joinedAt`. */
  tier: string | undefined = undefined;
  tierSince: string | undefined = undefined;
  debt = 0;
  earned = 0;
  redeemed = 0;
  reversed = 0;
  expired = 0;
  clawedBack = 0;
  debited = 0;
  /** Lots in creation order. */
  lots: LotState[] = [];
  /** Purchases in recording order. */
  readonly purchases: PurchaseState[] = [];
  // Most members have a handful of lots: a linear scan beats a Map per member
  // (allocation and GC dominate replay). Indexes appear past INDEX_FROM entries.
  private lotIndex: Map<string, LotState> | undefined = undefined;
  private purchaseIndex: Map<string, PurchaseState> | undefined = undefined;

  constructor(readonly memberId: string) {}

  apply(type: EventType, at: string, data: unknown): void {
    if (data === null || typeof data !== "object") return; // not an event body: the audit reports it
    switch (type) {
      case "PointsEarned": {
        const d = data as PointsEarned;
        const points = num(d.points);
        const repaid = num(d.debtRepaid);
        this.debt -= repaid;
        this.earned += points;
        const lot = new LotState(
          d.lotId,
          points,
          points - repaid,
          at,
          d.availableAt ?? at,
          d.expiresAt ?? null,
        );
        this.lots.push(lot);
        this.lotIndex?.set(lot.lotId, lot);
        return;
      }
      case "PointsRedeemed": {
        const d = data as PointsRedeemed;
        this.redeemed += num(d.points);
        this.take(d.allocations);
        return;
      }
      case "DrawEntered": {
        // Draw tickets count as redeemed (club spec §3).
        const d = data as DrawEntered;
        this.redeemed += num(d.points);
        this.take(d.allocations);
        return;
      }
      case "PointsClawedBack": {
        const d = data as PointsClawedBack;
        this.clawedBack += num(d.points);
        this.debt += num(d.debtIncurred);
        this.take(d.allocations);
        return;
      }
      case "PointsDebited": {
        const d = data as PointsDebited;
        this.debited += num(d.points);
        this.take(d.allocations);
        return;
      }
      case "RedemptionReversed": {
        const d = data as RedemptionReversed;
        this.reversed += num(d.points);
        // The first `debtRepaid` points of the allocations repay debt; the rest go back to their lots (spec 5.5).
        let toDebt = num(d.debtRepaid);
        this.debt -= toDebt;
        for (const a of Array.isArray(d.allocations) ? d.allocations : EMPTY) {
          if (a === null || typeof a !== "object") continue;
          const points = num(a.points);
          const back = points - Math.min(toDebt, points);
          toDebt -= points - back;
          const lot = this.lot(a.lotId);
          if (lot !== undefined) lot.remaining += back;
        }
        return;
      }
      case "PointsExpired": {
        const d = data as PointsExpired;
        const points = num(d.points);
        this.expired += points;
        const lot = this.lot(d.lotId);
        if (lot !== undefined) lot.remaining -= points;
        return;
      }
      case "PurchaseRecorded": {
        const d = data as PurchaseRecorded;
        const purchase = new PurchaseState(d.purchaseId, at, parseMoney(d.amount));
        this.purchases.push(purchase);
        this.purchaseIndex?.set(purchase.purchaseId, purchase);
        return;
      }
      case "PurchaseRefunded": {
        const d = data as PurchaseRefunded;
        const p = this.purchase(d.purchaseId);
        if (p !== undefined) p.refunded += parseMoney(d.amount);
        return;
      }
      case "TierChanged": {
        this.tier = (data as TierChanged).to;
        this.tierSince = at;
        return;
      }
      case "MemberJoined": {
        if (this.joinedAt === undefined) {
          this.joinedAt = at;
          const birthDate = (data as MemberJoined).birthDate;
          // A sealed birth date pays no birthday in this fold (club-v1 §6).
          this.birthDate = typeof birthDate === "string" ? birthDate : undefined;
        }
        return;
      }
      default:
        // FeedbackSubmitted only matters to period queries; ProgramPublished never reaches a member.
        return;
    }
  }

  private take(allocations: readonly { lotId: string; points: number }[] | undefined): void {
    if (!Array.isArray(allocations)) return;
    for (const a of allocations) {
      if (a === null || typeof a !== "object") continue;
      const lot = this.lot(a.lotId);
      if (lot !== undefined) lot.remaining -= num(a.points);
    }
  }

  /**
   * Forgets lots that are empty and expired at `at` (spec 5.4). Nothing can
   * use them again: an event naming one later (a reversal into an expired
   * lot, then its at-once expiry, spec 5.5) changes only the sums, which come
   * from the events. Only for folds that are never asked about earlier times.
   */
  dropSpentLots(at: string): void {
    const kept = this.lots.filter((l) => !(l.remaining === 0 && l.expiresAt !== null && l.expiresAt <= at));
    if (kept.length === this.lots.length) return;
    this.lots = kept;
    this.lotIndex = undefined;
  }

  /** The lot with this id (the first one, if an id repeats). */
  lot(lotId: string): LotState | undefined {
    const lots = this.lots;
    if (lots.length <= INDEX_FROM) {
      for (let i = 0; i < lots.length; i++) if ((lots[i] as LotState).lotId === lotId) return lots[i];
      return undefined;
    }
    if (this.lotIndex === undefined) this.lotIndex = indexBy(lots, (l) => l.lotId);
    return this.lotIndex.get(lotId);
  }

  /** The purchase with this id (the first one, if an id repeats). */
  purchase(purchaseId: string): PurchaseState | undefined {
    const list = this.purchases;
    if (list.length <= INDEX_FROM) {
      for (let i = 0; i < list.length; i++)
        if ((list[i] as PurchaseState).purchaseId === purchaseId) return list[i];
      return undefined;
    }
    if (this.purchaseIndex === undefined) this.purchaseIndex = indexBy(list, (p) => p.purchaseId);
    return this.purchaseIndex.get(purchaseId);
  }
}

/** Points of a fold at a cut: which lots count as expired, available or pending. */
export interface LotSnapshot {
  available: number;
  pending: number;
  /** Points still in lots that the cut treats as expired although no `PointsExpired` took them. */
  impliedExpired: number;
}

/**
 * Splits a fold's lots at `cut` (spec 6): with `inclusive`, "as of T" (a lot with
 * `expiresAt <= T` is expired, one with `T < availableAt` pending); otherwise
 * "immediately before T" (`expiresAt < T` expired).
 */
export const snapshotLots = (fold: MemberFold, cut: string, inclusive: boolean): LotSnapshot => {
  let available = 0;
  let pending = 0;
  let impliedExpired = 0;
  for (const lot of fold.lots) {
    const r = lot.remaining;
    if (r <= 0) continue;
    const e = lot.expiresAt;
    if (e !== null && (inclusive ? e <= cut : e < cut)) impliedExpired += r;
    else if (inclusive ? lot.availableAt <= cut : lot.availableAt < cut) available += r;
    else pending += r;
  }
  return { available, pending, impliedExpired };
};
