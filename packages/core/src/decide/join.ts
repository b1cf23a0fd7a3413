import type { JoinCommand } from "../commands.js";
import { type Rejection, reject } from "../errors.js";
import { sameCommandContent } from "../idempotency.js";
import { parseDate } from "../primitives.js";
import type { Program } from "../program.js";
import type { MemberState } from "../state.js";
import type { Draft } from "./draft.js";
import type { DecideContext } from "./types.js";

/** jalaali-js converts Gregorian years 560..3798 (spec 5 step 1 for a Jalali program). */
export const birthDateInRange = (program: Program, birthDate: string): boolean => {
  const d = parseDate(birthDate);
  return program.calendar !== "jalali" || (d !== undefined && d.year >= 560 && d.year <= 3798);
};

/** Steps 1 to 3 of a join (spec 5.1): a rejection, "replay", or undefined to go on. */
export const checkJoin = (
  c: JoinCommand,
  s: MemberState,
  ctx: DecideContext,
): Rejection | "replay" | undefined => {
  if (c.birthDate !== undefined && !birthDateInRange(ctx.program, c.birthDate))
    return reject("VALIDATION", "birthDate: outside the range of the Jalali calendar");
  if (s.joined) {
    if (sameCommandContent(s, c)) return "replay";
    return reject("MEMBER_EXISTS", `memberId: member ${c.memberId} already joined`);
  }
  if (c.referredBy === c.memberId)
    return reject("SELF_REFERRAL", "referredBy: a member cannot refer themself");
  if (c.referredBy !== undefined && !ctx.referrerExists)
    return reject("REFERRER_NOT_FOUND", `referredBy: member ${c.referredBy} has not joined`);
  return undefined;
};

/** A join (spec 5.1): the member, then the signup bonus; no due items, no tier move. */
export const decideJoin = (c: JoinCommand, out: Draft, now: number): undefined => {
  out.emit("MemberJoined", now, {
    memberId: c.memberId,
    kind: c.kind,
    ...(c.birthDate !== undefined ? { birthDate: c.birthDate } : {}),
    ...(c.referredBy !== undefined ? { referredBy: c.referredBy } : {}),
    ...(c.attributes !== undefined ? { attributes: c.attributes } : {}),
    // club-v1 §4, in the order of §10 "Sealing" after L1's keys.
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.contact !== undefined ? { contact: c.contact } : {}),
    ...(c.consent !== undefined ? { consent: c.consent } : {}),
    ...(c.lang !== undefined ? { lang: c.lang } : {}),
  });
  const bonus = out.program.earn.signupBonus;
  if (bonus > 0) out.earn(now, bonus, "signup", {});
  return undefined;
};
