import { carrySpendWindow } from "./spend-window.js";
import type { Lot, MemberState } from "./state.js";

/**
 * A working copy for one decision, copy-on-write: a collection (and a lot) is
 * copied the first time an event changes it, so a decision costs what it
 * touches, not the member's history. Measured far cheaper than an immer draft
 * on members with long histories.
 */
export const cloneMemberState = (s: MemberState): MemberState => {
  // Not enumerable: a working copy compares equal to a plain state with the same content.
  const copy = Object.defineProperty({ ...s }, OWNED, { value: new Set<string>(), enumerable: false });
  carrySpendWindow(s, copy);
  return copy;
};

const OWNED = Symbol("vafa.owned");
type Collection =
  | "lots"
  | "lotIndex"
  | "purchases"
  | "purchaseOrder"
  | "refunds"
  | "redemptions"
  | "adjustments"
  | "feedback"
  | "coupons"
  | "birthdaysPaid"
  | "referralsPaid"
  | "sweepCounts"
  | "drawEntries"
  | "drawsWon"
  | "profileUpdates"
  | "notes"
  | "messagesSent"
  | "forgetRequests";
type WorkingCopy = MemberState & { [OWNED]?: Set<string> };

/** The collection to write to: a working copy's own copy, or the collection itself in a plain state. */
export const w = <K extends Collection>(s: MemberState, key: K): MemberState[K] => {
  const owned = (s as WorkingCopy)[OWNED];
  if (owned === undefined || owned.has(key)) return s[key];
  owned.add(key);
  const value = s[key];
  const copy = (
    value instanceof Map ? new Map(value) : value instanceof Set ? new Set(value) : [...(value as unknown[])]
  ) as MemberState[K];
  s[key] = copy;
  return copy;
};

/** The lot at `index`, copied first when a working copy does not own it yet. */
export const writableLot = (s: MemberState, index: number): Lot | undefined => {
  const owned = (s as WorkingCopy)[OWNED];
  const lot = s.lots[index];
  if (owned === undefined || lot === undefined) return lot;
  const key = `lot:${index}`;
  if (owned.has(key)) return lot;
  owned.add(key);
  const copy = { ...lot };
  w(s, "lots")[index] = copy;
  return copy;
};
