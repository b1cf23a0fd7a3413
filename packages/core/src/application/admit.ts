import { type Command, validateCommand } from "../commands.js";
import { birthDateInRange } from "../decide/join.js";
import { type Rejection, reject } from "../errors.js";
import type { Program } from "../program.js";
import { findReward } from "../program-rewards.js";
import type { CommandOutcome } from "./types.js";

export const rejected = (rejection: Rejection): CommandOutcome => ({ status: "rejected", rejection });

/** Step 1 of spec 5: the command, or the outcome of a command refused before any state is read. */
export const admit = (
  input: unknown,
  program: Program,
): { command: Command } | { outcome: CommandOutcome } => {
  const validated = validateCommand(input);
  if (!validated.ok) return { outcome: rejected(validated.rejection) };
  const { command } = validated;
  const currency = "currency" in command ? command.currency : undefined;
  if (currency !== undefined && currency !== program.currency)
    return {
      outcome: rejected(
        reject("CURRENCY_MISMATCH", `currency: ${currency} is not the program currency ${program.currency}`),
      ),
    };
  const points = checkRedeemPoints(command, program);
  if (points) return { outcome: rejected(points) };
  // As for a join (decide/join.ts): a Jalali program converts years 560..3798 only.
  if (
    command.type === "update-profile" &&
    command.birthDate !== undefined &&
    !birthDateInRange(program, command.birthDate)
  )
    return { outcome: rejected(reject("VALIDATION", "birthDate: outside the range of the Jalali calendar")) };
  return { command };
};

/**
 * Step 1 for a redeem against the catalogue (club-v1 §2, §9): a given `points`
 * must be the named reward's cost; with an empty catalogue it is required.
 */
const checkRedeemPoints = (command: Command, program: Program): Rejection | undefined => {
  if (command.type !== "redeem" || command.rewardId === undefined) return undefined;
  if ((program.rewards ?? []).length === 0)
    return command.points === undefined ? reject("VALIDATION", "points: is required") : undefined;
  const reward = findReward(program.rewards, command.rewardId);
  if (reward && command.points !== undefined && command.points !== reward.cost)
    return reject(
      "VALIDATION",
      `points: ${command.points} is not the cost ${reward.cost} of reward ${reward.id}; omit points or give the cost`,
    );
  return undefined;
};
