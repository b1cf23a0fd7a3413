import { parentPort } from "node:worker_threads";
import { toWorkerError } from "../workers.js";
import { auditRange, type Range, type ShardJob, scanRange } from "./ranges.js";

// A worker thread of the parallel audit (parallel.ts): one range of the file,
// read first for the plan (`scan`), then audited (`audit`) once the main
// thread has the plan of every range.

export type AuditWorkerMessage =
  | { kind: "scan"; path: string; range: { start: number; end: number } }
  | { kind: "audit"; path: string; range: Range; job: ShardJob };

const port = parentPort;
port?.on("message", (m: AuditWorkerMessage) => {
  const work = m.kind === "scan" ? scanRange(m.path, m.range) : auditRange(m.path, m.range, m.job);
  work.then(
    (value) => port.postMessage({ kind: "done", value }),
    (error: unknown) => port.postMessage({ kind: "failed", error: toWorkerError(error) }),
  );
});
