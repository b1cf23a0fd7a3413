import { parentPort } from "node:worker_threads";
import { toWorkerError } from "../workers.js";
import { auditRange, type Range, type ShardJob } from "./ranges.js";

// A worker thread of the parallel audit (parallel.ts): one shard, given its
// range of the file once the main thread has planned the ranges (the worker
// loads its modules meanwhile), answering with its result.

export interface AuditWorkerMessage {
  path: string;
  range: Range;
  job: ShardJob;
}

const port = parentPort;
port?.once("message", ({ path, range, job }: AuditWorkerMessage) => {
  auditRange(path, range, job).then(
    (result) => port.postMessage({ kind: "result", result }),
    (error: unknown) => port.postMessage({ kind: "failed", error: toWorkerError(error) }),
  );
});
