export { type DecideInput, decide } from "./decide.js";
export { assertSealed, decideAndSeal, type SealedDecision, type SealStamp, sealEvents } from "./seal.js";
export type { DecideContext, Decision, DrawWinReaction, ReferralReaction } from "./types.js";
