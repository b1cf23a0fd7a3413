import { z } from "zod";
import { type Rejection, reject } from "./errors.js";
import { Dec } from "./money.js";
import { isPlainValidCommand } from "./plain-commands.js";
import {
  currencySchema,
  idSchema,
  MONEY_FORMAT_MESSAGE,
  MONEY_PATTERN,
  moneySchema,
  parseDate,
  parseTime,
  safeCount,
  timeInputSchema,
} from "./primitives.js";

// Commands of spec section 5, validated in the order of step 1:
// JSON, then type, then unknown fields, then each field.

const nonEmpty = z.string().min(1, "must be a non-empty string");
const MUST_BE_POSITIVE =
  "must be greater than 0: amounts are always positive (money given back is a refund command, also positive)";
// An amount of a purchase or refund: the message says what is wrong. A minus sign
// or a JSON number is not a format slip to fix by hand but a misunderstanding.
const positiveMoney = z
  .string({
    errorMap: (issue, ctx) =>
      issue.code === "invalid_type" && typeof ctx.data === "number" && Number.isFinite(ctx.data)
        ? {
            message:
              ctx.data > 0
                ? `must be a decimal string like "${ctx.data}", not a JSON number`
                : `must be a positive decimal string like "12.50": amounts are always positive`,
          }
        : { message: ctx.defaultError },
  })
  .superRefine((s, ctx) => {
    if (MONEY_PATTERN.test(s)) {
      if (!new Dec(s).gt(0)) ctx.addIssue({ code: "custom", message: "must be greater than 0" });
      return;
    }
    const negative = s.startsWith("-") && MONEY_PATTERN.test(s.slice(1));
    ctx.addIssue({ code: "custom", message: negative ? MUST_BE_POSITIVE : MONEY_FORMAT_MESSAGE });
  });
const birthDateSchema = z
  .string()
  .refine((s) => parseDate(s) !== undefined, "must be a valid date YYYY-MM-DD");
const attributesSchema = z.record(z.union([z.string(), z.number().finite()]), {
  invalid_type_error: "must be an object of strings or numbers",
});
const itemsSchema = z.array(
  z
    .object({
      sku: nonEmpty,
      quantity: z.number().int("must be an integer").min(1, "must be >= 1"),
      unitPrice: moneySchema,
    })
    .strict(),
);
const base = { memberId: idSchema, at: timeInputSchema };

// Profiles (club-v1 §4, §10 "Lengths"): lengths in UTF-16 code units (JavaScript's
// `length`), `\s` as JavaScript reads it.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+[1-9][0-9]{6,14}$/;
const emailSchema = z
  .string({ invalid_type_error: "must be a string" })
  .regex(EMAIL, "must be an e-mail address");
const phoneSchema = z
  .string({ invalid_type_error: "must be a string" })
  .regex(PHONE, "must be an E.164 phone number like +989121234567");
const nameSchema = z
  .string({ invalid_type_error: "must be a string" })
  .min(1, "must be 1..200 characters")
  .max(200, "must be 1..200 characters");
const strictObject = "must be an object";
const joinContactSchema = z
  .object(
    { email: emailSchema.optional(), phone: phoneSchema.optional() },
    { invalid_type_error: strictObject },
  )
  .strict();
const contactPatchSchema = z
  .object(
    { email: emailSchema.nullable().optional(), phone: phoneSchema.nullable().optional() },
    { invalid_type_error: strictObject },
  )
  .strict();
const bool = z.boolean({ invalid_type_error: "must be true or false" });
const consentSchema = z
  .object({ sms: bool.optional(), email: bool.optional() }, { invalid_type_error: strictObject })
  .strict();
const langSchema = z.enum(["fa", "en"]);
const attributesPatchSchema = z.record(z.union([z.string(), z.number().finite(), z.null()]), {
  invalid_type_error: "must be an object of strings, numbers or null",
});

