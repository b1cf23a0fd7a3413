import { parentPort, workerData } from "node:worker_threads";
import { LedgerProjection } from "../ledger.js";
import { RFM_EVENT_TYPES, rebuildFromNdjson } from "../rebuild.js";
import { toWorkerError } from "../workers.js";
import { rfmInputs } from "./rfm.js";

// A worker of `rfmFromNdjsonParallel`: the RFM inputs of one shard's members.

export interface RfmWorkerData {
  path: string;
  asOf: string;
  index: number;
  count: number;
}

const port = parentPort;
if (port) {
  const { path, asOf, index, count } = workerData as RfmWorkerData;
  const projection = new LedgerProjection({ keepHistory: false });
  rebuildFromNdjson(path, projection, { until: asOf, types: RFM_EVENT_TYPES, shard: { index, count } })
    .then((rebuilt) => {
      port.postMessage({ ok: true, inputs: rfmInputs(projection, asOf), badLineCount: rebuilt.badLineCount });
    })
    .catch((error: unknown) => port.postMessage({ ok: false, error: toWorkerError(error) }));
}
