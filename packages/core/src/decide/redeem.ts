import type { RedeemCommand } from "../commands.js";
import { type Rejection, reject } from "../errors.js";
import { allocate, availableLotsFifo } from "../lots.js";
import { availablePoints } from "../state.js";
import type { Draft } from "./draft.js";

/** Step 6 of a redemption (spec 5.5): FIFO from available lots. */
export const decideRedeem = (c: RedeemCommand, out: Draft, now: number): Rejection | undefined => {
  const { minPoints } = out.program.redemption;
  if (c.points < minPoints)
    return reject("BELOW_MIN_REDEMPTION", `points: ${c.points} is below the minimum ${minPoints}`);
  const available = availablePoints(out.state, now);
  if (c.points > available)
    return reject("INSUFFICIENT_POINTS", `points: ${c.points} requested, ${available} available`);
  const { allocations } = allocate(availableLotsFifo(out.state, now), c.points);
  out.emit("PointsRedeemed", now, {
    redemptionId: c.redemptionId,
    points: c.points,
    ...(c.rewardId !== undefined ? { rewardId: c.rewardId } : {}),
    allocations,
  });
  return undefined;
};
