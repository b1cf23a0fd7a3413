import type { Command, EventStore, Ledger, RejectionCode } from "@vafa/core";

/** What importing a list of commands did. */
export interface ImportSummary {
  /** Commands the ledger accepted and decided now (sweeps always are: they append only what is due). */
  accepted: number;
  /** Commands already in the store: accepted again as no-ops, nothing appended. */
  replays: number;
  /** Rejected commands by code (nothing appended for them). */
  rejected: Partial<Record<RejectionCode, number>>;
  /** Events appended by this run, the program's included. */
  events: number;
}

/** Members in the store: one stream per member (spec 2). */
export const countMembers = async (store: EventStore): Promise<number> =>
  (await store.listStreams("member-")).length;

/**
 * Publishes the program (if this version is new) and runs the commands in order.
 * A rejection does not stop the run: it is counted, as `vafa import` does.
 */
export const importCommands = async (
  ledger: Ledger,
  commands: readonly unknown[],
  publishAt: string,
  onProgress?: (done: number) => void,
): Promise<ImportSummary> => {
  const summary: ImportSummary = { accepted: 0, replays: 0, rejected: {}, events: 0 };
  const published = await ledger.publishProgram(publishAt);
  summary.events += published.events.length;
  for (const [index, command] of commands.entries()) {
    if (onProgress && index > 0 && index % 250 === 0) onProgress(index);
    // Parsed JSON, not yet checked: execute validates every command at run time.
    const outcome = await ledger.execute(command as Command);
    if (outcome.status === "rejected") {
      const code = outcome.rejection.code;
      summary.rejected[code] = (summary.rejected[code] ?? 0) + 1;
      continue;
    }
    if (outcome.replay) summary.replays += 1;
    else summary.accepted += 1;
    summary.events += outcome.events.length;
  }
  return summary;
};

/** Parses NDJSON text into values, skipping blank lines. */
export const parseNdjson = (text: string): unknown[] =>
  text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);

/** The `at` of the first command: the program is published then (as `vafa import` does). */
export const firstAt = (commands: readonly unknown[]): string => {
  const first = commands[0];
  if (typeof first === "object" && first !== null && typeof (first as { at?: unknown }).at === "string")
    return (first as { at: string }).at;
  return "1970-01-01T00:00:00.000Z";
};
