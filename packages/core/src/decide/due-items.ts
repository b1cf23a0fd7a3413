import type { Program } from "../program.js";
import { dueBirthdays } from "../rules.js";
import { fifoCompare, type Lot, type MemberState } from "../state.js";
import type { Draft } from "./draft.js";

/** Whether step 5 has anything to do; read on the plain state, so a quiet member costs no copy. */
export const hasDueItems = (s: MemberState, program: Program, now: number): boolean => {
  for (const l of s.lots) if (l.remaining > 0 && l.expiresAt !== null && l.expiresAt <= now) return true;
  return dueBirthdays(program, s, now).length > 0;
};

/** Step 5 (spec 5.6): expiries and birthdays due at `now`, in time order, expiries first on ties. */
export const emitDueItems = (out: Draft, now: number): void => {
  const { program } = out;
  const birthdays = dueBirthdays(program, out.state, now);
  let next = 0;
  for (;;) {
    let expiring: Lot | undefined;
    for (const lot of out.state.lots)
      if (lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= now)
        if (!expiring || fifoCompare(lot, expiring) < 0) expiring = lot;
    const birthday = birthdays[next];
    if (expiring && (!birthday || (expiring.expiresAt as number) <= birthday.at)) {
      out.emit("PointsExpired", expiring.expiresAt as number, {
        lotId: expiring.lotId,
        points: expiring.remaining,
      });
    } else if (birthday) {
      next++;
      out.earn(birthday.at, program.earn.birthdayBonus, "birthday", { birthdayYear: birthday.year });
    } else return;
  }
};