const shapes = {
  join: {
    type: z.literal("join"),
    ...base,
    kind: z.enum(["person", "organization"]),
    birthDate: birthDateSchema.optional(),
    referredBy: idSchema.optional(),
    attributes: attributesSchema.optional(),
    name: nameSchema.optional(),
    contact: joinContactSchema.optional(),
    consent: consentSchema.optional(),
    lang: langSchema.optional(),
  },
  purchase: {
    type: z.literal("purchase"),
    ...base,
    purchaseId: idSchema,
    amount: positiveMoney,
    currency: currencySchema.optional(),
    channel: nonEmpty.optional(),
    items: itemsSchema.optional(),
  },
  refund: {
    type: z.literal("refund"),
    ...base,
    purchaseId: idSchema,
    refundId: idSchema,
    amount: positiveMoney,
    currency: currencySchema.optional(),
  },
  redeem: {
    type: z.literal("redeem"),
    ...base,
    redemptionId: idSchema,
    // Optional only with a rewardId (club-v1 §2): then it means the reward's cost.
    points: safeCount.pipe(z.number().min(1, "must be >= 1")).optional(),
    rewardId: idSchema.optional(),
  },
  "reverse-redemption": { type: z.literal("reverse-redemption"), ...base, redemptionId: idSchema },
  adjust: {
    type: z.literal("adjust"),
    ...base,
    adjustmentId: idSchema,
    points: safeCount.refine((n) => n !== 0, "must not be 0"),
    reason: nonEmpty,
    actor: nonEmpty,
  },
  feedback: {
    type: z.literal("feedback"),
    ...base,
    feedbackId: idSchema,
    score: z.number().int("must be an integer").min(0, "must be 0..10").max(10, "must be 0..10"),
    comment: nonEmpty.optional(),
  },
  "use-coupon": {
    type: z.literal("use-coupon"),
    ...base,
    couponId: idSchema,
    code: z.string({ invalid_type_error: "must be a string" }),
    orderId: idSchema.optional(),
  },
  sweep: { type: z.literal("sweep"), at: timeInputSchema },
  // Prize draws (club spec §3).
  "enter-draw": {
    type: z.literal("enter-draw"),
    ...base,
    drawId: idSchema,
    entryId: idSchema,
    tickets: safeCount.pipe(z.number().min(1, "must be >= 1")),
  },
  draw: {
    type: z.literal("draw"),
    at: timeInputSchema,
    drawId: idSchema,
    seed: nonEmpty,
    beacon: nonEmpty.optional(),
  },
  // Profiles, notes, messages and erasure (club-v1 §4-6, §10).
  "update-profile": {
    type: z.literal("update-profile"),
    ...base,
    updateId: idSchema,
    name: nameSchema.optional(),
    contact: contactPatchSchema.optional(),
    consent: consentSchema.optional(),
    lang: langSchema.optional(),
    birthDate: birthDateSchema.optional(),
    attributes: attributesPatchSchema.optional(),
  },
  "add-note": {
    type: z.literal("add-note"),
    ...base,
    noteId: idSchema,
    text: z
      .string({ invalid_type_error: "must be a string" })
      .min(1, "must be 1..2000 characters")
      .max(2000, "must be 1..2000 characters"),
    actor: nonEmpty,
  },
  "message-sent": {
    type: z.literal("message-sent"),
    ...base,
    messageKey: nonEmpty,
    channel: z.enum(["sms", "email"]),
    providerMessageId: nonEmpty.optional(),
  },
  forget: { type: z.literal("forget"), ...base, requestId: idSchema, actor: nonEmpty },
} as const;

export const commandSchemas = {
  join: z.object(shapes.join).strict(),
  purchase: z.object(shapes.purchase).strict(),
  refund: z.object(shapes.refund).strict(),
  redeem: z.object(shapes.redeem).strict(),
  "reverse-redemption": z.object(shapes["reverse-redemption"]).strict(),
  adjust: z.object(shapes.adjust).strict(),
  feedback: z.object(shapes.feedback).strict(),
  "use-coupon": z.object(shapes["use-coupon"]).strict(),
  sweep: z.object(shapes.sweep).strict(),
  "enter-draw": z.object(shapes["enter-draw"]).strict(),
  draw: z.object(shapes.draw).strict(),
  "update-profile": z.object(shapes["update-profile"]).strict(),
  "add-note": z.object(shapes["add-note"]).strict(),
  "message-sent": z.object(shapes["message-sent"]).strict(),
  forget: z.object(shapes.forget).strict(),
};

export type CommandType = keyof typeof commandSchemas;
export const COMMAND_TYPES = Object.keys(commandSchemas) as CommandType[];

