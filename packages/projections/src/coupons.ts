import type { CouponIssued, CouponUsed, CouponVoided } from "@vafa/core";
import { PositionGuard, type Projection, type ProjectionEvent } from "./projection.js";

// The coupons projection of club-v1 §2: every coupon with its state as of a
// time, and a lookup by code in constant time (a Map), for the till.

export type CouponStatus = "issued" | "used" | "void" | "expired";

/** One coupon as of a time. Times are the events' occurredAt (ISO). */
export interface CouponRow {
  couponId: string;
  memberId: string;
  rewardId: string;
  code: string;
  issuedAt: string;
  validUntil: string;
  status: CouponStatus;
  usedAt: string | null;
  orderId: string | null;
  voidedAt: string | null;
}

interface CouponRecord {
  couponId: string;
  memberId: string;
  rewardId: string;
  code: string;
  issuedAt: string;
  validUntil: string;
  usedAt?: string;
  orderId?: string;
  voidedAt?: string;
}

const MEMBER_PREFIX = "member-";
const ms = (iso: string): number => Date.parse(iso);

/** A fold over the log in global order; other events are ignored. */
export class CouponsProjection implements Projection {
  private readonly guard = new PositionGuard();
  /** `<memberId>/<couponId>` -> coupon, in issue order. */
  private readonly byKey = new Map<string, CouponRecord>();
  /** code -> coupons with that code (one, unless two HMACs collide). */
  private readonly byCode = new Map<string, CouponRecord[]>();

  get position(): bigint | undefined {
    return this.guard.position;
  }

  apply(event: ProjectionEvent): boolean {
    if (!this.guard.accept(event.position)) return false;
    if (!event.streamId.startsWith(MEMBER_PREFIX)) return true;
    const memberId = event.streamId.slice(MEMBER_PREFIX.length);
    switch (event.type) {
      case "CouponIssued": {
        const d = event.data as CouponIssued;
        const record: CouponRecord = {
          couponId: d.couponId,
          memberId,
          rewardId: d.rewardId,
          code: d.code,
          issuedAt: event.occurredAt,
          validUntil: d.validUntil,
        };
        this.byKey.set(`${memberId}/${d.couponId}`, record);
        const same = this.byCode.get(d.code);
        if (same) same.push(record);
        else this.byCode.set(d.code, [record]);
        return true;
      }
      case "CouponUsed": {
        const d = event.data as CouponUsed;
        const record = this.byKey.get(`${memberId}/${d.couponId}`);
        if (record) {
          record.usedAt = event.occurredAt;
          if (d.orderId !== undefined) record.orderId = d.orderId;
        }
        return true;
      }
      case "CouponVoided": {
        const record = this.byKey.get(`${memberId}/${(event.data as CouponVoided).couponId}`);
        if (record) record.voidedAt = event.occurredAt;
        return true;
      }
      default:
        return true;
    }
  }

  /** Every coupon issued at or before `asOf`, sorted by memberId then couponId. */
  asOf(asOf: string): CouponRow[] {
    const t = ms(asOf);
    const rows: CouponRow[] = [];
    for (const r of this.byKey.values()) {
      const row = rowAsOf(r, t);
      if (row) rows.push(row);
    }
    return rows.sort((a, b) =>
      a.memberId !== b.memberId ? (a.memberId < b.memberId ? -1 : 1) : a.couponId < b.couponId ? -1 : 1,
    );
  }

  /** The coupons with exactly this code as of `asOf` (constant time: a Map lookup). */
  byCodeAsOf(code: string, asOf: string): CouponRow[] {
    const t = ms(asOf);
    const rows: CouponRow[] = [];
    for (const r of this.byCode.get(code) ?? []) {
      const row = rowAsOf(r, t);
      if (row) rows.push(row);
    }
    return rows;
  }
}

/**
 * A coupon as of `t` (UTC ms): not yet issued is absent; then void, used,
 * expired (`t >= validUntil`, §9) or issued, in that order of precedence.
 */
const rowAsOf = (r: CouponRecord, t: number): CouponRow | undefined => {
  if (ms(r.issuedAt) > t) return undefined;
  const usedAt = r.usedAt !== undefined && ms(r.usedAt) <= t ? r.usedAt : null;
  const voidedAt = r.voidedAt !== undefined && ms(r.voidedAt) <= t ? r.voidedAt : null;
  const status: CouponStatus =
    voidedAt !== null ? "void" : usedAt !== null ? "used" : t >= ms(r.validUntil) ? "expired" : "issued";
  return {
    couponId: r.couponId,
    memberId: r.memberId,
    rewardId: r.rewardId,
    code: r.code,
    issuedAt: r.issuedAt,
    validUntil: r.validUntil,
    status,
    usedAt,
    orderId: usedAt !== null ? (r.orderId ?? null) : null,
    voidedAt,
  };
};
