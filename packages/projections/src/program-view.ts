import { isClubProgram, type Program, VafaError } from "@vafa/core";
import { parseDecimal, type ScaledDecimal } from "./money.js";

/** What the projections take from the program: names and values of its highest published version (spec 5.10). */
export interface ProgramView {
  programId: string;
  version: number;
  calendar: Program["calendar"];
  /** Level ids in threshold order; the first is every member's initial tier. */
  levelIds: string[];
  pointValue: ScaledDecimal;
  rfmWindowDays: number;
  /** A club program (club-v1 §10): KPIs carry `messagesSent` and `interactions`, and `members` exists. */
  club: boolean;
}

export const programView = (program: Program): ProgramView => ({
  programId: program.programId,
  version: program.version,
  calendar: program.calendar,
  levelIds: program.tiers.levels.map((l) => l.id),
  pointValue: parseDecimal(program.redemption.pointValue),
  rfmWindowDays: program.rfm.windowDays,
  club: isClubProgram(program),
});

export const noProgramError = (): VafaError =>
  new VafaError(
    "PROGRAM_NOT_PUBLISHED",
    "no ProgramPublished event has been applied to this projection",
    "apply the program stream too (an export holds it), or pass `program` to createLedgerProjection",
  );
