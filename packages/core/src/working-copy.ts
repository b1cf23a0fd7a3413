import { carrySpendWindow } from "./spend-window.js";
import type { Lot, MemberState } from "./state.js";

/**
 * A working copy for one decision, copy-on-write: a collection (and a lot) is
 * copied the first time an event changes it, so a decision costs what it
 * touches, not the member's history. Measured far cheaper than an immer draft
 * on members with long histories.
 *
 * A state its owner has marked `adoptable` (the batch, for the states it made
 * itself and drops once the next decision on the stream is accepted) lends
 * its growing collections instead (issue 11): the working copy writes them in
 * place and keeps an undo journal, which `discardWorkingCopy` runs when the
 * decision is rejected, so the state is as it was. One adoption per state.
 */
export const cloneMemberState = (s: MemberState): MemberState => {
  // Not enumerable: a working copy compares equal to a plain state with the same content.
  const copy = Object.defineProperty({ ...s }, OWNED, {
    value: new Set<string | number>(),
    enumerable: false,
  });
  carrySpendWindow(s, copy);
  if (adoptable.delete(s)) {
    // Only what `s` owns is lent: a collection it shares with an older state (a cached one) is copied as usual.
    const lent = new Set<string>();
    for (const key of GROWING) if (ownsKey(s as WorkingCopy, key)) lent.add(key);
    Object.defineProperty(copy, JOURNAL, { value: [], enumerable: false });
    Object.defineProperty(copy, LENT, { value: lent, enumerable: false });
  }
  return copy;
};

const OWNED = Symbol("vafa.owned");
const JOURNAL = Symbol("vafa.journal");
const LENT = Symbol("vafa.lent");
const GROWING = ["lots", "lotIndex", "purchases", "purchaseOrder"] as const;
type Growing = (typeof GROWING)[number];
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
type WorkingCopy = MemberState & {
  [OWNED]?: Set<string | number>;
  [JOURNAL]?: (() => void)[];
  /** The growing collections an adopting working copy writes in place. */
  [LENT]?: Set<string>;
};

/** Whether a working copy's `key` is its own: copied by it, or lent to it by a state that owned it. */
const ownsKey = (s: WorkingCopy, key: Growing): boolean =>
  s[OWNED]?.has(key) === true || s[LENT]?.has(key) === true;

/** The journal when `key` is written in place in a lent collection; undefined when `w` is the way. */
const journalFor = (s: MemberState, key: Growing): (() => void)[] | undefined =>
  (s as WorkingCopy)[LENT]?.has(key) === true ? (s as WorkingCopy)[JOURNAL] : undefined;

const adoptable = new WeakSet<MemberState>();

/** Lets the next working copy of `s` write its growing collections in place: only for a state nobody reads again once that decision is accepted. */
export const markAdoptable = (s: MemberState): void => {
  // Its own decision was accepted: nothing of it is to be undone any more.
  const journal = (s as WorkingCopy)[JOURNAL];
  if (journal !== undefined) journal.length = 0;
  adoptable.add(s);
};

export const unmarkAdoptable = (s: MemberState): void => {
  adoptable.delete(s);
};

/** A rejected decision's working copy: undoes what it wrote in place in an adopted state. */
export const discardWorkingCopy = (s: MemberState): void => {
  const journal = (s as WorkingCopy)[JOURNAL];
  if (journal === undefined) return;
  for (let i = journal.length - 1; i >= 0; i--) (journal[i] as () => void)();
  journal.length = 0;
};

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

/** `map.set(k, v)` on a growing map: in place (journalled) in an adopting working copy. */
export const setIn = <K extends "purchases" | "lotIndex">(
  s: MemberState,
  key: K,
  k: string,
  v: MemberState[K] extends Map<string, infer V> ? V : never,
): void => {
  const journal = journalFor(s, key);
  const map = (journal === undefined ? w(s, key) : s[key]) as Map<string, unknown>;
  if (journal !== undefined) {
    const old = map.get(k);
    journal.push(old === undefined && !map.has(k) ? () => map.delete(k) : () => map.set(k, old));
  }
  map.set(k, v);
};

/** `array.push(v)` on a growing array: in place (journalled) in an adopting working copy. */
export const pushIn = <K extends "lots" | "purchaseOrder">(
  s: MemberState,
  key: K,
  v: MemberState[K][number],
): void => {
  const journal = journalFor(s, key);
  const array = (journal === undefined ? w(s, key) : s[key]) as unknown[];
  if (journal !== undefined) journal.push(() => array.pop());
  array.push(v);
};

/** The lot at `index`, copied first when a working copy does not own it yet. */
export const writableLot = (s: MemberState, index: number): Lot | undefined => {
  const owned = (s as WorkingCopy)[OWNED];
  const lot = s.lots[index];
  if (owned === undefined || lot === undefined) return lot;
  // A lot is known by its index (a number): no key text per write.
  if (owned.has(index)) return lot;
  owned.add(index);
  const copy = { ...lot };
  const journal = journalFor(s, "lots");
  if (journal === undefined) w(s, "lots")[index] = copy;
  else {
    const lots = s.lots;
    journal.push(() => {
      lots[index] = lot;
    });
    lots[index] = copy;
  }
  return copy;
};
