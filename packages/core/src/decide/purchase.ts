import type { PurchaseCommand } from "../commands.js";
import { type Rejection, reject } from "../errors.js";
import { purchasePoints } from "../rules.js";
import type { Draft } from "./draft.js";

/** Step 6 of a purchase (spec 5.2): the purchase, then its lot. */
export const decidePurchase = (c: PurchaseCommand, out: Draft, now: number): Rejection | undefined => {
  const points = purchasePoints(out.program, c.amount, now, out.state.tier);
  if (points.gt(Number.MAX_SAFE_INTEGER))
    return reject("VALIDATION", `amount: ${c.amount} would earn more points than a safe integer`);
  out.emit("PurchaseRecorded", now, {
    purchaseId: c.purchaseId,
    amount: c.amount,
    ...(c.channel !== undefined ? { channel: c.channel } : {}),
    ...(c.items !== undefined ? { items: c.items } : {}),
  });
  if (points.gt(0)) out.earn(now, points.toNumber(), "purchase", { purchaseId: c.purchaseId });
  return undefined;
};
