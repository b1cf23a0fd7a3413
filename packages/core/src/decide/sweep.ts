import type { SweepCommand } from "../commands.js";
import { parseTime, toIso } from "../primitives.js";
import type { Program } from "../program.js";
import type { MemberState } from "../state.js";
import { Draft } from "./draft.js";
import type { Drafted } from "./drafted.js";
import { emitDueItems, hasDueItems } from "./due-items.js";
import { emitTierMove } from "./tiers.js";

/** A sweep on one member (spec 5.6): steps 5 and 7 at `at`; nothing when the member's last event is later. */
export const draftSweep = (c: SweepCommand, state: MemberState, program: Program): Drafted => {
  const now = parseTime(c.at) as number;
  if (!state.joined || now < state.lastEventAt) return { kind: "nothing-to-do" };
  const commandId = `sweep:${toIso(now)}`;
  const out = new Draft(state, program, commandId);
  if (hasDueItems(state, program, now)) emitDueItems(out, now);
  emitTierMove(out, now);
  if (out.events.length === 0) return { kind: "nothing-to-do" };
  return { kind: "events", draft: out, correlationId: commandId, actor: undefined };
};
