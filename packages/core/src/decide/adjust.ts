import type { AdjustCommand } from "../commands.js";
import { type Rejection, reject } from "../errors.js";
import { allocate, availableLotsFifo } from "../lots.js";
import { availablePoints } from "../state.js";
import type { Draft } from "./draft.js";

/** Step 6 of an adjustment (spec 5.5): a credit is a new lot, a debit takes FIFO from available lots. */
export const decideAdjust = (c: AdjustCommand, out: Draft, now: number): Rejection | undefined => {
  if (c.points > 0) {
    out.earn(now, c.points, "adjustment", { adjustmentId: c.adjustmentId, actor: c.actor, note: c.reason });
    return undefined;
  }
  const points = -c.points;
  const available = availablePoints(out.state, now);
  if (points > available)
    return reject("INSUFFICIENT_POINTS", `points: ${points} to debit, ${available} available`);
  const { allocations } = allocate(availableLotsFifo(out.state, now), points);
  out.emit("PointsDebited", now, {
    adjustmentId: c.adjustmentId,
    points,
    reason: c.reason,
    actor: c.actor,
    allocations,
  });
  return undefined;
};