export type JoinCommand = z.infer<typeof commandSchemas.join>;
export type PurchaseCommand = z.infer<(typeof commandSchemas)["purchase"]>;
export type RefundCommand = z.infer<(typeof commandSchemas)["refund"]>;
export type RedeemCommand = z.infer<(typeof commandSchemas)["redeem"]>;
export type ReverseRedemptionCommand = z.infer<(typeof commandSchemas)["reverse-redemption"]>;
export type AdjustCommand = z.infer<(typeof commandSchemas)["adjust"]>;
export type FeedbackCommand = z.infer<(typeof commandSchemas)["feedback"]>;
export type UseCouponCommand = z.infer<(typeof commandSchemas)["use-coupon"]>;
export type SweepCommand = z.infer<(typeof commandSchemas)["sweep"]>;
export type EnterDrawCommand = z.infer<(typeof commandSchemas)["enter-draw"]>;
export type DrawCommand = z.infer<(typeof commandSchemas)["draw"]>;
export type UpdateProfileCommand = z.infer<(typeof commandSchemas)["update-profile"]>;
export type AddNoteCommand = z.infer<(typeof commandSchemas)["add-note"]>;
export type MessageSentCommand = z.infer<(typeof commandSchemas)["message-sent"]>;
export type ForgetCommand = z.infer<(typeof commandSchemas)["forget"]>;
export type MemberCommand =
  | JoinCommand
  | PurchaseCommand
  | RefundCommand
  | RedeemCommand
  | ReverseRedemptionCommand
  | AdjustCommand
  | FeedbackCommand
  | UseCouponCommand
  | EnterDrawCommand
  | UpdateProfileCommand
  | AddNoteCommand
  | MessageSentCommand
  | ForgetCommand;
export type Command = MemberCommand | SweepCommand | DrawCommand;

export type ValidatedCommand =
  | { ok: true; command: Command; atMs: number }
  | { ok: false; rejection: Rejection };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const fieldPath = (path: readonly (string | number)[]): string =>
  path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");

/**
 * Step 1 of spec 5: validates a parsed JSON value as a command. The command
 * keeps its values exactly as given (amount strings, attributes, items).
 */
export const validateCommand = (input: unknown): ValidatedCommand => {
  if (!isPlainObject(input))
    return { ok: false, rejection: reject("VALIDATION", "command: must be a JSON object") };
  const type = input.type;
  if (typeof type !== "string" || !Object.hasOwn(commandSchemas, type))
    return {
      ok: false,
      rejection: reject("VALIDATION", `type: must be one of ${COMMAND_TYPES.join(", ")}`),
    };
  // Fast path: one parse of the whole command; field by field only to name the failing field.
  if (isPlainValidCommand(input) || commandSchemas[type as CommandType].safeParse(input).success) {
    const command = input as Command;
    if (pointsMissing(input)) return { ok: false, rejection: reject("VALIDATION", "points: is required") };
    return { ok: true, command, atMs: parseTime(command.at) as number };
  }
  const shape = shapes[type as CommandType] as Record<string, z.ZodTypeAny>;
  const unknown = Object.keys(input).filter((k) => !Object.hasOwn(shape, k));
  if (unknown.length > 0)
    return {
      ok: false,
      rejection: reject("VALIDATION", `${unknown[0]}: unknown field for a ${type} command`),
    };
  // Field by field in the order of the schema, so the first failing field is named.
  for (const [key, schema] of Object.entries(shape)) {
    if (key === "points" && pointsMissing(input))
      return { ok: false, rejection: reject("VALIDATION", "points: is required") };
    const result = schema.safeParse(input[key]);
    if (!result.success) {
      const issue = result.error.issues[0];
      const path = fieldPath([key, ...(issue?.path ?? [])]);
      const message =
        input[key] === undefined
          ? "is required"
          : input[key] === null
            ? "must not be null"
            : (issue?.message ?? "is invalid");
      return { ok: false, rejection: reject("VALIDATION", `${path}: ${message}`) };
    }
  }
  const command = input as Command;
  return { ok: true, command, atMs: parseTime(command.at) as number };
};

/** A redeem without rewardId is the plain L1 redeem: `points` is required (club-v1 §9). */
const pointsMissing = (input: Record<string, unknown>): boolean =>
  input.type === "redeem" && input.points === undefined && input.rewardId === undefined;

/** The command's own id (spec 5.9 idempotency key) and its commandId (spec 2). */
export const ownIdOf = (command: MemberCommand): string => {
  switch (command.type) {
    case "join":
      return command.memberId;
    case "purchase":
      return command.purchaseId;
    case "refund":
      return command.refundId;
    case "redeem":
    case "reverse-redemption":
      return command.redemptionId;
    case "adjust":
      return command.adjustmentId;
    case "feedback":
      return command.feedbackId;
    case "use-coupon":
      return command.couponId;
    case "enter-draw":
      return command.entryId;
    case "update-profile":
      return command.updateId;
    case "add-note":
      return command.noteId;
    case "message-sent":
      return command.messageKey;
    case "forget":
      return command.requestId;
  }
};

export const commandIdOf = (command: Command): string =>
  command.type === "sweep"
    ? `sweep:${new Date(parseTime(command.at) as number).toISOString()}`
    : command.type === "draw"
      ? `draw:${command.drawId}`
      : `${command.type}:${ownIdOf(command)}`;
