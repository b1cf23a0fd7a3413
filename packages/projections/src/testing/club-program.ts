import type { Program } from "@vafa/core";
import { program } from "../../../core/src/testing/program.js";

/** The plain GBP club of the rewards and coupon tests (club-v1 §1): one tier, nothing pending or expiring. */
export const clubProgram = (rewards: NonNullable<Program["rewards"]>): Program =>
  program({
    programId: "club",
    tiers: { levels: [{ id: "base", threshold: "0", multiplier: "1" }] },
    rewards,
  });
