import type { Program } from "../program.js";
import type { MemberState } from "../state.js";
import { Draft } from "./draft.js";
import type { Drafted } from "./drafted.js";
import { emitDueItems } from "./due-items.js";
import type { DrawWinReaction } from "./types.js";

/**
 * A winner's events after a draw (club spec §3): step 5 up to
 * `t = max(at, winner's last event)`, `DrawWon`, then the prize lot when it
 * is above 0; no tier evaluation. Nothing to do when the member already has
 * this draw's `DrawWon` (exactly once, also when a draw is run again).
 */
export const draftDrawWin = (r: DrawWinReaction, winner: MemberState, program: Program): Drafted => {
  if (!winner.joined || winner.drawsWon.has(r.drawId)) return { kind: "nothing-to-do" };
  const t = Math.max(r.at, winner.lastEventAt);
  const commandId = `draw:${r.drawId}`;
  const out = new Draft(winner, program, commandId);
  emitDueItems(out, t);
  out.emit("DrawWon", t, { drawId: r.drawId, rank: r.rank });
  if (r.prizePoints > 0) out.earn(t, r.prizePoints, "draw", { drawId: r.drawId, rank: r.rank });
  return { kind: "events", draft: out, correlationId: commandId, actor: undefined };
};
