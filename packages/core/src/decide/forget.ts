import type { ForgetCommand, MemberCommand } from "../commands.js";
import { type Rejection, reject } from "../errors.js";
import { PERSONAL_FIELDS } from "../privacy/seal.js";
import { encryptsPersonalData } from "../program-messages.js";
import type { MemberState } from "../state.js";
import type { Draft } from "./draft.js";

/**
 * Step 6 of forget (club-v1 §6): `MemberForgotten`; the application destroys
 * the member's key once it is stored. Under a program that does not encrypt
 * there is nothing to shred: `ERASURE_UNAVAILABLE`, never a half-erasure.
 */
export const decideForget = (c: ForgetCommand, out: Draft, now: number): Rejection | undefined => {
  if (!encryptsPersonalData(out.program))
    return reject(
      "ERASURE_UNAVAILABLE",
      `requestId: program ${out.program.programId} does not encrypt personal data, so it cannot be erased; publish a version with "privacy": {"encryptPersonalData": true} for the members who join after it`,
    );
  out.emit("MemberForgotten", now, { requestId: c.requestId, actor: c.actor });
  return undefined;
};

/**
 * After `forget`, a command carrying a personal value for the member is
 * refused in step 6 (club-v1 §10 "After forget"): its key is gone and no new
 * one is made.
 */
export const personalValueAfterForget = (c: MemberCommand, state: MemberState): Rejection | undefined => {
  if (state.forgottenAt === undefined) return undefined;
  const given = PERSONAL_FIELDS.find((f) => (c as Record<string, unknown>)[f] !== undefined);
  if (given === undefined) return undefined;
  return reject(
    "VALIDATION",
    `${given}: member ${c.memberId} was forgotten: personal data is not stored for it again`,
  );
};
