import type { Program } from "@vafa/core";
import { type DrawVerification, verifyDraw } from "@vafa/projections";
import { EXIT } from "../errors.js";
import { sourceEvents } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { loadProgram } from "../program-file.js";

export interface DrawVerifyOptions {
  store: string;
  events?: string;
  draw: string;
  program?: string;
  json?: boolean;
}

const describeResult = (r: DrawVerification): string => {
  if (r.ok && r.recorded) {
    const winners = r.recorded.winners.map((w) => `rank ${w.rank} ${w.memberId} (${w.tickets} tickets)`);
    return `draw ${r.drawId} re-derives: ${r.recorded.tickets} tickets of ${r.recorded.entrants} entrants; ${winners.join(", ") || "no winners"}\n`;
  }
  const lines = r.problems.map((p) => `draw ${r.drawId}: ${p.message}`);
  return `${lines.join("\n")}\n`;
};

/**
 * `vafa draw-verify` (club spec §3, §8): re-derives a draw from a store or an
 * export alone (tickets, seeded winners, prizes, the seed commitment). Exit
 * 0 when it re-derives, 1 when it does not.
 */
export const runDrawVerify = async (options: DrawVerifyOptions, io: CliIo): Promise<number> => {
  const programs: Program[] = options.program ? [await loadProgram(options.program)] : [];
  // verifyDraw checks the chain of the events a draw reads itself and names the
  // member and rank a change moves, so the reader does not stop at the first break.
  const result = await verifyDraw(sourceEvents({ ...options, verify: false }), {
    drawId: options.draw,
    programs,
  });
  const json = {
    ok: result.ok,
    drawId: result.drawId,
    ...(result.recorded
      ? {
          tickets: result.recorded.tickets,
          entrants: result.recorded.entrants,
          winners: result.recorded.winners,
        }
      : {}),
    problems: result.problems.map((p) => ({
      streamId: p.loc.streamId,
      revision: p.loc.revision,
      eventId: p.loc.eventId,
      ...(p.memberId !== undefined ? { memberId: p.memberId } : {}),
      ...(p.rank !== undefined ? { rank: p.rank } : {}),
      message: p.message,
    })),
  };
  await writeOut(io.stdout, options.json ? `${JSON.stringify(json)}\n` : describeResult(result));
  return result.ok ? EXIT.ok : EXIT.failure;
};
