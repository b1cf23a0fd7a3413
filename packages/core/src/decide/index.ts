export { type DecideInput, decide, draftDecision } from "./decide.js";
export type { Drafted } from "./drafted.js";
export {
  assertSealed,
  decideAndSeal,
  needsDataKey,
  type SealedDecision,
  type SealStamp,
  sealDrafted,
  sealEvents,
} from "./seal.js";
export type { DecideContext, Decision, DrawWinReaction, ReferralReaction } from "./types.js";
