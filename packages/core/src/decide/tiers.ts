import { advanceSpendWindow, evaluateTier } from "../rules.js";
import type { Draft } from "./draft.js";

/** Step 7 (spec 5.7): the tier move at `now`, evaluated on the state after step 6. */
export const emitTierMove = (out: Draft, now: number): void => {
  // Only a working copy's own fields move: the state before the decision stays as it was.
  if (out.state !== out.before) advanceSpendWindow(out.program, out.state, now);
  const move = evaluateTier(out.program, out.state, now);
  if (move) out.emit("TierChanged", now, move);
};
