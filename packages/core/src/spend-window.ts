import type { MemberState } from "./state.js";

/**
 * The spend metric's running window sum (spec 5.7, issue 11): the purchases
 * from `purchaseOrder[start]` on are those with `at` after `from`, and `units`
 * is their amounts less all their refunds (units of 1e-8). Valid while
 * `purchasesByTime` holds.
 *
 * A cache beside the state, not in it: only the decider moves it (it knows the
 * window), so a state folded from the store and the decider's state stay equal.
 * A state without one counts from the first purchase: `units` is `spendUnits`.
 */
export interface SpendWindow {
  readonly start: number;
  readonly from: number;
  readonly units: bigint;
}

const windows = new WeakMap<MemberState, SpendWindow>();

export const spendWindowOf = (s: MemberState): SpendWindow =>
  windows.get(s) ?? { start: 0, from: Number.NEGATIVE_INFINITY, units: s.spendUnits };

export const setSpendWindow = (s: MemberState, window: SpendWindow): void => {
  windows.set(s, window);
};

/** A purchase or refund changed the sum by `units`: kept only where a window was moved. */
export const addToSpendWindow = (s: MemberState, at: number, units: bigint): void => {
  const w = windows.get(s);
  if (w !== undefined && at > w.from) windows.set(s, { ...w, units: w.units + units });
};

/** A working copy starts with its state's window. */
export const carrySpendWindow = (from: MemberState, to: MemberState): void => {
  const w = windows.get(from);
  if (w !== undefined) windows.set(to, w);
};
