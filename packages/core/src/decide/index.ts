export { type DecideInput, decide } from "./decide.js";
export { assertSealed, decideAndSeal, type SealedDecision, type SealStamp, sealEvents } from "./seal.js";
export type { DecideContext, Decision, ReferralReaction } from "./types.js";
