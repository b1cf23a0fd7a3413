import type { EnterDrawCommand } from "../commands.js";
import { tierEligible } from "../draws/tickets.js";
import { type Rejection, reject } from "../errors.js";
import { allocate, availableLotsFifo } from "../lots.js";
import { parseTime } from "../primitives.js";
import { availablePoints } from "../state.js";
import type { Draft } from "./draft.js";

/**
 * Step 6 of an entry into a prize draw (club spec §3, §9), checks in the
 * spec's order; the tickets are paid like a redemption (FIFO from available
 * lots), without `minPoints`.
 */
export const decideEnterDraw = (c: EnterDrawCommand, out: Draft, now: number): Rejection | undefined => {
  const draw = out.program.draws?.find((d) => d.id === c.drawId);
  if (!draw) return reject("UNKNOWN_DRAW", `drawId: the program has no draw ${c.drawId}`);
  const from = parseTime(draw.entryFrom) as number;
  const to = parseTime(draw.entryTo) as number;
  if (now < from || now >= to)
    return reject(
      "DRAW_CLOSED",
      `at: draw ${draw.id} takes entries from ${draw.entryFrom} until before ${draw.entryTo}`,
    );
  if (draw.ticketCost === undefined)
    return reject(
      "VALIDATION",
      `drawId: draw ${draw.id} sells no tickets (its tickets come from spend only)`,
    );
  if (!tierEligible(draw, out.state.tier))
    return reject("TIER_NOT_ELIGIBLE", `memberId: tier ${out.state.tier} may not enter draw ${draw.id}`);
  if (draw.maxTickets !== undefined) {
    let bought = 0;
    for (const e of out.state.drawEntries.values()) if (e.drawId === draw.id) bought += e.tickets;
    if (bought + c.tickets > draw.maxTickets)
      return reject(
        "TICKET_LIMIT",
        `tickets: ${bought} bought already, ${c.tickets} more would pass the limit of ${draw.maxTickets}`,
      );
  }
  const points = c.tickets * draw.ticketCost;
  if (!Number.isSafeInteger(points))
    return reject("VALIDATION", `tickets: ${c.tickets} tickets cost more points than a safe integer`);
  const available = availablePoints(out.state, now);
  if (points > available)
    return reject("INSUFFICIENT_POINTS", `tickets: cost ${points} points, ${available} available`);
  const { allocations } = allocate(availableLotsFifo(out.state, now), points);
  out.emit("DrawEntered", now, {
    drawId: draw.id,
    entryId: c.entryId,
    tickets: c.tickets,
    points,
    allocations,
  });
  return undefined;
};
