import { z } from "zod";
import { idSchema, parseTime, safeCount, timeInputSchema } from "./primitives.js";

// The rewards catalogue of club-v1 §1 and §9 (issue 12). Kept apart from
// program.ts so the other club keys (draws) merge beside it.

const atLeastOne = safeCount.pipe(z.number().min(1, "must be >= 1"));
const nonNegative = safeCount.pipe(z.number().min(0, "must be >= 0"));

export const rewardSchema = z
  .object({
    id: idSchema,
    cost: atLeastOne,
    tiers: z.array(idSchema).optional(),
    from: timeInputSchema.optional(),
    to: timeInputSchema.optional(),
    stock: nonNegative.optional(),
    perMember: atLeastOne.optional(),
    coupon: z.object({ validDays: atLeastOne }).strict().optional(),
  })
  .strict()
  // §9: `from` alone or `to` alone; with both, from < to.
  .refine(
    (r) => r.from === undefined || r.to === undefined || (parseTime(r.from) ?? 0) < (parseTime(r.to) ?? 0),
    {
      message: "from must be before to",
      path: ["to"],
    },
  );

export type Reward = z.infer<typeof rewardSchema>;

/** The program's `rewards` key: optional, `[]` when absent (club-v1 §1). */
export const rewardsSchema = z.array(rewardSchema).optional();

/** Cross-field checks of `rewards`: unique ids, tiers that exist. */
export const checkRewards = (
  rewards: readonly Reward[] | undefined,
  levelIds: ReadonlySet<string>,
  ctx: z.RefinementCtx,
): void => {
  const seen = new Set<string>();
  (rewards ?? []).forEach((r, i) => {
    if (seen.has(r.id))
      ctx.addIssue({
        code: "custom",
        path: ["rewards", i, "id"],
        message: `reward id ${r.id} is used twice`,
      });
    seen.add(r.id);
    for (const t of r.tiers ?? [])
      if (!levelIds.has(t))
        ctx.addIssue({ code: "custom", path: ["rewards", i, "tiers"], message: `unknown level ${t}` });
  });
};

/** The catalogue entry named `rewardId`, if any. */
export const findReward = (rewards: readonly Reward[] | undefined, rewardId: string): Reward | undefined =>
  rewards?.find((r) => r.id === rewardId);

/** Whether some reward issues coupons: then the ledger needs a coupon secret (club-v1 §2). */
export const issuesCoupons = (rewards: readonly Reward[] | undefined): boolean =>
  (rewards ?? []).some((r) => r.coupon !== undefined);

/** Stream of a stocked reward's claims and releases (club-v1 §2). */
export const rewardStreamId = (rewardId: string): string => `reward-${rewardId}`;
