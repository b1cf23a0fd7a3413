import { Decimal } from "decimal.js";
import { z } from "zod";
import {
  idSchema,
  MONEY_PATTERN,
  moneySchema,
  parseTime,
  safeCount,
  timeInputSchema,
} from "../primitives.js";

// The `draws` key of a program (club spec §1, §9). Kept apart from the
// rest of the program schema so rewards and draws merge without conflicts.

const atLeastOne = safeCount.pipe(z.number().min(1, "must be >= 1"));
const nonNegative = safeCount.pipe(z.number().min(0, "must be >= 0"));
const positiveMoney = moneySchema.refine(
  (s) => MONEY_PATTERN.test(s) && new Decimal(s).gt(0),
  "must be greater than 0",
);

export const drawSchema = z
  .object({
    id: idSchema,
    entryFrom: timeInputSchema,
    entryTo: timeInputSchema,
    tiers: z.array(idSchema).optional(),
    ticketCost: atLeastOne.optional(),
    spendPerTicket: positiveMoney.optional(),
    maxTickets: atLeastOne.optional(),
    winners: atLeastOne,
    prizePoints: z.array(nonNegative).optional(),
    seedHash: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits (sha256 of the seed)"),
  })
  .strict()
  .superRefine((d, ctx) => {
    if ((parseTime(d.entryFrom) ?? 0) >= (parseTime(d.entryTo) ?? 0))
      ctx.addIssue({ code: "custom", path: ["entryTo"], message: "entryFrom must be before entryTo" });
    if (d.ticketCost === undefined && d.spendPerTicket === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["ticketCost"],
        message: "a draw needs ticketCost or spendPerTicket (or both)",
      });
    if (d.prizePoints !== undefined && d.prizePoints.length !== d.winners)
      ctx.addIssue({
        code: "custom",
        path: ["prizePoints"],
        message: `must list exactly ${d.winners} prizes (one per winner)`,
      });
  });

export type Draw = z.infer<typeof drawSchema>;

export const drawsSchema = z.array(drawSchema).optional();

/** Checks of `draws` against the rest of the program: unique ids, tiers that exist. */
export const checkDraws = (
  draws: readonly Draw[] | undefined,
  levelIds: ReadonlySet<string>,
  ctx: z.RefinementCtx,
): void => {
  const seen = new Set<string>();
  (draws ?? []).forEach((d, i) => {
    if (seen.has(d.id))
      ctx.addIssue({ code: "custom", path: ["draws", i, "id"], message: `draw id ${d.id} is repeated` });
    seen.add(d.id);
    for (const t of d.tiers ?? [])
      if (!levelIds.has(t))
        ctx.addIssue({ code: "custom", path: ["draws", i, "tiers"], message: `unknown level ${t}` });
  });
};
