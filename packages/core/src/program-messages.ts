import { z } from "zod";
import { idSchema, safeCount } from "./primitives.js";

// The `messages` and `privacy` keys of a program (club-v1 §1, §5, §6). Kept
// apart from program.ts, as rewards and draws are.

const atLeastOne = safeCount.pipe(z.number().min(1, "must be >= 1"));

export const MESSAGE_TRIGGERS = [
  "welcome",
  "birthday",
  "tier_up",
  "points_expiring",
  "inactive",
  "coupon_issued",
  "draw_won",
] as const;
export type MessageTrigger = (typeof MESSAGE_TRIGGERS)[number];
export type MessageChannel = "sms" | "email";
export type MessageLang = "fa" | "en";

const textSchema = z
  .object({ fa: z.string().min(1).optional(), en: z.string().min(1).optional() })
  .strict()
  .refine((t) => t.fa !== undefined || t.en !== undefined, "needs fa and/or en");

export const messageRuleSchema = z
  .object({
    id: idSchema,
    trigger: z.enum(MESSAGE_TRIGGERS),
    daysBefore: atLeastOne.optional(),
    inactiveDays: atLeastOne.optional(),
    channel: z.enum(["sms", "email"]),
    text: textSchema,
  })
  .strict()
  .superRefine((m, ctx) => {
    // daysBefore only and always with points_expiring; inactiveDays with inactive (§1).
    const needs = (key: "daysBefore" | "inactiveDays", trigger: MessageTrigger) => {
      const given = m[key] !== undefined;
      if (given !== (m.trigger === trigger))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: given ? `only a ${trigger} rule has ${key}` : `a ${trigger} rule needs ${key}`,
        });
    };
    needs("daysBefore", "points_expiring");
    needs("inactiveDays", "inactive");
  });

export type MessageRule = z.infer<typeof messageRuleSchema>;

export const messagesSchema = z.array(messageRuleSchema).optional();

export const privacySchema = z.object({ encryptPersonalData: z.boolean().optional() }).strict().optional();

/** Cross-field checks of `messages`: unique ids. */
export const checkMessages = (rules: readonly MessageRule[] | undefined, ctx: z.RefinementCtx): void => {
  const seen = new Set<string>();
  (rules ?? []).forEach((r, i) => {
    if (seen.has(r.id))
      ctx.addIssue({ code: "custom", path: ["messages", i, "id"], message: `duplicate message id ${r.id}` });
    seen.add(r.id);
  });
};

/** Whether the program seals personal values (club-v1 §6). */
export const encryptsPersonalData = (program: { privacy?: { encryptPersonalData?: boolean } }): boolean =>
  program.privacy?.encryptPersonalData === true;

/**
 * A "club program" (club-v1 §10): one with any of `rewards`, `draws`,
 * `messages`, `privacy`. Only such a program has `messagesSent` and
 * `interactions` in its KPIs and a `members` projection.
 */
export const isClubProgram = (program: {
  rewards?: unknown;
  draws?: unknown;
  messages?: unknown;
  privacy?: unknown;
}): boolean =>
  program.rewards !== undefined ||
  program.draws !== undefined ||
  program.messages !== undefined ||
  program.privacy !== undefined;
