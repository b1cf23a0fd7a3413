import type { Program } from "../program.js";
import type { MemberState } from "../state.js";
import { Draft } from "./draft.js";
import type { Drafted } from "./drafted.js";
import { emitDueItems } from "./due-items.js";
import type { ReferralReaction } from "./types.js";

/**
 * The referral reaction on the referrer (spec 5.2): step 5 up to
 * `t = max(at, referrer's last event)`, then the bonus; no tier evaluation.
 * Nothing to do when this referee was already rewarded.
 */
export const draftReferral = (r: ReferralReaction, referrer: MemberState, program: Program): Drafted => {
  if (!referrer.joined || referrer.referralsPaid.has(r.refereeId) || program.earn.referralBonus <= 0)
    return { kind: "nothing-to-do" };
  const t = Math.max(r.purchaseAt, referrer.lastEventAt);
  const out = new Draft(referrer, program, `referral:${r.refereeId}`);
  emitDueItems(out, t);
  out.earn(t, program.earn.referralBonus, "referral", { refereeId: r.refereeId });
  return { kind: "events", draft: out, correlationId: r.correlationId, actor: undefined };
};
