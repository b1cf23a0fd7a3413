import { availableParallelism } from "node:os";
import { fromWorkerError, startWorker, type WorkerError } from "../workers.js";
import { type RfmInput, type RfmRow, scoreRfm } from "./rfm.js";
import type { RfmWorkerData } from "./rfm-worker.js";

export interface ParallelRfmResult {
  rows: RfmRow[];
  /** Lines that were no event envelope (summed over shards; the caller decides what that means). */
  badLineCount: number;
}

type WorkerReply = { ok: true; inputs: RfmInput[]; badLineCount: number } | { ok: false; error: WorkerError };

/**
 * Spec 6 `rfm` as of T from an NDJSON export on worker threads: each reads
 * the file and folds the member streams a hash of their id gives it (and
 * every program event), up to T and only RFM's event types; the members'
 * raw values are then scored together, so the rows equal `rfmAsOf` over one
 * projection of the whole file.
 */
export const rfmFromNdjsonParallel = async (
  path: string,
  asOf: string,
  workers = availableParallelism(),
): Promise<ParallelRfmResult> => {
  const count = Math.max(1, workers);
  const replies = await Promise.all(
    Array.from(
      { length: count },
      (_, index) =>
        new Promise<WorkerReply>((resolve, reject) => {
          const data: RfmWorkerData = { path, asOf, index, count };
          const worker = startWorker(import.meta.url, "rfm-worker", data);
          worker.once("message", (reply: WorkerReply) => {
            resolve(reply);
            void worker.terminate();
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`rfm worker ${index} stopped (exit ${code})`)));
        }),
    ),
  );
  const inputs: RfmInput[] = [];
  let badLineCount = 0;
  for (const reply of replies) {
    if (!reply.ok) throw fromWorkerError(reply.error);
    for (const input of reply.inputs) inputs.push(input);
    badLineCount += reply.badLineCount;
  }
  // The order of `members()`: memberId by UTF-16 code units.
  inputs.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  return { rows: scoreRfm(inputs), badLineCount };
};
