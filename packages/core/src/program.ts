import { Decimal } from "decimal.js";
import { z } from "zod";
import { checkDraws, drawsSchema } from "./draws/program.js";
import {
  currencySchema,
  DECIMAL_PATTERN,
  decimalSchema,
  idSchema,
  parseTime,
  safeCount,
  timeInputSchema,
} from "./primitives.js";
import { checkMessages, messagesSchema, privacySchema } from "./program-messages.js";
import { checkRewards, rewardsSchema } from "./program-rewards.js";

// The program of spec section 3.

// The pattern guard keeps a malformed string (already reported by decimalSchema) from throwing in Decimal.
const positiveDecimal = decimalSchema.refine(
  (s) => DECIMAL_PATTERN.test(s) && new Decimal(s).gt(0),
  "must be greater than 0",
);

const campaignSchema = z
  .object({
    id: idSchema,
    from: timeInputSchema,
    to: timeInputSchema,
    multiplier: positiveDecimal,
    tiers: z.array(idSchema).optional(),
  })
  .strict()
  .refine((c) => (parseTime(c.from) ?? 0) < (parseTime(c.to) ?? 0), {
    message: "from must be before to",
    path: ["to"],
  });

const expirySchema = z.discriminatedUnion("policy", [
  z.object({ policy: z.literal("never") }).strict(),
  z.object({ policy: z.literal("rolling"), days: safeCount.pipe(z.number().min(1)) }).strict(),
  z.object({ policy: z.literal("calendar"), years: safeCount.pipe(z.number().min(1)) }).strict(),
]);

const levelSchema = z
  .object({ id: idSchema, threshold: decimalSchema, multiplier: positiveDecimal })
  .strict();

const nonNegative = safeCount.pipe(z.number().min(0, "must be >= 0"));
const atLeastOne = safeCount.pipe(z.number().min(1, "must be >= 1"));

export const programSchema = z
  .object({
    programId: idSchema,
    version: atLeastOne,
    currency: currencySchema,
    calendar: z.enum(["gregorian", "jalali"]),
    earn: z
      .object({
        pointsPerUnit: decimalSchema,
        rounding: z.enum(["floor", "half-up", "ceil"]),
        pendingDays: nonNegative,
        signupBonus: nonNegative,
        birthdayBonus: nonNegative,
        referralBonus: nonNegative,
        campaigns: z.array(campaignSchema).optional(),
      })
      .strict(),
    expiry: expirySchema,
    tiers: z
      .object({
        metric: z.enum(["spend", "points"]),
        windowDays: atLeastOne,
        retentionDays: nonNegative,
        levels: z.array(levelSchema).min(1),
      })
      .strict(),
    redemption: z.object({ minPoints: atLeastOne, pointValue: decimalSchema }).strict(),
    rfm: z.object({ windowDays: atLeastOne }).strict(),
    rewards: rewardsSchema,
    // Club spec §1 (prize draws); see draws/program.ts.
    draws: drawsSchema,
    // Club spec §1, §5, §6; see program-messages.ts.
    messages: messagesSchema,
    privacy: privacySchema,
  })
  .strict()
  .superRefine((p, ctx) => {
    const levels = p.tiers.levels;
    const ids = new Set(levels.map((l) => l.id));
    if (ids.size !== levels.length)
      ctx.addIssue({ code: "custom", path: ["tiers", "levels"], message: "level ids must be unique" });
    // Malformed thresholds are already reported by decimalSchema; Decimal would throw on them.
    const valid = (t: string) => DECIMAL_PATTERN.test(t);
    if (levels[0] && valid(levels[0].threshold) && !new Decimal(levels[0].threshold).isZero())
      ctx.addIssue({
        code: "custom",
        path: ["tiers", "levels", 0, "threshold"],
        message: "the first level's threshold must be 0",
      });
    for (let i = 1; i < levels.length; i++) {
      const prev = levels[i - 1];
      const cur = levels[i];
      if (
        prev &&
        cur &&
        valid(prev.threshold) &&
        valid(cur.threshold) &&
        !new Decimal(cur.threshold).gt(prev.threshold)
      )
        ctx.addIssue({
          code: "custom",
          path: ["tiers", "levels", i, "threshold"],
          message: "thresholds must strictly increase",
        });
    }
    (p.earn.campaigns ?? []).forEach((c, i) => {
      for (const t of c.tiers ?? [])
        if (!ids.has(t))
          ctx.addIssue({
            code: "custom",
            path: ["earn", "campaigns", i, "tiers"],
            message: `unknown level ${t}`,
          });
    });
    checkRewards(p.rewards, ids, ctx);
    checkDraws(p.draws, ids, ctx);
    checkMessages(p.messages, ctx);
  });

export type Program = z.infer<typeof programSchema>;

/**
 * The first problem of a program that failed `programSchema`, naming its field
 * path as `vafa` does: `earn.pointsPerUnit: must be ...` (and how many more).
 */
export const describeProgramError = (error: z.ZodError): string => {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  return `${where}: ${issue?.message ?? "invalid"}${more}`;
};
export type TierLevel = Program["tiers"]["levels"][number];
export type Campaign = NonNullable<Program["earn"]["campaigns"]>[number];
