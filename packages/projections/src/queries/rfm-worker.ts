import { parentPort, workerData } from "node:worker_threads";
import type { Program } from "@vafa/core";
import { programView } from "../program-view.js";
import { RFM_EVENT_TYPES, RFM_LEAN, rebuildFromNdjson } from "../rebuild.js";
import { ChainVerifier } from "../verify-chain.js";
import { toWorkerError } from "../workers.js";
import { RfmFold } from "./rfm-fold.js";

// A worker of `rfmFromNdjsonParallel`: folds one part of the file (whole
// streams), reports its member streams and the program it saw, then gives the
// RFM inputs of its members under the program the parts agree on.

export interface RfmWorkerData {
  path: string;
  asOf: string;
  start: number;
  end: number;
  /** Check the hash chain of the part (whole streams) as it is read. */
  verify: boolean;
}

/** The worker's messages: after the fold, then after `score`. */
export type RfmWorkerReply =
  | {
      kind: "folded";
      streams: string[];
      program: Program | undefined;
      badLineCount: number;
      reopened: boolean;
    }
  | { kind: "inputs"; inputs: import("./rfm.js").RfmInput[] }
  | { kind: "failed"; error: import("../workers.js").WorkerError };

const port = parentPort;
if (port) {
  const { path, asOf, start, end, verify } = workerData as RfmWorkerData;
  const projection = new RfmFold();
  const reply = (message: RfmWorkerReply): void => port.postMessage(message);
  port.on("message", (message: { kind: "score"; program: Program }) => {
    try {
      const view = programView(message.program);
      reply({
        kind: "inputs",
        inputs: projection.inputs(asOf, view),
      });
    } catch (error) {
      reply({ kind: "failed", error: toWorkerError(error) });
    }
  });
  rebuildFromNdjson(path, projection, {
    until: asOf,
    types: RFM_EVENT_TYPES,
    lean: RFM_LEAN,
    range: { start, end },
    ...(verify ? { chain: new ChainVerifier() } : {}),
    // Each member is reduced to what RFM reads when its stream ends.
    onStreamEnd: (streamId) => projection.settle(streamId),
  })
    .then((rebuilt) =>
      reply({
        kind: "folded",
        streams: projection.memberIds(),
        program: projection.publishedProgram,
        badLineCount: rebuilt.badLineCount,
        reopened: projection.reopened,
      }),
    )
    .catch((error: unknown) => reply({ kind: "failed", error: toWorkerError(error) }));
}
