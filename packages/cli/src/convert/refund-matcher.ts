import type { Decimal } from "decimal.js";

// Which purchase does a refund refund? Transaction files often do not say (the
// Online Retail cancellations `C536379` name no invoice). This is the one rule
// used by `vafa convert csv` and by scripts/make-slice.ts.

interface OpenPurchase {
  purchaseId: string;
  atMs: number;
  left: Decimal;
}

interface RefundPart {
  purchaseId: string;
  amount: Decimal;
}

/** The refundId of part `index` (0-based) of a refund spread over several purchases: `C536379`, `C536379.2`, ... */
export const refundIdOf = (refundId: string, index: number): string =>
  index === 0 ? refundId : `${refundId}.${index + 1}`;

export type RefundMatch = { parts: RefundPart[] } | { unmatched: string };

/**
 * Keeps, for every member, the purchases that still have money left to refund,
 * in the order they were added (call in time order).
 */
export class RefundMatcher {
  readonly #open = new Map<string, OpenPurchase[]>();

  /**
   * What to do when no single purchase has enough left: `spread` over several
   * (the converter: every refund is converted whole or not at all), or
   * `cap-newest`: refund the most recent purchase with anything left, capped
   * at what it has left (the rule the committed real-data slices were made
   * with, kept so that scripts/make-slice.ts still makes them byte for byte).
   */
  constructor(readonly whenShort: "spread" | "cap-newest" = "spread") {}

  addPurchase(memberId: string, purchaseId: string, atMs: number, amount: Decimal): void {
    let list = this.#open.get(memberId);
    if (!list) {
      list = [];
      this.#open.set(memberId, list);
    }
    list.push({ purchaseId, atMs, left: amount });
  }

  /**
   * Matches a refund of `wanted` (> 0) at `atMs`:
   * - of the purchase `refundOf` when the data names it (it must have `wanted` left);
   * - else of the member's most recent purchase at or before `atMs` that has
   *   at least `wanted` left;
   * - else spread over the most recent ones, newest first, when together they
   *   have enough left (several refunds); or, `cap-newest`, the newest one capped;
   * - else unmatched (nothing is taken).
   * A match takes the amounts off what is left.
   */
  match(memberId: string, atMs: number, wanted: Decimal, refundOf?: string): RefundMatch {
    const list = (this.#open.get(memberId) ?? []).filter((p) => p.atMs <= atMs && p.left.gt(0));
    const take = (parts: RefundPart[]): RefundMatch => {
      for (const part of parts) {
        const p = list.find((o) => o.purchaseId === part.purchaseId) as OpenPurchase;
        p.left = p.left.minus(part.amount);
      }
      const open = this.#open.get(memberId);
      if (open)
        this.#open.set(
          memberId,
          open.filter((p) => p.left.gt(0)),
        );
      return { parts };
    };
    if (refundOf !== undefined) {
      const p = list.find((o) => o.purchaseId === refundOf);
      if (!p)
        return {
          unmatched: `purchase ${refundOf} of member ${memberId}, at or before the refund, with money left to refund, is not in the file`,
        };
      if (p.left.lt(wanted))
        return {
          unmatched: `purchase ${refundOf} has only ${p.left.toFixed()} left to refund, not ${wanted.toFixed()}`,
        };
      return take([{ purchaseId: p.purchaseId, amount: wanted }]);
    }
    const newestFirst = [...list].reverse();
    const whole = newestFirst.find((p) => p.left.gte(wanted));
    if (whole) return take([{ purchaseId: whole.purchaseId, amount: wanted }]);
    const newest = newestFirst[0];
    if (this.whenShort === "cap-newest" && newest)
      return take([{ purchaseId: newest.purchaseId, amount: newest.left }]);
    const total = newestFirst.reduce((sum, p) => sum.plus(p.left), wanted.minus(wanted));
    if (total.lt(wanted))
      return {
        unmatched:
          list.length === 0
            ? `member ${memberId} has no earlier purchase in the file with money left to refund`
            : `member ${memberId}'s earlier purchases have only ${total.toFixed()} left to refund in all, not ${wanted.toFixed()}`,
      };
    const parts: RefundPart[] = [];
    let rest = wanted;
    for (const p of newestFirst) {
      if (rest.lte(0)) break;
      const amount = p.left.lt(rest) ? p.left : rest;
      parts.push({ purchaseId: p.purchaseId, amount });
      rest = rest.minus(amount);
    }
    return take(parts);
  }
}
