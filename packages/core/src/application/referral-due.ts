import type { ReferralReaction } from "../decide/index.js";
import { memberStreamId } from "../envelope.js";
import type { Program } from "../program.js";
import type { MemberState, Purchase } from "../state.js";

/** Purchases are kept in time order: the first entry is the first purchase. */
export const firstPurchase = (state: MemberState): Purchase | undefined =>
  state.purchases.values().next().value;

/**
 * The referral reaction (spec 5.2) a referee's state calls for, with the
 * referrer's stream to decide it on; none when the referee was not referred,
 * the program pays no referral bonus, or nothing was bought yet. One home for
 * `execute` and `executeMany`, so both decide the same reaction.
 */
export const referralDue = (
  referee: MemberState,
  program: Program,
): { streamId: string; reaction: ReferralReaction } | undefined => {
  const referredBy = referee.joined?.referredBy;
  if (referredBy === undefined || program.earn.referralBonus <= 0) return undefined;
  const first = firstPurchase(referee);
  if (!first) return undefined;
  return {
    streamId: memberStreamId(referredBy),
    reaction: {
      type: "referral",
      refereeId: referee.joined?.memberId as string,
      purchaseAt: first.at,
      correlationId: `purchase:${first.purchaseId}`,
    },
  };
};
